import { gunzipSync, gzipSync } from 'node:zlib';
import { lowerBoundString } from '../bounds.ts';
import { IndexFormatError } from '../errors.ts';

/**
 * A segment's postings part (format 6): every term's FlexSearch postings in one binary object that
 * a query reads by byte range, so the bytes read grow with the terms it asks for, not with the
 * archive (the design of Lucene's terms index and Quickwit's "hotcache"):
 *
 *     [postings: per term in sorted order, its title slots, body slots, body positions]
 *     [directory blocks: BLOCK_TERMS terms each, gzipped JSON `DirectoryBlock`]
 *     [hot: gzipped JSON `PostingsHot`: each block's first term and byte offset]
 *
 * The manifest records where `hot` is and its SHA-256 (`PartInfo.hot`): a query reads it once per
 * segment (a few kB), then the one directory block a term falls in, then the term's own bytes. A
 * term's postings in one field are its FlexSearch rank slots: varint slot count, then per slot a
 * varint count and the ids as varint deltas (ids ascend within a slot: rows are added in order).
 * Its body positions (what phrase queries read, instead of every candidate's text) are a varint row
 * count, then per row (ascending) the row as a delta, a varint count and the token positions in
 * the body (as the `tokens` part numbers them) as deltas. Blocks and postings are not hashed one by one; decoding checks their structure and that every id
 * is a row of the segment, so damage is reported as an `IndexFormatError`, never as wrong answers
 * that look right.
 */
export const BLOCK_TERMS = 128;

/** One field's postings of a term: slot s holds `ids[ends[s-1] … ends[s])` (ends[-1] = 0). */
export interface SlotList {
  ids: Uint32Array;
  ends: Uint32Array;
}

/** A term's postings in each FlexSearch field (`FLEX_CONFIG.fields` order); null where it is absent. */
export type TermSlots = ReadonlyArray<SlotList | null>;

/** A term's body positions in one segment: row `rows[i]` has it at `pos[ends[i-1] … ends[i])` (ends[-1] = 0). */
export interface TermPositions {
  rows: Uint32Array;
  ends: Uint32Array;
  pos: Uint32Array;
}

/** Input of one term's positions: rows ascending, `pos[starts[i] … starts[i+1])` ascending for rows[i]. */
export interface PositionsInput {
  rows: ArrayLike<number>;
  starts: ArrayLike<number>;
  pos: ArrayLike<number>;
}

export interface DirectoryBlock {
  /** Byte offset of the block's first term's postings. */
  o: number;
  /** The block's terms, sorted. */
  t: string[];
  /** Per term, the byte length of its postings in each field (0: absent), fields in order, then of its body positions. */
  l: number[];
}

export interface PostingsHot {
  v: 1;
  fields: number;
  /** Terms in the segment; block b holds its terms b × `blockTerms` on, so a term's place in its block gives its id (the `tokens` part's ids). */
  terms: number;
  blockTerms: number;
  /** First term of each block. */
  first: string[];
  /** Byte offset of each block, and where the last one ends. */
  at: number[];
}

/** Where a term's postings are in the part: from `offset`, `lengths[f]` bytes per field, then `positions` bytes. */
export interface TermLocation {
  offset: number;
  lengths: number[];
  positions: number;
}

/**
 * Builds a segment's postings part from its terms' slots (`fieldsOf(term)` gives one entry per
 * field, undefined where absent) and body positions (`positionsOf(i)` for `terms[i]`).
 */
