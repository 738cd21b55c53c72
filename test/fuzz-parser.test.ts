import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFromInputs, type BuildReport } from '../indexer/build.ts';
import { loadIndex } from '../core/search/load-index.ts';
import { createRouter } from '../core/http/router.ts';
import { bodyText } from './helpers/body.ts';

/**
 * Property tests of ingestion: generated files of malformed, odd and valid records go through the
 * real build (`buildFromInputs`, one in-process worker). Whatever is in them, the build never
 * crashes, every record is indexed or reported with its place and reason, and the counts add up.
 * FUZZ_SEED=<n> replays or explores another run.
 */
const SEED = Number(process.env['FUZZ_SEED'] ?? 20_240_601);
const RUNS = 16;

type Expectation = { kind: 'indexed'; id: string } | { kind: 'rejected'; reason: RegExp } | { kind: 'either' };
/** One generated record: how to write it (a JSON value, or raw text for broken lines) and its fate. */
type Spec =
  | { kind: 'valid'; idStyle: number; date: string; title: unknown; body: string; extra: Record<string, unknown> }
  | { kind: 'duplicate'; pick: number }
  | { kind: 'bad'; record: Record<string, unknown>; reason: RegExp }
  | { kind: 'notObject'; value: unknown }
  | { kind: 'broken'; text: string }
  | { kind: 'anything'; value: unknown };

const anyString = (maxLength: number) => fc.string({ unit: 'binary', maxLength });
const goodDate = fc.constantFrom('2024-02-29', '1999-12-31', '2021-01-01T09:30:00Z', '2010-06-15T00:00:00.000+02:00', ' 2020-05-05 ');
const body = fc.oneof(fc.lorem({ maxCount: 30 }), anyString(200).map((s) => `x ${s}`), fc.string({ unit: 'grapheme', maxLength: 200 }).map((s) => `${s} y`));
const KNOWN = new Set(['id', 'date', 'title', 'body', 'url', 'people', 'places']);
const unknownFields = fc.dictionary(anyString(10).filter((k) => !KNOWN.has(k)), fc.jsonValue({ maxDepth: 4 }), { maxKeys: 4 });
const base = { id: 'ok-id', date: '2024-01-01', body: 'Some text.' };

const BAD: Array<[Record<string, unknown>, RegExp]> = [
  ...['2021-02-30', '2021-13-01', '', 'yesterday', '2021-01-01T', '2021-1-1', '01/02/2021', '2021-01-01 12:00'].map((date): [Record<string, unknown>, RegExp] => [{ ...base, date }, /^bad date/]),
  [{ ...base, date: 20210101 }, /^bad date/],
  [{ ...base, date: null }, /^bad date/],
  [{ id: 'no-date', body: 'x' }, /^bad date/],
  [{ ...base, id: '' }, /^missing id/],
  [{ ...base, id: '   ' }, /^missing id/],
  [{ ...base, id: { nested: 1 } }, /^missing id/],
  [{ ...base, id: ['a'] }, /^missing id/],
  [{ ...base, id: true }, /^missing id/],
  [{ date: '2024-01-01', body: 'x' }, /^missing id/],
  [{ ...base, id: 'x'.repeat(257) }, /^id longer/],
  [{ ...base, id: 'tab\there' }, /control characters/],
  [{ ...base, id: 'nul\u0000' }, /control characters/],
  [{ ...base, body: '' }, /^empty body/],
  [{ ...base, body: ' \n\t ' }, /^empty body/],
  [{ ...base, body: 42 }, /^empty body/],
  [{ ...base, body: { text: 'x' } }, /^empty body/],
  [{ ...base, title: 5 }, /^title must be a string/],
  [{ ...base, title: ['t'] }, /^title must be a string/],
  [{ ...base, url: 'javascript:alert(1)' }, /^url must be/],
  [{ ...base, url: 'ftp://example.org/x' }, /^url must be/],
  [{ ...base, url: 'not a url' }, /^url must be/],
  [{ ...base, people: 'Alice' }, /^people must be/],
  [{ ...base, people: [1, 2] }, /^people must be/],
  [{ ...base, places: [['Paris']] }, /^places must be/],
  [{ ...base, places: { a: 'Paris' } }, /^places must be/],
];

