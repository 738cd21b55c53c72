import { QuerySyntaxError } from '../../errors.ts';
import { QUERY_LIMITS } from '../../http/limits.ts';
import { parseQuery, tokenize, wordSpans } from '../../text.ts';

/**
 * The query language of `q` (README, "Query syntax"):
 *
 *   query   := and
 *   and     := or ( ["AND"] or )*            implicit AND between operands
 *   or      := unary ( "OR" unary )*          OR binds tighter than AND: `oil gas OR coal` = oil (gas OR coal)
 *   unary   := ("-" | "NOT") unary | primary  `-` only glued to what follows it
 *   primary := [("title" | "body") ":"] ( word | '"' words '"' | "(" and ")" )
 *   word    := characters up to white space, `(`, `)` or `"`; a trailing `*` makes its last term a prefix
 *
 * OR, AND and NOT are operators only in upper case and standing alone ("or" is a word). Words become
 * terms through the analyzer in `core/text.ts` (`tokenize`, `parseQuery` for a prefix), never here, so
 * whatever the analyzer does applies to the language; a word that becomes several terms ("U.S.",
 * "e-mail", a CJK run the analyzer segments) is matched as a phrase of them, like a quoted one.
 * The last word of the query, when nothing follows it (no trailing space) and it is neither quoted nor
 * negated, completes as a prefix while typing, as plain queries always did.
 *
 * The result is a small AST: `match` leaves (a term sequence, a phrase when longer than one, with an
 * optional field) under `and`, `or` and `not`. Fields are pushed down to the leaves, nested `and`s and
 * `or`s are flattened, and parts with no terms (punctuation only) are dropped, so `null` means "no text
 * query". Errors are `QuerySyntaxError` (400 `bad_query`) with a 1-based position in characters.
 */

export type QueryField = 'title' | 'body';

/** One analyzed term; `prefix`: matches the vocabulary terms starting with it (at most 128, see match.ts). */
export interface QueryTerm {
  term: string;
  prefix: boolean;
}

/** A word as typed, with its place in `q` (UTF-16 offsets, `end` exclusive, a trailing `*` not included). */
export interface QueryWord {
  text: string;
  start: number;
  end: number;
  terms: QueryTerm[];
}

export interface MatchNode {
  kind: 'match';
  /** The term sequence: one term is a word; more must occur adjacent and in this order (a phrase). */
  terms: QueryTerm[];
  /** The words the terms come from (one unless quoted). */
  words: QueryWord[];
  quoted: boolean;
  /** Only this field; null: the title or the body (a phrase within one of them). */
  field: QueryField | null;
  /** Span in `q` (UTF-16 offsets). */
  start: number;
  end: number;
}

export type QueryNode = MatchNode | { kind: 'and'; children: QueryNode[] } | { kind: 'or'; children: QueryNode[] } | { kind: 'not'; child: QueryNode };

export interface ParsedSearchQuery {
  /** Null when `q` has no terms at all (empty, or punctuation only): no text condition. */
  root: QueryNode | null;
  /** Every word with terms, negated and quoted ones included, in the order typed (for did-you-mean). */
  words: QueryWord[];
}

type Token =
  | { t: 'word'; text: string; start: number; end: number; star: boolean }
  | { t: 'phrase'; start: number; end: number }
  | { t: 'lparen' | 'rparen' | 'or' | 'and' | 'not' | 'minus'; start: number }
  | { t: 'field'; name: QueryField; start: number };

const SPACE = /\s/u;
const FIELD = /^(title|body):/i;
const OPERATORS = new Map<string, 'or' | 'and' | 'not'>([
  ['OR', 'or'],
  ['AND', 'and'],
  ['NOT', 'not'],
]);

function isSpace(c: string | undefined): boolean {
  return c !== undefined && SPACE.test(c);
}

/** A 1-based position in characters (code points), for messages. */
export function positionAt(q: string, offset: number): number {
  let n = 1;
  for (let i = 0; i < offset && i < q.length; i++) {
    const c = q.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff || i === 0 || q.charCodeAt(i - 1) < 0xd800 || q.charCodeAt(i - 1) > 0xdbff) n++;
  }
  return n;
}

function fail(q: string, message: string, offset: number): never {
  throw new QuerySyntaxError(message, positionAt(q, offset));
}

/** Something can follow a `-` or `title:` glued to it: not the end, white space or `)`. */
function operandFollows(q: string, i: number): boolean {
  const c = q[i];
  return c !== undefined && c !== ')' && !isSpace(c);
}

/** End of a word chunk starting at `i`: the next white space, parenthesis or quote. */
function chunkEnd(q: string, i: number): number {
  let j = i;
  while (j < q.length) {
    const c = q[j] as string;
    if (c === '(' || c === ')' || c === '"' || isSpace(c)) break;
    j++;
  }
  return j;
}

function wordToken(q: string, start: number, end: number): Token {
  let e = end;
  while (e > start && q[e - 1] === '*') e--;
  return { t: 'word', text: q.slice(start, e), start, end: e, star: e < end };
}

