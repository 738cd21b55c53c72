import { describe, expect, it } from 'vitest';
import { BadRequestError } from '../core/errors.ts';
import { ARTICLE_LIMITS, LIMITS, SORT_ORDERS, SUGGEST_LIMITS } from '../core/http/limits.ts';
import { parseArticleId, parseNoParams, parseSearchParams, parseSuggestParams, rawQueryFromString } from '../core/http/params.ts';

const parse = (qs: string) => parseSearchParams(rawQueryFromString(qs));
const failure = (qs: string, parser: (qs: string) => unknown = parse) => {
  try {
    parser(qs);
  } catch (err) {
    expect(err).toBeInstanceOf(BadRequestError);
    const e = err as BadRequestError;
    return { code: e.code, field: e.field, message: e.message };
  }
  throw new Error(`expected ${qs} to be rejected`);
};

describe('parseSearchParams', () => {
  it('applies defaults: date order without q, relevance with q', () => {
    expect(parse('')).toEqual({ q: '', person: [], location: [], about: [], from: null, to: null, sort: 'date', recency: null, page: 1, limit: 10, facetLimit: 10, cursor: null });
    expect(parse('q=putin').sort).toBe('relevance');
  });

  it('reads every parameter', () => {
    expect(parse('q=oil+price&person=A&person=B&location=Russia&about=Chile&about=Peru&from=2021-01-01&to=2021-12-31&sort=date_asc&page=3&limit=25&facetLimit=5')).toEqual({
      recency: null,
      q: 'oil price',
      person: ['A', 'B'],
      location: ['Russia'],
      about: ['Chile', 'Peru'],
      from: '2021-01-01',
      to: '2021-12-31',
      sort: 'date_asc',
      page: 3,
      limit: 25,
      facetLimit: 5,
      cursor: null,
    });
  });

  it('drops tracking and cache-busting parameters before validation', () => {
    expect(parse('q=oil&utm_source=news&utm_medium=email&fbclid=x&gclid=y&_=1712345678&utm_=z')).toEqual(parse('q=oil'));
    expect([...rawQueryFromString('_=1&__=2&utm_x=3&q=a').keys()]).toEqual(['__', 'q']);
  });

  it('trims q and filter values and drops repeated filter values', () => {
    const p = parse('q=%20putin%20&person=%20Joe%20Biden&person=Joe%20Biden');
    expect(p.q).toBe('putin '); // the trailing space is kept: it marks the last word as complete
    expect(p.person).toEqual(['Joe Biden']);
  });

  it('accepts the boundaries', () => {
    expect(parse(`limit=${LIMITS.maxLimit}`).limit).toBe(100);
    expect(parse('limit=1&facetLimit=0').facetLimit).toBe(0);
    expect(parse('from=2021-01-01&to=2021-01-01').from).toBe('2021-01-01');
    expect(parse(`q=${'a'.repeat(500)}`).q).toHaveLength(500);
    expect(parse('q=oil&recency=1').recency).toBe(1);
    expect(parse(`q=oil&sort=relevance&recency=${LIMITS.maxRecencyDays}`).recency).toBe(36500);
  });

  it.each([
    ['sort=newest', 'invalid_parameter', 'sort'],
    ['limit=0', 'invalid_parameter', 'limit'],
    ['limit=101', 'invalid_parameter', 'limit'],
    ['limit=1.5', 'invalid_parameter', 'limit'],
    ['limit=-1', 'invalid_parameter', 'limit'],
    ['limit=', 'invalid_parameter', 'limit'],
    ['page=0', 'invalid_parameter', 'page'],
    ['page=99999999999999', 'invalid_parameter', 'page'],
    ['facetLimit=101', 'invalid_parameter', 'facetLimit'],
    ['q=oil&recency=0', 'invalid_parameter', 'recency'],
    ['q=oil&recency=36501', 'invalid_parameter', 'recency'],
    ['q=oil&recency=7.5', 'invalid_parameter', 'recency'],
    ['q=oil&recency=week', 'invalid_parameter', 'recency'],
    // The boost re-weights relevance: meaningless (so refused) with a date order or without text.
    ['q=oil&sort=date&recency=30', 'invalid_parameter', 'recency'],
    ['recency=30', 'invalid_parameter', 'recency'],
    ['from=2021-13-01', 'invalid_parameter', 'from'],
    ['from=2021-02-30', 'invalid_parameter', 'from'],
    ['to=yesterday', 'invalid_parameter', 'to'],
    ['from=2021-06-01&to=2021-05-31', 'invalid_parameter', 'from'],
    [`q=${'x'.repeat(501)}`, 'invalid_parameter', 'q'],
    ['person=', 'invalid_parameter', 'person'],
    [`location=${'y'.repeat(201)}`, 'invalid_parameter', 'location'],
    [Array.from({ length: 11 }, (_, i) => `person=p${i}`).join('&'), 'invalid_parameter', 'person'],
    ['q=a&q=b', 'invalid_parameter', 'q'],
    ['lmit=5', 'unknown_parameter', 'lmit'],
    ['utmsource=x', 'unknown_parameter', 'utmsource'],
    ['cursor=abc&page=2', 'invalid_parameter', 'cursor'],
    ['cursor=%21%21', 'invalid_parameter', 'cursor'],
    ['cursor=', 'invalid_parameter', 'cursor'],
    ['cursor=a&cursor=b', 'invalid_parameter', 'cursor'],
    ['__proto__=x', 'unknown_parameter', '__proto__'],
    ['constructor=x', 'unknown_parameter', 'constructor'],
  ])('rejects %s', (qs, code, field) => {
    const f = failure(qs);
    expect(f.code).toBe(code);
    expect(f.field).toBe(field);
    expect(f.message).toContain(field);
  });
});