const spec: fc.Arbitrary<Spec> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('valid' as const), idStyle: fc.nat(7), date: goodDate, title: fc.constantFrom(undefined, null, '', '  Title  ', 'A title with <b>html</b>', '日本語の見出し'), body, extra: unknownFields }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), pick: fc.nat() }) },
  { weight: 4, arbitrary: fc.constantFrom(...BAD).map(([record, reason]) => ({ kind: 'bad' as const, record, reason })) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>([], [1, 2], 5, 'string', null, true, [{ id: 'in-array' }]).map((value) => ({ kind: 'notObject' as const, value })) },
  { weight: 2, arbitrary: fc.oneof(fc.constantFrom('{', '{"id":', "{'id':'x'}", 'NaN', '\u0000', '{"a":1}}', 'undefined', '[1,]'), anyString(30).filter((s) => s.trim() !== '' && !isJson(s))).map((text) => ({ kind: 'broken' as const, text })) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => ({ kind: 'anything' as const, value })) },
);

function isJson(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}

/** Ids that are legal but hostile: path traversal, spaces to trim, numbers, non-BMP, lone surrogates. */
function idFor(style: number, n: string): string | number {
  return [`r${n}`, `../r${n}`, `r${n}/../../etc/passwd`, `  r${n}  `, Number(`9${n.replace(/\D/g, '')}`), `r${n}-ünï-😀`, `r${n}\ud800`, `__proto__${n}`][style] as string | number;
}

interface Written {
  /** Files in the order given to the build. */
  files: string[];
  /** `${file} ${record}` → what must happen to it. */
  expected: Map<string, Expectation>;
}

/** Materializes specs into one NDJSON file (CRLF or LF), one gzipped NDJSON file and one JSON array. */
async function writeRun(dir: string, specs: Spec[], run: number, crlf: boolean): Promise<Written> {
  const expected = new Map<string, Expectation>();
  const seenIds: string[] = [];
  const ndjson = join(dir, `run${run}.ndjson`);
  const gz = join(dir, `run${run}.jsonl.gz`);
  const array = join(dir, `run${run}.json`);
  const lines: Record<string, string[]> = { [ndjson]: [], [gz]: [] };
  const arrayValues: unknown[] = [];
  const targetOf = (s: Spec, i: number) => (i % 5 === 4 && s.kind !== 'broken' ? array : i % 7 === 3 ? gz : ndjson);
  // Materialized in the order the build reads them, so "first seen" is the same for both.
  const ordered = [ndjson, gz, array].flatMap((t) => specs.map((s, i) => ({ s, i, target: t })).filter((x) => targetOf(x.s, x.i) === t));
  ordered.forEach(({ s, i, target }) => {
    const n = `${run}-${i}`;
    let value: unknown;
    let text: string | null = null;
    let exp: Expectation;
    if (s.kind === 'valid' || (s.kind === 'duplicate' && seenIds.length === 0)) {
      const v = s.kind === 'valid' ? s : { idStyle: 0, date: '2024-01-01', title: undefined, body: 'dup fallback', extra: {} };
      const id = idFor(v.idStyle, n);
      const trimmed = String(id).trim();
      seenIds.push(trimmed);
      value = { ...v.extra, id, date: v.date, body: v.body, ...(v.title === undefined ? {} : { title: v.title }) };
      exp = { kind: 'indexed', id: trimmed };
    } else if (s.kind === 'duplicate') {
      const id = seenIds[s.pick % seenIds.length] as string;
      value = { id, date: '2024-01-02', body: 'A second article with the same id.' };
      exp = { kind: 'rejected', reason: /^duplicate id .* \(first seen in .+ (line|record) \d+\)$/ };
    } else if (s.kind === 'bad') {
      value = s.record;
      exp = { kind: 'rejected', reason: s.reason };
    } else if (s.kind === 'notObject') {
      value = s.value;
      exp = { kind: 'rejected', reason: /^record is not a JSON object$/ };
    } else if (s.kind === 'broken') {
      text = s.text;
      exp = { kind: 'rejected', reason: /^invalid JSON: / };
    } else {
      value = s.value;
      exp = { kind: 'either' };
    }
    if (target === array) {
      arrayValues.push(value);
      expected.set(`${array} record ${arrayValues.length}`, exp);
    } else {
      const list = lines[target] as string[];
      text ??= JSON.stringify(value);
      // Record text never holds a raw line break (JSON.stringify escapes them), except broken lines:
      // split those the way readline will (\r\n, \r or \n), each piece its own record.
      const pieces = text.split(/\r\n|\r|\n/);
      for (const piece of pieces) {
        list.push(piece);
        if (piece.trim() === '') continue;
        expected.set(`${target} line ${list.length}`, pieces.length === 1 ? exp : { kind: 'either' });
      }
      if (i % 4 === 0) list.push(''); // blank lines are skipped, not counted
    }
  });
  const eol = crlf ? '\r\n' : '\n';
  await writeFile(ndjson, (lines[ndjson] as string[]).join(eol) + eol);
  await writeFile(gz, gzipSync((lines[gz] as string[]).join(eol)));
  await writeFile(array, JSON.stringify(arrayValues));
  return { files: [ndjson, gz, array], expected };
}