function lex(q: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i] as string;
    if (isSpace(c)) {
      i++;
    } else if (c === '(') {
      out.push({ t: 'lparen', start: i++ });
    } else if (c === ')') {
      out.push({ t: 'rparen', start: i++ });
    } else if (c === '"') {
      const close = q.indexOf('"', i + 1);
      if (close < 0) fail(q, 'q has an unclosed quote', i);
      out.push({ t: 'phrase', start: i, end: close + 1 });
      i = close + 1;
    } else {
      // A chunk: an optional glued `-`, an optional glued field, then a group, a phrase or a word.
      let glued = false;
      if (c === '-' && operandFollows(q, i + 1)) {
        out.push({ t: 'minus', start: i++ });
        glued = true;
      }
      const field = FIELD.exec(q.slice(i, i + 6));
      if (field && operandFollows(q, i + field[0].length)) {
        out.push({ t: 'field', name: (field[1] as string).toLowerCase() as QueryField, start: i });
        i += field[0].length;
        glued = true;
      }
      if (q[i] === '(' || q[i] === '"') continue;
      const end = chunkEnd(q, i);
      const op = glued ? undefined : OPERATORS.get(q.slice(i, end));
      out.push(op ? { t: op, start: i } : wordToken(q, i, end));
      i = end;
    }
  }
  return out;
}

/** Whether `text` ends with a word character, by the analyzer's own notion of a word. */
function endsInWord(text: string): boolean {
  const spans = wordSpans(text);
  return spans.length > 0 && (spans[spans.length - 1] as { end: number }).end === text.length;
}

/**
 * The terms of one word, through the analyzer. With `prefix`, the last term is the analyzer's prefix
 * form of the word (`parseQuery`'s, as for a word being typed); a word that does not end in a letter
 * or digit ("U.S.*") has no prefix.
 */
export function analyzeWord(text: string, prefix: boolean): QueryTerm[] {
  const terms = tokenize(text).map((term) => ({ term, prefix: false }));
  if (prefix && terms.length > 0 && endsInWord(text)) {
    const p = parseQuery(text).prefix;
    if (p !== null) terms[terms.length - 1] = { term: p, prefix: true };
  }
  return terms;
}

class Parser {
  private i = 0;
  private terms = 0;
  private prefixes = 0;
  private orBranches = 0;
  readonly words: QueryWord[] = [];

  constructor(
    private readonly q: string,
    private readonly tokens: Token[],
  ) {}

  parse(): QueryNode | null {
    const root = this.and(0, false);
    const tok = this.tokens[this.i];
    if (tok) fail(this.q, 'q has a ")" with no "(" before it', tok.start);
    return root;
  }

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  /** No operand can start at the next token. */
  private atOperandEnd(): boolean {
    const t = this.peek();
    return t === undefined || t.t === 'rparen' || t.t === 'or' || t.t === 'and';
  }

  private and(depth: number, neg: boolean, field: QueryField | null = null): QueryNode | null {
    const items: Array<QueryNode | null> = [];
    let count = 0;
    for (let t = this.peek(); t !== undefined && t.t !== 'rparen'; t = this.peek()) {
      if (t.t === 'or' || (t.t === 'and' && count === 0)) fail(this.q, `"${t.t.toUpperCase()}" needs a term on each side`, t.start);
      if (t.t === 'and') {
        this.i++;
        if (this.atOperandEnd()) fail(this.q, '"AND" needs a term on each side', t.start);
        continue;
      }
      items.push(this.or(depth, neg, field));
      count++;
    }
    return combine('and', items);
  }

  private or(depth: number, neg: boolean, field: QueryField | null): QueryNode | null {
    const items = [this.unary(depth, neg, field)];
    for (let t = this.peek(); t !== undefined && t.t === 'or'; t = this.peek()) {
      this.i++;
      if (this.atOperandEnd()) fail(this.q, '"OR" needs a term on each side', t.start);
      this.orBranches += items.length === 1 ? 2 : 1;
      if (this.orBranches > QUERY_LIMITS.maxOrBranches) fail(this.q, `q has more than ${QUERY_LIMITS.maxOrBranches} alternatives joined by OR`, t.start);
      items.push(this.unary(depth, neg, field));
    }
    return combine('or', items);
  }

  private unary(depth: number, neg: boolean, field: QueryField | null): QueryNode | null {
    const t = this.peek() as Token;
    if (t.t === 'minus' || t.t === 'not') {
      this.i++;
      if (t.t === 'not' && this.atOperandEnd()) fail(this.q, '"NOT" needs a term after it', t.start);
      const child = t.t === 'minus' ? this.primary(depth, true, field) : this.unary(depth, true, field);
      return child === null ? null : { kind: 'not', child };
    }
    return this.primary(depth, neg, field);
  }