describe('every sort order of limits.ts, and only those, is accepted', () => {
  it.each(SORT_ORDERS)('sort=%s', (sort) => {
    expect(parse(`q=oil&sort=${sort}`).sort).toBe(sort);
  });
  it('names them all when rejecting another', () => {
    expect(failure('sort=newest').message).toBe(`sort must be one of ${SORT_ORDERS.join(', ')}`);
  });
});

describe('parseSuggestParams', () => {
  const suggest = (qs: string) => parseSuggestParams(rawQueryFromString(qs));
  it('applies the default and accepts the bounds', () => {
    expect(suggest('q=ab')).toEqual({ q: 'ab', limit: SUGGEST_LIMITS.defaultLimit });
    expect(suggest(`q=${'a'.repeat(SUGGEST_LIMITS.qMaxLength)}&limit=${SUGGEST_LIMITS.maxLimit}`).limit).toBe(SUGGEST_LIMITS.maxLimit);
  });
  it.each([
    ['q=', 'invalid_parameter', 'q'],
    [`q=${'a'.repeat(SUGGEST_LIMITS.qMaxLength + 1)}`, 'invalid_parameter', 'q'],
    [`q=a&limit=${SUGGEST_LIMITS.maxLimit + 1}`, 'invalid_parameter', 'limit'],
    ['q=a&limit=0', 'invalid_parameter', 'limit'],
    ['q=a&sort=date', 'unknown_parameter', 'sort'],
  ])('rejects %s', (qs, code, field) => {
    expect(failure(qs, suggest)).toMatchObject({ code, field });
  });
});

describe('routes without parameters, and article ids', () => {
  it('rejects the first name given as unknown, repeated or not', () => {
    expect(parseNoParams(rawQueryFromString(''))).toEqual({});
    expect(parseNoParams(rawQueryFromString('&&'))).toEqual({});
    expect(failure('b=1&b=2&a=1', (qs) => parseNoParams(rawQueryFromString(qs)))).toEqual({ code: 'unknown_parameter', field: 'b', message: 'Unknown parameter: b' });
  });

  it('decodes ids up to the limit', () => {
    expect(parseArticleId('a%2F1%20x')).toBe('a/1 x');
    expect(parseArticleId('x'.repeat(ARTICLE_LIMITS.idMaxLength))).toHaveLength(ARTICLE_LIMITS.idMaxLength);
    for (const bad of ['', 'x'.repeat(ARTICLE_LIMITS.idMaxLength + 1), '%E0%A4%A']) {
      expect(failure(bad, parseArticleId)).toMatchObject({ code: 'invalid_parameter', field: 'id' });
    }
  });
});
