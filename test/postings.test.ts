import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IndexFormatError } from '../core/errors.ts';
import { partText } from './helpers/part-text.ts';
import { BLOCK_TERMS, blockOf, decodePositions, decodeTermSlots, Directory, encodePostings, parseHot, slotsLength } from '../core/format/postings.ts';
import { encodeTokenIds } from '../core/format/token-ids.ts';
import { bodyPositions } from '../indexer/body-positions.ts';

/** A term's slots as plain arrays, holes as empty slots (what FlexSearch's maps mean by them). */
type Slots = Array<number[] | undefined>;

const slotsArb = (rows: number) =>
  fc.array(fc.option(fc.uniqueArray(fc.nat({ max: rows - 1 }), { maxLength: 20 }).map((a) => a.sort((x, y) => x - y)), { nil: undefined }), { minLength: 1, maxLength: 9 });

/** Reads one term back through the hot directory, its block and its bytes, as a query does. */
function lookup(bytes: Uint8Array, hotAt: { offset: number; length: number }, term: string, rows: number): Slots[] | null {
  const hot = parseHot(bytes.subarray(hotAt.offset, hotAt.offset + hotAt.length), 'p');
  const b = blockOf(hot, term);
  if (b < 0) return null;
  const dir = Directory.parse(bytes.subarray(hot.at[b], hot.at[b + 1]), hot.fields, 'p');
  const loc = dir.locate(term);
  if (!loc) return null;
  return decodeTermSlots(bytes.subarray(loc.offset, loc.offset + slotsLength(loc)), loc, rows, 'p').map((l) =>
    l === null ? [] : Array.from(l.ends, (end, s) => Array.from(l.ids.subarray(s === 0 ? 0 : l.ends[s - 1]!, end))),
  );
}

const norm = (slots: Slots | undefined): Slots => {
  if (!slots || !slots.some((s) => s && s.length)) return [];
  return slots.map((s) => s ?? []);
};

describe('postings part (format 6)', () => {
  it('gives back every term exactly, across directory blocks, and nothing for absent terms', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 3 * BLOCK_TERMS }),
        fc.integer({ min: 1, max: 500 }),
        fc.infiniteStream(fc.tuple(slotsArb(500), slotsArb(500))),
        (words, rows, stream) => {
          const terms = [...words].sort();
          const clamp = (s: Slots): Slots => s.map((ids) => ids?.filter((i) => i < rows));
          const data = new Map(terms.map((t) => { const [a, b] = stream.next().value as [Slots, Slots]; return [t, [clamp(a), clamp(b)]] as const; }));
          const { bytes, hot } = encodePostings(terms, 2, (t) => data.get(t)!);
          for (const t of terms) {
            const got = lookup(bytes, hot, t, rows);
            const [title, body] = data.get(t)!.map(norm);
            expect(got).toEqual([title, body]);
          }
          for (const absent of ['', '\uffff', terms[0]! + '\u0000']) if (!data.has(absent)) expect(lookup(bytes, hot, absent, rows)).toBeNull();
        },
      ),
      { numRuns: 60 },
    );
  });

  it('keeps its terms findable by the storage scans of the purge tests (test/helpers/part-text.ts)', () => {
    const terms = Array.from({ length: 300 }, (_, i) => `w${String(i).padStart(3, '0')}`).concat('quixotryl').sort();
    const { bytes } = encodePostings(terms, 2, () => [[[1, 2]], undefined]);
    expect(partText(bytes)).toContain('quixotryl');
    expect(partText(bytes)).toContain('w299');
  });

  it('gives back body positions as the rows numbered them, through bodyPositions and the part', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.nat({ max: 11 }), { maxLength: 30 }), { minLength: 1, maxLength: 40 }), (rowsOfIds) => {
        const termCount = 12;
        const terms = Array.from({ length: termCount }, (_, i) => `t${String(i).padStart(2, '0')}`);
        const positionsOf = bodyPositions(rowsOfIds.map((ids) => encodeTokenIds(ids)), termCount);
        const { bytes, hot } = encodePostings(terms, 2, () => [[[0]], undefined], positionsOf);
        const h = parseHot(bytes.subarray(hot.offset, hot.offset + hot.length), 'p');
        terms.forEach((t, i) => {
          const b = blockOf(h, t);
          const loc = Directory.parse(bytes.subarray(h.at[b], h.at[b + 1]), 2, 'p').locate(t)!;
          const start = loc.offset + slotsLength(loc);
          const got = decodePositions(bytes.subarray(start, start + loc.positions), loc, rowsOfIds.length, 'p');
          // Brute force: every (row, position) where the row's token is term i.
          const want: Array<[number, number[]]> = [];
          rowsOfIds.forEach((ids, row) => {
            const at = ids.flatMap((id, p) => (id === i ? [p] : []));
            if (at.length) want.push([row, at]);
          });
          const have = Array.from(got.rows, (row, k) => [row, Array.from(got.pos.subarray(k === 0 ? 0 : got.ends[k - 1]!, got.ends[k]))]);
          expect(have).toEqual(want);
        });
      }),
      { numRuns: 80 },
    );
  });

  it('refuses unsorted terms and ids that do not ascend within a slot', () => {
    expect(() => encodePostings(['b', 'a'], 1, () => [[[1]]])).toThrow(/sorted/);
    expect(() => encodePostings(['a'], 1, () => [[[3, 2]]])).toThrow(/ascending/);
  });

  it('reports damaged postings as an IndexFormatError: rows out of range, truncation, trailing bytes', () => {
    const { bytes, hot } = encodePostings(['oil'], 1, () => [[[0, 5], [7]]]);
    const h = parseHot(bytes.subarray(hot.offset, hot.offset + hot.length), 'p');
    const loc = Directory.parse(bytes.subarray(h.at[0], h.at[1]), 1, 'p').locate('oil')!;
    const own = bytes.subarray(loc.offset, loc.offset + loc.lengths[0]!);
    expect(() => decodeTermSlots(own, loc, 8, 'p')).not.toThrow();
    expect(() => decodeTermSlots(own, loc, 6, 'p')).toThrow(IndexFormatError);
    expect(() => decodeTermSlots(own.subarray(0, own.length - 1), loc, 8, 'p')).toThrow(/truncated/);
    expect(() => decodeTermSlots(own, { ...loc, lengths: [loc.lengths[0]! - 1] }, 8, 'p')).toThrow(IndexFormatError);
    expect(() => parseHot(Uint8Array.of(1, 2, 3), 'p')).toThrow(IndexFormatError);
  });
});