  private primary(depth: number, neg: boolean, outerField: QueryField | null): QueryNode | null {
    let t = this.peek() as Token;
    let field = outerField;
    if (t.t === 'field') {
      field = t.name; // the innermost field wins
      this.i++;
      t = this.peek() as Token;
    }
    this.i++;
    switch (t.t) {
      case 'lparen': {
        if (depth + 1 > QUERY_LIMITS.maxDepth) fail(this.q, `q nests parentheses deeper than ${QUERY_LIMITS.maxDepth}`, t.start);
        if (this.peek()?.t === 'rparen') fail(this.q, 'q has an empty group "()"', t.start);
        const inner = this.and(depth + 1, neg, field);
        if (this.peek()?.t !== 'rparen') fail(this.q, 'q has an unclosed parenthesis', t.start);
        this.i++;
        return inner;
      }
      case 'phrase': {
        const words: QueryWord[] = [];
        const body = this.q.slice(t.start + 1, t.end - 1);
        for (const m of body.matchAll(/[^\s]+/gu)) {
          const tok = wordToken(this.q, t.start + 1 + m.index, t.start + 1 + m.index + m[0].length) as Extract<Token, { t: 'word' }>;
          words.push(this.word(tok, tok.star));
        }
        if (words.length === 0) fail(this.q, 'q has an empty phrase ""', t.start);
        return this.leaf(words, true, field, t.start, t.end);
      }
      case 'word': {
        // The last word, typed up to the end of q, completes as a prefix unless negated.
        const typing = !neg && !t.star && this.i === this.tokens.length && t.end === this.q.length && endsInWord(t.text);
        return this.leaf([this.word(t, t.star || typing)], false, field, t.start, t.end);
      }
      default:
        // The lexer glues `-` and fields only to an operand; operators are checked by the callers.
        throw new Error(`unexpected token ${t.t}`);
    }
  }

  private word(t: Extract<Token, { t: 'word' }>, prefix: boolean): QueryWord {
    const terms = analyzeWord(t.text, prefix);
    for (const term of terms) {
      this.terms++;
      if (this.terms > QUERY_LIMITS.maxTerms) fail(this.q, `q has more than ${QUERY_LIMITS.maxTerms} terms`, t.start);
      if (term.prefix && ++this.prefixes > QUERY_LIMITS.maxPrefixes) fail(this.q, `q has more than ${QUERY_LIMITS.maxPrefixes} prefix terms`, t.start);
    }
    const w = { text: t.text, start: t.start, end: t.end, terms };
    if (terms.length > 0) this.words.push(w);
    return w;
  }

  private leaf(words: QueryWord[], quoted: boolean, field: QueryField | null, start: number, end: number): MatchNode | null {
    const terms = words.flatMap((w) => w.terms);
    return terms.length === 0 ? null : { kind: 'match', terms, words, quoted, field, start, end };
  }
}

/** An `and` or `or` of the non-empty items, flattened; a single item stands alone. */
function combine(kind: 'and' | 'or', items: Array<QueryNode | null>): QueryNode | null {
  const children: QueryNode[] = [];
  for (const it of items) {
    if (it === null) continue;
    if (it.kind === kind) children.push(...it.children);
    else children.push(it);
  }
  if (children.length === 0) return null;
  return children.length === 1 ? (children[0] as QueryNode) : { kind, children };
}

/** Parses `q`; throws `QuerySyntaxError` (400 `bad_query`, with the position) when it is malformed. */
export function parseSearchQuery(q: string): ParsedSearchQuery {
  const parser = new Parser(q, lex(q));
  const root = parser.parse();
  return { root, words: parser.words };
}

/**
 * The query back as text, in a canonical form that parses to the same tree: prefixes marked with `*`,
 * sequences quoted, fields on each leaf, parentheses only where needed, a final space so no word
 * becomes a prefix by being last.
 */
export function formatQuery(root: QueryNode | null): string {
  if (root === null) return '';
  const s = format(root);
  return endsInWord(s) ? `${s} ` : s;
}

function format(n: QueryNode): string {
  switch (n.kind) {
    case 'match': {
      const seq = n.terms.map((t) => (t.prefix ? `${t.term}*` : t.term)).join(' ');
      const field = n.field ? `${n.field}:` : '';
      return n.terms.length === 1 && !isOperatorWord(seq) ? field + seq : `${field}"${seq}"`;
    }
    case 'and':
      return n.children.map((c) => (c.kind === 'and' ? `(${format(c)})` : format(c))).join(' ');
    case 'or':
      return n.children.map((c) => (c.kind === 'and' || c.kind === 'or' ? `(${format(c)})` : format(c))).join(' OR ');
    case 'not':
      return n.child.kind === 'match' ? `-${format(n.child)}` : `-(${format(n.child)})`;
  }
}

/** A term spelled like an operator would be read as one unless quoted (terms are folded, so never today). */
function isOperatorWord(s: string): boolean {
  return OPERATORS.has(s);
}

/** Calls `f` with every leaf and whether it is under a negation, in the order typed. */
export function forEachMatch(root: QueryNode | null, f: (leaf: MatchNode, negated: boolean) => void, negated = false): void {
  if (root === null) return;
  switch (root.kind) {
    case 'match':
      f(root, negated);
      return;
    case 'not':
      forEachMatch(root.child, f, true);
      return;
    default:
      for (const c of root.children) forEachMatch(c, f, negated);
  }
}