export function encodePostings(
  terms: readonly string[],
  fields: number,
  fieldsOf: (term: string) => ReadonlyArray<ReadonlyArray<ArrayLike<number> | undefined> | undefined>,
  positionsOf: (termIndex: number) => PositionsInput | null = () => null,
): { bytes: Uint8Array; hot: { offset: number; length: number } } {
  const out = new ByteWriter();
  const blocks: DirectoryBlock[] = [];
  for (let i = 0; i < terms.length; i++) {
    if (i > 0 && (terms[i - 1] as string) >= (terms[i] as string)) throw new Error('postings terms must be sorted and distinct');
    if (i % BLOCK_TERMS === 0) blocks.push({ o: out.length, t: [], l: [] });
    const block = blocks[blocks.length - 1] as DirectoryBlock;
    const term = terms[i] as string;
    block.t.push(term);
    const perField = fieldsOf(term);
    for (let f = 0; f < fields; f++) {
      const slots = perField[f];
      const start = out.length;
      if (slots && slots.some((s) => s && s.length > 0)) {
        out.varint(slots.length);
        for (const ids of slots) {
          const n = ids?.length ?? 0;
          out.varint(n);
          let prev = 0;
          for (let k = 0; k < n; k++) {
            const id = (ids as ArrayLike<number>)[k] as number;
            if (k > 0 && id <= prev) throw new Error(`postings of ${JSON.stringify(term)} are not ascending within a slot`);
            out.varint(k === 0 ? id : id - prev);
            prev = id;
          }
        }
      }
      block.l.push(out.length - start);
    }
    const start = out.length;
    const p = positionsOf(i);
    if (p && p.rows.length > 0) {
      out.varint(p.rows.length);
      for (let r = 0; r < p.rows.length; r++) {
        const row = p.rows[r] as number;
        if (r > 0 && row <= (p.rows[r - 1] as number)) throw new Error(`positions of ${JSON.stringify(term)} are not in row order`);
        out.varint(r === 0 ? row : row - (p.rows[r - 1] as number));
        const a = p.starts[r] as number;
        const b = p.starts[r + 1] as number;
        out.varint(b - a);
        for (let k = a; k < b; k++) out.varint(k === a ? (p.pos[k] as number) : (p.pos[k] as number) - (p.pos[k - 1] as number));
      }
    }
    block.l.push(out.length - start);
  }
  const at: number[] = [];
  for (const b of blocks) {
    at.push(out.length);
    out.bytes(gzipSync(JSON.stringify(b)));
  }
  at.push(out.length);
  const hot: PostingsHot = { v: 1, fields, terms: terms.length, blockTerms: BLOCK_TERMS, first: blocks.map((b) => b.t[0] as string), at };
  const hotBytes = gzipSync(JSON.stringify(hot));
  const offset = out.length;
  out.bytes(hotBytes);
  return { bytes: out.finish(), hot: { offset, length: hotBytes.byteLength } };
}

export function parseHot(bytes: Uint8Array, name: string): PostingsHot {
  const h = gunzipJson(bytes, name) as PostingsHot;
  const ok =
    h && h.v === 1 && Number.isInteger(h.fields) && Number.isInteger(h.terms) && Number.isInteger(h.blockTerms) && h.blockTerms > 0 &&
    h.terms <= h.first.length * h.blockTerms && h.terms > (h.first.length - 1) * h.blockTerms && Array.isArray(h.first) && Array.isArray(h.at) && h.at.length === h.first.length + 1 &&
    h.at.every((x, i) => Number.isInteger(x) && (i === 0 || x > (h.at[i - 1] as number))) && h.first.every((t) => typeof t === 'string');
  if (!ok) throw new IndexFormatError(`postings part ${name} has an invalid directory`);
  return h;
}

/** The block that would hold `term`, or -1 when it sorts before every term. */
export function blockOf(hot: PostingsHot, term: string): number {
  const i = lowerBoundString(hot.first, term);
  return hot.first[i] === term ? i : i - 1;
}

/** A directory block, checked, with each term's location precomputed. */
export class Directory {
  private readonly starts: number[];

  private constructor(
    private readonly block: DirectoryBlock,
    private readonly fields: number,
  ) {
    this.starts = [];
    let at = block.o;
    for (let i = 0; i < block.t.length; i++) {
      this.starts.push(at);
      for (let f = 0; f <= fields; f++) at += block.l[i * (fields + 1) + f] as number;
    }
  }

  static parse(bytes: Uint8Array, fields: number, name: string): Directory {
    const b = gunzipJson(bytes, name) as DirectoryBlock;
    const ok =
      b && Number.isInteger(b.o) && b.o >= 0 && Array.isArray(b.t) && Array.isArray(b.l) && b.l.length === b.t.length * (fields + 1) &&
      b.l.every((n) => Number.isInteger(n) && n >= 0) && b.t.every((t, i) => typeof t === 'string' && (i === 0 || (b.t[i - 1] as string) < t));
    if (!ok) throw new IndexFormatError(`postings part ${name} has an invalid directory block`);
    return new Directory(b, fields);
  }

  /** Approximate heap bytes (for the cache's budget). */
  get bytes(): number {
    return this.block.t.reduce((n, t) => n + 2 * t.length + 40, 0) + 16 * this.block.l.length;
  }

  /** Terms in the block. */
  get size(): number {
    return this.block.t.length;
  }

  /** Place in the block of the first term not below `term` (the block's size if none). */
  lowerBound(term: string): number {
    return lowerBoundString(this.block.t, term);
  }

