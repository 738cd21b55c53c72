import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  addTarget,
  canonicalNames,
  canonicalOf,
  countTargets,
  rewritePeople,
  slugsIn,
  slugTargets,
} from '../indexer/entities/corpus-aliases.ts';
import { countUses, dropFirms, firmNames } from '../indexer/entities/corpus-institutions.ts';
import { EntityDictionary, type EntityDictionaryData } from '../indexer/entities/dictionary.ts';
import { createEntityExtractor, dropCorpusInstitutions, resolveCorpusAliases } from '../indexer/entities/index.ts';
import { enrich } from '../indexer/enrich.ts';
import { isSlug } from '../indexer/entities/person-name.ts';
import { readInputs } from '../indexer/read-inputs.ts';

type Article = { people: string[]; institutions?: string[] };

/** The one-go passes, as indexer/build.ts runs them over a whole corpus. */
function oneGo(corpus: readonly Article[]): Article[] {
  const out = structuredClone(corpus) as Article[];
  dropCorpusInstitutions(out);
  resolveCorpusAliases(out);
  return out;
}

/** The corpus through one dictionary, `size` articles at a time, in order. */
function inBatches(corpus: readonly Article[], size: number, dict = EntityDictionary.empty()): Article[] {
  const out = structuredClone(corpus) as Article[];
  for (let i = 0; i < out.length; i += size) dict.applyBatch(out.slice(i, i + size));
  return out;
}

const people = (articles: readonly Article[]) => articles.map((a) => a.people);
const roundTrip = (d: EntityDictionary) => EntityDictionary.fromJSON(JSON.parse(JSON.stringify(d)));

// Names built to hit every rule of both passes: spellings of one key, middle initials, descriptors,
// generational suffixes, lone surnames shared by several people, slugs, and firms named after people.
const FIRST = ['Paul', 'James', 'Howard', 'Vladimir', 'Tom', 'Merrill'];
const LAST = ['Volcker', 'Baker', 'Putin', 'Cruise', 'Lynch', 'Leigh-Pemberton'];
const arbName = fc.tuple(fc.constantFrom(...FIRST), fc.constantFrom(...LAST), fc.integer({ min: 0, max: 10 })).map(([f, l, form]) =>
  [`${f} A. ${l}`, `${f} ${l}`.toUpperCase(), l, `Scientologist ${f} ${l}`, `${f} ${l} Jr`, `${f}-${l}`.toLowerCase(), l.toLowerCase(),
    `${f} de ${l}`, l.split('-').pop()!.toLowerCase()][form] ?? `${f} ${l}`);
const arbArticle: fc.Arbitrary<Article> = fc.record({ people: fc.array(arbName, { maxLength: 5 }), inst: fc.array(arbName, { maxLength: 2 }) })
  .map(({ people: p, inst }) => (inst.length ? { people: p, institutions: inst } : { people: p }));
const arbCorpus = fc.array(arbArticle, { maxLength: 40 });

describe('EntityDictionary: one batch is the one-go passes', () => {
  it('on generated corpora', () => {
    fc.assert(fc.property(arbCorpus, (corpus) => {
      expect(inBatches(corpus, Infinity)).toEqual(oneGo(corpus));
    }), { numRuns: 400 });
  });

  describe('on the sample articles (examples/articles)', () => {
    const corpus: Article[] = [];
    beforeAll(async () => {
      const extractor = createEntityExtractor();
      for await (const item of readInputs([join(import.meta.dirname, '../examples/articles')])) {
        if (!item.ok) throw new Error(item.reason);
        const { people: p, institutions } = enrich(extractor, item.article);
        corpus.push(institutions ? { people: p, institutions } : { people: p });
      }
    }, 60_000);

    it('gives the same people', () => {
      expect(corpus).toHaveLength(48);
      // Not vacuous: the passes do rewrite something here ("Conductor Irina Sokolova").
      expect(people(oneGo(corpus))).not.toEqual(people(corpus));
      expect(people(inBatches(corpus, Infinity))).toEqual(people(oneGo(corpus)));
    });

    it('batch by batch too (5 at a time): the one rewrite there needs only its own article', () => {
      expect(people(inBatches(corpus, 5))).toEqual(people(oneGo(corpus)));
    });
  });
});