/** Checks a build report against what was written: every record accounted for, counts that add up. */
async function checkReport(report: BuildReport, written: Written): Promise<string[]> {
  expect(report.read).toBe(report.indexed + report.rejected);
  expect(report.rejections).toHaveLength(report.rejected);
  expect(report.read).toBe(written.expected.size);
  const rejected = new Map(report.rejections.map((r) => [`${r.file} ${r.record}`, r.reason]));
  expect(rejected.size, 'one rejection per record').toBe(report.rejected);
  const files = report.bundle.files!;
  const index = await loadIndex(async (name) => files.get(name) as Uint8Array);
  expect(index.size).toBe(report.indexed);
  expect(report.bundle.manifest.articleCount).toBe(report.indexed);
  const ids = new Set(index.ids);
  let either = 0;
  for (const [where, exp] of written.expected) {
    const reason = rejected.get(where);
    if (exp.kind === 'indexed') {
      expect(reason, `${where} should be indexed`).toBeUndefined();
      expect(ids.has(exp.id), `${where}: id ${JSON.stringify(exp.id)} indexed`).toBe(true);
    } else if (exp.kind === 'rejected') {
      expect(reason, `${where} should be rejected`).toMatch(exp.reason);
    } else if (reason === undefined) {
      either++;
    }
  }
  expect(ids.size).toBe([...written.expected.values()].filter((e) => e.kind === 'indexed').length + either);
  return index.ids;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ns-fuzz-parse-'));
  console.log(`fuzz-parser: seed ${SEED} (FUZZ_SEED=${SEED} to replay)`);
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('fuzzing ingestion with generated files', () => {
  it('indexes or reports every generated record, and the counts add up', async () => {
    let records = 0;
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(spec, { minLength: 20, maxLength: 70 }), fc.boolean(), async (specs, crlf) => {
        const runDir = join(dir, `run-${++run}`);
        await mkdir(runDir);
        const written = await writeRun(runDir, specs, run, crlf);
        const report = await buildFromInputs({ inputs: written.files, workers: 1 });
        records += report.read;
        await checkReport(report, written);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    console.log(`fuzz-parser: ${records} generated records in ${RUNS} builds`);
  });
});

describe('specific hostile inputs', () => {
  it('survives invalid UTF-8, 10 MB bodies, deep nesting, prototype keys, duplicates and path-like ids', async () => {
    const d = join(dir, 'nasty');
    await mkdir(join(d, 'folder'), { recursive: true });
    const f = (name: string) => join(d, name);
    const rec = (id: string, extra: Record<string, unknown> = {}) => JSON.stringify({ id, date: '2024-01-01', body: `Body of ${id}.`, ...extra });
    const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
    const invalidUtf8 = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0xc0, 0xaf, 0xed, 0xa0, 0x80, 0x22, 0x7d]);
    const ndjsonLines: Array<Buffer | string> = [
      rec('../../../../etc/passwd'), // line 1: a legal id; it names nothing on disk
      rec('unknown-fields', { categories: ['x'], nested: { a: { b: [1, { c: null }] } } }).replace(/}$/, ',"__proto__":{"polluted":true}}'),
      `{"id":"deep-extra","date":"2024-01-01","body":"deep","extra":${deep(100_000)}}`,
      deep(100_000), // line 4: an array, not an article
      `{"id":"deep-people","date":"2024-01-01","body":"x","people":${deep(1_000)}}`,
      `{"__proto__":{"id":"proto-only","date":"2024-01-01","body":"x"}}`, // line 6: no own id
      rec('huge', { body: 'word '.repeat(2_000_000) }), // line 7: 10 MB body
      Buffer.concat([Buffer.from('{"id":"bad-utf8","date":"2024-01-01","body":"a'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('b"}')]),
      rec('dup'), // line 9
      rec('nul\u0000byte'),
      rec('lone-\ud800-surrogate'),
      '\uFEFF' + rec('bom-in-middle'),
    ];
    const ndjson = Buffer.concat(ndjsonLines.map((l) => Buffer.concat([typeof l === 'string' ? Buffer.from(l) : l, Buffer.from('\n')])));
    await writeFile(f('a.ndjson'), ndjson);
    await writeFile(f('b.json'), invalidUtf8);
    await writeFile(f('c.json'), JSON.stringify([JSON.parse(rec('dup')), JSON.parse(rec('in-array'))]));
    await writeFile(f('d.txt'), Buffer.concat([Buffer.from('date 2024-01-01\nTitle\n'), Buffer.from([0xff, 0xfe])]));
    await writeFile(f('e.txt'), `\uFEFF date 2024-02-02 ${'All on one line. '.repeat(20)}`);
    await writeFile(f('f.txt'), `date 2024-02-03\n${'x'.repeat(10 * 1024 * 1024)}`);
    await writeFile(f('g.ndjson.gz'), gzipSync(rec('gz-1') + '\n' + rec('gz-2') + '\n' + rec('gz-3')).subarray(0, 40));
    await writeFile(f('h.json.gz'), gzipSync(JSON.stringify([JSON.parse(rec('gz-json'))])).subarray(0, 30));
    await writeFile(f('i.json'), '');
    await writeFile(f('j.ndjson'), '');
    await writeFile(f('k.json'), '12');
    await writeFile(f('l.txt'), 'no header here');
    await writeFile(f('m.txt'), 'date 2021-02-30\nbad date');
    await writeFile(f('n.txt'), 'date 2024-01-01\n   \n');
    await writeFile(f('folder/README.md'), '# not an article');
    await writeFile(f('folder/o.jsonl'), rec('in-folder') + '\r\n' + rec('dup') + '\r\n');

    const before = await readdir(d, { recursive: true });
    const report = await buildFromInputs({ inputs: [d], workers: 1 });
    expect(await readdir(d, { recursive: true })).toEqual(before); // nothing written next to the inputs
    expect(report.read).toBe(report.indexed + report.rejected);
    const why = new Map(report.rejections.map((r) => [`${r.file.slice(d.length + 1)} ${r.record}`, r.reason]));
    const reasons = Object.fromEntries(why);
    expect(reasons).toMatchObject({
      'a.ndjson line 4': 'record is not a JSON object',
      'a.ndjson line 5': 'people must be an array of strings',
      'a.ndjson line 6': 'missing id (a non-empty string)',
      'a.ndjson line 7': 'body longer than 1000000 characters',
      'a.ndjson line 10': 'id contains control characters',
      'b.json file': expect.stringMatching(/^cannot read file: .*(encoded data|utf-8)/i),
      'c.json record 1': expect.stringMatching(/^duplicate id "dup" \(first seen in .*a\.ndjson line 9\)$/),
      'd.txt file': expect.stringMatching(/^cannot read file/),
      'f.txt file': 'body longer than 1000000 characters',
      'g.ndjson.gz line 1': expect.stringMatching(/^file ends abruptly after line 0/),
      'h.json.gz file': expect.stringMatching(/^cannot read file/),
      'i.json file': expect.stringMatching(/^invalid JSON/),
      'k.json record 1': 'record is not a JSON object',
      'l.txt file': "plain-text article must start with 'date YYYY-MM-DD'",
      'm.txt file': expect.stringMatching(/^bad date/),
      'n.txt file': 'empty body',
      'folder/o.jsonl line 2': expect.stringMatching(/^duplicate id "dup"/),
    });
    expect(report.skippedFiles.map((s) => s.slice(d.length + 1))).toEqual(['folder/README.md']);

    const files = report.bundle.files!;
    const index = await loadIndex(async (name) => files.get(name) as Uint8Array);
    const ids = new Set(index.ids);
    for (const id of ['../../../../etc/passwd', 'unknown-fields', 'deep-extra', 'dup', 'lone-\ud800-surrogate', 'in-array', 'e', 'in-folder']) {
      expect(ids.has(id), id).toBe(true);
    }
    // Invalid UTF-8 inside an NDJSON line is read with U+FFFD replacements (readline decodes
    // leniently) where .json and .txt files are rejected whole: indexed or reported, never lost.
    expect(ids.has('bad-utf8') || why.has('a.ndjson line 8')).toBe(true);
    expect(ids.has('bom-in-middle') || why.has('a.ndjson line 12')).toBe(true);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();

    // A path-like id is only a key: the API serves it by its encoded id and nothing else.
    const router = createRouter({ getIndex: async () => index });
    const res = await router({ method: 'GET', path: `/articles/${encodeURIComponent('../../../../etc/passwd')}`, query: '', headers: {} });
    expect(res.status).toBe(200);
    expect(JSON.parse(bodyText(res))).toMatchObject({ id: '../../../../etc/passwd', body: 'Body of ../../../../etc/passwd.' });
    console.log(`fuzz-parser: hostile files read ${report.read} = indexed ${report.indexed} + rejected ${report.rejected}`);
  });
});