  locate(term: string): TermLocation | null {
    const i = lowerBoundString(this.block.t, term);
    if (this.block.t[i] !== term) return null;
    const lanes = this.fields + 1;
    return { offset: this.starts[i] as number, lengths: this.block.l.slice(i * lanes, i * lanes + this.fields), positions: this.block.l[i * lanes + this.fields] as number };
  }
}

/** Reads varints from `bytes`, reporting damage with the part's name and the byte's place in it. */
class VarintReader {
  pos = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly base: number,
    private readonly name: string,
  ) {}

  bad(why: string): IndexFormatError {
    return new IndexFormatError(`postings part ${this.name} is damaged at byte ${this.base + this.pos}: ${why}`);
  }

  next(end: number): number {
    let v = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= end || shift > 28) throw this.bad('truncated number');
      const b = this.bytes[this.pos++] as number;
      v += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return v;
      shift += 7;
    }
  }
}

/** The bytes of a term's slots in every field (what `decodeTermSlots` reads), from `loc.offset`. */
export function slotsLength(loc: TermLocation): number {
  let n = 0;
  for (const l of loc.lengths) n += l;
  return n;
}

/** Decodes a term's body positions (`bytes` = exactly its `positions` bytes); every row below `rows`. */
export function decodePositions(bytes: Uint8Array, loc: TermLocation, rows: number, name: string): TermPositions {
  const r = new VarintReader(bytes, loc.offset + slotsLength(loc), name);
  const end = loc.positions;
  if (end > bytes.byteLength) throw r.bad('truncated positions');
  if (end === 0) return { rows: new Uint32Array(0), ends: new Uint32Array(0), pos: new Uint32Array(0) };
  const count = r.next(end);
  const rowList = new Uint32Array(count);
  const ends = new Uint32Array(count);
  const pos: number[] = [];
  let row = 0;
  for (let i = 0; i < count; i++) {
    const d = r.next(end);
    row = i === 0 ? d : row + d;
    if (row >= rows || (i > 0 && d === 0)) throw r.bad('row out of range');
    rowList[i] = row;
    const n = r.next(end);
    let p = 0;
    for (let k = 0; k < n; k++) {
      const x = r.next(end);
      p = k === 0 ? x : p + x;
      pos.push(p);
    }
    ends[i] = pos.length;
  }
  if (r.pos !== end) throw r.bad('positions longer than their directory entry');
  return { rows: rowList, ends, pos: Uint32Array.from(pos) };
}

/** Decodes a term's postings (`bytes` = exactly its slots' bytes, `slotsLength(loc)`); every id must be below `rows`. */
export function decodeTermSlots(bytes: Uint8Array, loc: TermLocation, rows: number, name: string): TermSlots {
  const out: Array<SlotList | null> = [];
  const r = new VarintReader(bytes, loc.offset, name);
  const bad = (why: string) => r.bad(why);
  const varint = (end: number) => r.next(end);
  for (const len of loc.lengths) {
    if (len === 0) {
      out.push(null);
      continue;
    }
    const end = r.pos + len;
    if (end > bytes.byteLength) throw bad('truncated postings');
    const slotCount = varint(end);
    const ends = new Uint32Array(slotCount);
    const ids: number[] = [];
    for (let s = 0; s < slotCount; s++) {
      const n = varint(end);
      let prev = 0;
      for (let k = 0; k < n; k++) {
        const d = varint(end);
        const id = k === 0 ? d : prev + d;
        if (id >= rows || (k > 0 && d === 0)) throw bad('row out of range');
        ids.push(id);
        prev = id;
      }
      ends[s] = ids.length;
    }
    if (r.pos !== end) throw bad('postings longer than their directory entry');
    out.push({ ids: Uint32Array.from(ids), ends });
  }
  return out;
}

function gunzipJson(bytes: Uint8Array, name: string): unknown {
  try {
    return JSON.parse(gunzipSync(bytes).toString('utf8'));
  } catch {
    throw new IndexFormatError(`postings part ${name} has a damaged directory`);
  }
}

/** Growable byte buffer with LEB128 varints. */
class ByteWriter {
  private buf = new Uint8Array(1 << 16);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  varint(v: number): void {
    this.room(5);
    while (v >= 0x80) {
      this.buf[this.length++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.length++] = v;
  }

  bytes(b: Uint8Array): void {
    this.room(b.byteLength);
    this.buf.set(b, this.length);
    this.length += b.byteLength;
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}
