import { describe, expect, it } from 'vitest';
import { createRouter } from '../core/http/router.ts';
import { parseSearchParams, rawQueryFromString } from '../core/http/params.ts';
import { search } from '../core/search/search.ts';
import { boundedDistance } from '../core/search/spell.ts';
import { suggest } from '../core/search/suggest.ts';
import { article, memoryIndex } from './helpers/memory-index.ts';
import { bodyText } from './helpers/body.ts';

const corpus = [
  article({ id: 's1', date: '2024-01-01', title: 'Putin visits Sochi', body: 'Vladimir Putin arrived in Sochi for talks about the pipeline.', people: ['Vladimir Putin'], locations: ['Sochi', 'Russia'] }),
  article({ id: 's2', date: '2024-01-02', title: 'Pipeline talks', body: 'Putin and officials discussed the pipeline and public budgets.', people: ['Vladimir Putin'], locations: ['Russia'] }),
  article({ id: 's3', date: '2024-01-03', title: 'Puerto Rico storm', body: 'A storm hit Puerto Rico; public schools closed.', locations: ['Puerto Rico'] }),
  article({ id: 's4', date: '2024-01-04', title: 'Budget vote', body: 'The public budget passed after a long debate about pipelines.', people: ['Ana Pulido'] }),
];
const params = (qs: string) => parseSearchParams(rawQueryFromString(qs));

describe('did you mean', () => {
  it('answers a query with an unknown word for the closest known term, and says so', async () => {
    const { index } = await memoryIndex(corpus);
    const res = await search(index, params('q=pipelnie'));
    expect(res.corrected).toBe(true);
    expect(res.didYouMean).toBe('pipeline ');
    // "pipeline" also finds its other form "pipelines" (s4).
    expect(res.hits.map((h) => h.id).sort()).toEqual(['s1', 's2', 's4']);
    // Only the unknown word is replaced; the others stay as typed.
    const two = await search(index, params('q=putin%20pipleine%20'));
    expect(two.didYouMean).toBe('putin pipeline ');
    expect(two.total).toBe(2);
  });

  it('leaves good queries alone and does not invent corrections for nonsense', async () => {
    const { index } = await memoryIndex(corpus);
    const ok = await search(index, params('q=pipeline'));
    expect(ok.didYouMean).toBeUndefined();
    expect(ok.corrected).toBeUndefined();
    const none = await search(index, params('q=zzqxw'));
    expect(none).toMatchObject({ total: 0 });
    expect(none.didYouMean).toBeUndefined();
  });

  it('measures edit distance with adjacent swaps as one edit, bounded', () => {
    expect(boundedDistance('pipelnie', 'pipeline', 2)).toBe(1);
    expect(boundedDistance('putn', 'putin', 2)).toBe(1);
    expect(boundedDistance('kitten', 'sitting', 2)).toBe(-1);
    expect(boundedDistance('kitten', 'sitting', 3)).toBe(3);
    expect(boundedDistance('same', 'same', 0)).toBe(0);
  });
});

describe('suggest', () => {
  it('completes terms, people and places with their article counts', async () => {
    const { index } = await memoryIndex(corpus);
    const res = suggest(index, 'pu', 10);
    const byKind = (k: string) => res.suggestions.filter((s) => s.kind === k).map((s) => `${s.value}:${s.count}`);
    expect(byKind('person')).toEqual(['Vladimir Putin:2', 'Ana Pulido:1']);
    expect(byKind('location')).toEqual(['Puerto Rico:1']);
    // "puerto" is in one article only: single-article terms are left out when others complete the word.
    expect(byKind('term')).toEqual(['public:3', 'putin:2']);
  });

  it('keeps earlier words and matches multi-word names from their start', async () => {
    const { index } = await memoryIndex(corpus);
    expect(suggest(index, 'putin pip', 5).suggestions.filter((s) => s.kind === 'term').map((s) => s.value)).toEqual(['putin pipeline']);
    expect(suggest(index, 'pipelines', 5).suggestions.map((s) => s.value)).toEqual(['pipelines']);
    expect(suggest(index, 'vladimir p', 5).suggestions.find((s) => s.kind === 'person')?.value).toBe('Vladimir Putin');
    expect(suggest(index, '   ', 5).suggestions).toEqual([]);
  });

  it('is served at /suggest with validated parameters', async () => {
    const { index } = await memoryIndex(corpus);
    const router = createRouter({ getIndex: async () => index });
    const ok = await router({ method: 'GET', path: '/suggest', query: 'q=soc&limit=3', headers: {} });
    expect(ok.status).toBe(200);
    expect(JSON.parse(bodyText(ok)).suggestions[0]).toEqual({ value: 'Sochi', kind: 'location', count: 1 });
    for (const [query, field] of [['', 'q'], ['q=a&limit=50', 'limit'], ['q=a&sort=date', 'sort'], [`q=${'a'.repeat(101)}`, 'q']]) {
      const bad = await router({ method: 'GET', path: '/suggest', query: query as string, headers: {} });
      expect(bad.status).toBe(400);
      expect(JSON.parse(bodyText(bad)).error.field).toBe(field);
    }
  });
});
