/**
 * Speed: a drop-in replacement for compromise's `methods.one.bulkMatch`, the step of its post-tagger that picks
 * which of its ~1,900 tagging patterns to try on each clause. compromise (14.x, `1-one/sweep/methods/sweep`)
 * walks every one of the ~730 hook keys for every clause and asks whether the clause has it; that walk alone
 * was a fifth of the extractor's time on newswire. This version walks the clause's own (few dozen) words and
 * tags instead and then restores compromise's key order, so it selects the same patterns in the same order and
 * the tags come out identical (test/entities.test.ts compares both on real sentences).
 *
 * compromise is MIT-licensed; the trimming and matching steps below follow its source line for line.
 */
import { nlp } from './nlp.ts';

interface Pattern {
  match: string;
  needs: string[];
  wants: string[];
  minWant: number;
  minWords: number;
  ifNo?: string[];
  unTag?: unknown;
}
interface Net {
  hooks: Record<string, Pattern[]>;
  always: Pattern[];
}
type Sentence = unknown[];
interface Methods {
  one: {
    cacheDoc(document: Sentence[]): Set<string>[];
    match(document: Sentence[], m: Pattern): { ptrs: number[][] };
    bulkMatch: BulkMatch;
  };
}
type BulkMatch = (document: Sentence[], net: Net, methods: Methods, opts?: { matchOne?: boolean }) => unknown[];

/** Per pattern net: each hook key's position in `Object.keys(net.hooks)`, and an id per distinct match string. */
interface NetIndex {
  order: Map<string, number>;
  keys: string[];
  idOf: Map<string, number>;
  /** `stamp[id] === clause` when that match string was already taken for the current clause. */
  stamp: Int32Array;
  clause: number;
}
const indexes = new WeakMap<Net, NetIndex>();

function indexOf(net: Net): NetIndex {
  let ix = indexes.get(net);
  if (!ix) {
    const keys = Object.keys(net.hooks);
    const idOf = new Map<string, number>();
    for (const k of keys) for (const m of net.hooks[k]!) if (!idOf.has(m.match)) idOf.set(m.match, idOf.size);
    ix = { order: new Map(keys.map((k, i) => [k, i])), keys, idOf, stamp: new Int32Array(idOf.size), clause: 0 };
    indexes.set(net, ix);
  }
  return ix;
}

/**
 * compromise's candidate list and trim-down in one pass: patterns hooked on the clause's keys, in key order,
 * first of each match string only, then kept if every need is present, no `ifNo` is, and enough wants are.
 */
function candidates(haves: Set<string>, words: number, net: Net): Pattern[] {
  const ix = indexOf(net);
  const positions: number[] = [];
  for (const k of haves) {
    const at = ix.order.get(k);
    if (at !== undefined) positions.push(at);
  }
  positions.sort((a, b) => a - b);
  const clause = ++ix.clause;
  const out: Pattern[] = [];
  for (const at of positions) {
    for (const m of net.hooks[ix.keys[at]!]!) {
      const id = ix.idOf.get(m.match)!;
      if (ix.stamp[id] === clause) continue;
      ix.stamp[id] = clause;
      if (applicable(m, haves, words)) out.push(m);
    }
  }
  return out;
}

/** compromise's trim-down and size check for one pattern. */
function applicable(m: Pattern, haves: Set<string>, words: number): boolean {
  if (words < m.minWords) return false;
  for (const need of m.needs) if (!haves.has(need)) return false;
  if (m.ifNo !== undefined) for (const no of m.ifNo) if (haves.has(no)) return false;
  if (m.wants.length === 0) return true;
  let found = 0;
  for (const w of m.wants) if (haves.has(w)) found++;
  return found >= m.minWant;
}

const fastBulkMatch: BulkMatch = (document, net, methods, opts = {}) => {
  const caches = methods.one.cacheDoc(document);
  const results: unknown[] = [];
  for (let n = 0; n < document.length; n++) {
    const words = document[n]!.length;
    const todo = candidates(caches[n]!, words, net);
    for (const m of net.always) if (words >= m.minWords) todo.push(m);
    for (const m of todo) {
      const res = methods.one.match([document[n]!], m);
      if (res.ptrs.length === 0) continue;
      for (const ptr of res.ptrs) {
        ptr[0] = n;
        results.push({ ...m, pointer: ptr, ...(m.unTag !== undefined ? { unTag: m.unTag } : {}) });
      }
      if (opts.matchOne === true) return [results[0]];
    }
  }
  return results;
};

const methodsOf = (): Methods => (nlp.world() as unknown as { methods: Methods }).methods;
let stock: BulkMatch | undefined;

/** Installs the faster sweep into compromise's (process-wide) world; later calls do nothing. */
export function installFastSweep(): void {
  const methods = methodsOf();
  if (stock) return;
  stock = methods.one.bulkMatch;
  methods.one.bulkMatch = fastBulkMatch;
}

/** Runs `fn` with compromise's own sweep, for tests that compare the two. */
export function withStockSweep<T>(fn: () => T): T {
  const methods = methodsOf();
  const current = methods.one.bulkMatch;
  methods.one.bulkMatch = stock ?? current;
  try {
    return fn();
  } finally {
    methods.one.bulkMatch = current;
  }
}