describe('EntityDictionary: later batches use what earlier ones taught', () => {
  const established = [{ people: ['Vladimir Putin'] }, { people: ['Vladimir Putin', 'Putin'] }, { people: ['Putin'] }];

  it('files a lone "Putin" under the "Vladimir Putin" an earlier batch established', () => {
    const dict = EntityDictionary.empty();
    dict.applyBatch(structuredClone(established));
    const later = [{ people: ['Putin', 'Mahmoud Abbas'] }];
    dict.applyBatch(later);
    expect(later[0]!.people).toEqual(['Vladimir Putin', 'Mahmoud Abbas']);
    // Also after a save and a load, as an incremental ingest would do.
    const reloaded = roundTrip(dict);
    const next = [{ people: ['Putin'] }];
    reloaded.applyBatch(next);
    expect(next[0]!.people).toEqual(['Vladimir Putin']);
  });

  it('leaves "Putin" alone when nothing established him, or two Putins share the name', () => {
    const alone = [{ people: ['Putin'] }];
    EntityDictionary.empty().applyBatch(alone);
    expect(alone[0]!.people).toEqual(['Putin']);
    const dict = EntityDictionary.empty();
    dict.applyBatch([{ people: ['Vladimir Putin'] }, { people: ['Lyudmila Putin'] }]);
    const later = [{ people: ['Putin'] }];
    dict.applyBatch(later);
    expect(later[0]!.people).toEqual(['Putin']);
  });

  it('drops a firm an earlier batch exposed, though the later article carries no institution mark', () => {
    const dict = EntityDictionary.empty();
    dict.applyBatch([{ people: ['Merrill Lynch'], institutions: ['Merrill Lynch'] }, { people: ['Merrill Lynch'] }]);
    const later = [{ people: ['Merrill Lynch', 'James Baker'] }];
    dict.applyBatch(later);
    expect(later).toEqual([{ people: ['James Baker'] }]);
  });

  it('matches a slug against full names an earlier batch found, and its dominance rule', () => {
    const dict = EntityDictionary.empty();
    dict.applyBatch([{ people: ['James Baker'] }, { people: ['James Baker', 'Robin Leigh-Pemberton'] }]);
    const later = [{ people: ['james-baker', 'leigh-pemberton', 'conable'] }];
    dict.applyBatch(later);
    expect(later[0]!.people).toEqual(['James Baker', 'Robin Leigh-Pemberton', 'Conable']);
  });

  it('decides from the names sharing a last word with the batch exactly as from the whole dictionary', () => {
    // The reference weighs every stored name, as the one-go passes would with the dictionary's counts added.
    function reference(data: EntityDictionaryData, batch: readonly Article[]): Article[] {
      const out = structuredClone(batch) as Article[];
      const stored = { asPerson: new Map<string, number>(), asInstitution: new Map<string, number>() };
      for (const [name, p, n] of data.names) {
        if (p) stored.asPerson.set(name, p);
        if (n) stored.asInstitution.set(name, n);
      }
      const all = countUses(out, { asPerson: new Map(stored.asPerson), asInstitution: new Map(stored.asInstitution) });
      const firms = firmNames(all);
      dropFirms(out, firms);
      const named = (name: string) => !isSlug(name) && !firms.has(name);
      const canon = canonicalNames(new Map([...all.asPerson].filter(([name]) => named(name))));
      const targets = countTargets(out, canon);
      for (const [name, n] of stored.asPerson) if (named(name)) addTarget(targets, canonicalOf(canon, name), n);
      rewritePeople(out, canon, slugTargets(slugsIn(out), targets));
      return out;
    }
    fc.assert(fc.property(arbCorpus, arbCorpus, (before, batch) => {
      const dict = EntityDictionary.empty();
      inBatches(before, 5, dict);
      const known = dict.toJSON();
      expect(inBatches(batch, Infinity, dict)).toEqual(reference(known, batch));
    }), { numRuns: 300 });
  });

  it('learns counts additively: any split of a corpus leaves the same dictionary', () => {
    fc.assert(fc.property(arbCorpus, fc.integer({ min: 1, max: 10 }), (corpus, size) => {
      const whole = EntityDictionary.empty();
      const split = EntityDictionary.empty();
      inBatches(corpus, Infinity, whole);
      inBatches(corpus, size, split);
      expect(split.toJSON()).toEqual(whole.toJSON());
    }), { numRuns: 200 });
  });
});

describe('EntityDictionary: persistence and determinism', () => {
  it('round-trips through JSON into a dictionary that behaves identically', () => {
    fc.assert(fc.property(arbCorpus, arbCorpus, (before, after) => {
      const dict = EntityDictionary.empty();
      inBatches(before, 7, dict);
      const copy = roundTrip(dict);
      expect(copy.toJSON()).toEqual(dict.toJSON());
      expect(copy.size).toBe(dict.size);
      expect(inBatches(after, 7, copy)).toEqual(inBatches(after, 7, dict));
      expect(copy.toJSON()).toEqual(dict.toJSON());
    }), { numRuns: 200 });
  });

  it('decides alike whatever the order of its names or of the articles in a batch', () => {
    const arbCase = fc.tuple(arbCorpus, arbCorpus).chain(([before, batch]) => {
      const dict = EntityDictionary.empty();
      inBatches(before, Infinity, dict);
      const data = dict.toJSON();
      return fc.record({
        data: fc.constant(data),
        names: fc.shuffledSubarray(data.names, { minLength: data.names.length }),
        batch: fc.constant(batch),
        order: fc.shuffledSubarray([...batch.keys()], { minLength: batch.length }),
      });
    });
    fc.assert(fc.property(arbCase, ({ data, names, batch, order }) => {
      const straight = structuredClone(batch);
      const dict = EntityDictionary.fromJSON(data);
      dict.applyBatch(straight);
      const shuffled = order.map((i) => structuredClone(batch[i]!));
      const reordered = EntityDictionary.fromJSON({ ...data, names });
      reordered.applyBatch(shuffled);
      order.forEach((i, k) => expect(shuffled[k]).toEqual(straight[i]));
      expect(JSON.stringify(reordered)).toBe(JSON.stringify(dict));
    }), { numRuns: 200 });
  });

  it('serializes names sorted, so equal dictionaries give equal JSON', () => {
    const a = EntityDictionary.empty();
    a.applyBatch([{ people: ['Zoë Müller'] }, { people: ['Amani Wanjiru', 'Zoë Müller'] }]);
    const b = EntityDictionary.empty();
    b.applyBatch([{ people: ['Amani Wanjiru', 'Zoë Müller'] }, { people: ['Zoë Müller'] }]);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.toJSON().names).toEqual([['Amani Wanjiru', 1], ['Zoë Müller', 2]]);
  });

  const valid = (): EntityDictionaryData => ({ version: 1, articles: 2, maxNames: 10, pruned: 0, names: [['Paul Volcker', 2], ['Merrill Lynch', 1, 1]] });
  it.each<[string, (d: EntityDictionaryData) => unknown, RegExp]>([
    ['not an object', () => [], /expected an object/],
    ['another version', (d) => ({ ...d, version: 2 }), /unsupported version 2/],
    ['a negative count', (d) => ({ ...d, names: [['Paul Volcker', -1]] }), /names\[0\]\[1\] must be an integer ≥ 0, got -1/],
    ['a zero institution count', (d) => ({ ...d, names: [['Merrill Lynch', 1, 0]] }), /names\[0\]\[2\] must be an integer ≥ 1/],
    ['a name twice', (d) => ({ ...d, names: [...d.names, ['Paul Volcker', 1]] }), /names\[2\]: duplicate name "Paul Volcker"/],
    ['a name with no articles', (d) => ({ ...d, names: [['Paul Volcker', 0]] }), /names\[0\]: "Paul Volcker" has no articles/],
    ['an empty name', (d) => ({ ...d, names: [['', 1]] }), /names\[0\]\[0\] must be a non-empty string/],
    ['names not an array', (d) => ({ ...d, names: {} }), /names must be an array/],
    ['no maxNames', ({ maxNames: _, ...d }) => d, /maxNames must be an integer ≥ 1, got undefined/],
  ])('fromJSON rejects %s', (_, change, message) => {
    expect(() => EntityDictionary.fromJSON(valid())).not.toThrow();
    expect(() => EntityDictionary.fromJSON(change(valid()))).toThrow(message);
  });
});

describe('EntityDictionary: bounded size', () => {
  it('prunes the rarest names past maxNames and keeps the ones that matter', () => {
    const dict = EntityDictionary.empty({ maxNames: 20 });
    for (let b = 0; b < 30; b++) {
      // Every batch: the same well-known man, and ten people never seen again.
      const batch = [{ people: ['Vladimir Putin'] }, ...Array.from({ length: 10 }, (_, i) => ({ people: [`Person${b}x${i} Smith${b}x${i}`] }))];
      dict.applyBatch(batch);
      expect(dict.size).toBeLessThanOrEqual(20);
    }
    const data = dict.toJSON();
    expect(data.articles).toBe(30 * 11);
    expect(data.pruned).toBeGreaterThan(0);
    expect(data.names).toContainEqual(['Vladimir Putin', 30]);
    const later = [{ people: ['Putin'] }];
    dict.applyBatch(later);
    expect(later[0]!.people).toEqual(['Vladimir Putin']);
  });

  it('keeps counts, not articles: 100,000 stories about one man are one name', () => {
    const dict = EntityDictionary.empty();
    for (let b = 0; b < 20; b++) dict.applyBatch(Array.from({ length: 5_000 }, () => ({ people: ['Vladimir Putin'] })));
    expect(dict.size).toBe(1);
    expect(JSON.stringify(dict).length).toBeLessThan(200);
  });
});
