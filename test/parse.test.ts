import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parsePlainText } from '../indexer/parse-text.ts';
import { readInputs, type InputItem } from '../indexer/read-inputs.ts';
import { deriveTitle, validateRecord } from '../indexer/validate.ts';

async function collect(inputs: string[]): Promise<{ items: InputItem[]; skipped: string[] }> {
  const items: InputItem[] = [];
  const skipped: string[] = [];
  for await (const item of readInputs(inputs, { onSkippedFile: (f) => skipped.push(f) })) items.push(item);
  return { items, skipped };
}

describe('plain-text articles', () => {
  it('reads a date preceded by whitespace with the body on the same line (the seed quirk)', () => {
    const r = parsePlainText(' date 2021-11-23 On Tuesday, the council met. It voted twice.\n\nSecond paragraph.', 'seed');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.article.date).toBe('2021-11-23');
    expect(r.article.body.startsWith('On Tuesday, the council met.')).toBe(true);
    expect(r.article.title).toBe('On Tuesday, the council met. It voted twice.');
    expect(r.article.id).toBe('seed');
  });

  it('uses the first sentence as title when the first line is a long paragraph', () => {
    const para = 'On Tuesday, Mayor Ana Costa opened the new bridge across the river. ' + 'It carries trams and bicycles. '.repeat(8);
    const r = parsePlainText(`date 2024-03-05\n${para}`, 'x');
    expect(r.ok && r.article.title).toBe('On Tuesday, Mayor Ana Costa opened the new bridge across the river.');
  });

  it('accepts a BOM, CRLF and a date on its own line', () => {
    const r = parsePlainText('\uFEFFdate 2024-01-02\r\n\r\nHeadline here\r\nBody text.', 'y');
    expect(r.ok && r.article.title).toBe('Headline here');
  });

  it.each([
    ['no header', 'Just text', "must start with 'date YYYY-MM-DD'"],
    ['bad month', 'date 2021-13-01 Body', 'bad date'],
    ['impossible day', 'date 2021-02-30 Body', 'bad date'],
    ['empty body', 'date 2021-02-03   \n\n  ', 'empty body'],
  ])('rejects %s', (_name, text, reason) => {
    const r = parsePlainText(text, 'z');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });
});

describe('JSON records', () => {
  const good = { id: 'a1', date: '2024-05-06', title: ' Hello   world ', body: 'Body', url: 'https://example.com/a1', people: ['Ann Lee'], places: ['Lisbon'] };

  it('keeps the known fields and ignores unknown ones', () => {
    const r = validateRecord({ ...good, categories: ['x'], extra: { deep: 1 } });
    expect(r).toEqual({ ok: true, article: { id: 'a1', date: '2024-05-06', title: 'Hello world', body: 'Body', url: 'https://example.com/a1', people: ['Ann Lee'], places: ['Lisbon'] } });
  });

  it('derives a missing title from the body and accepts ISO timestamps and numeric ids', () => {
    const r = validateRecord({ id: 7, date: '2024-05-06T10:00:00Z', body: 'First line\nmore' });
    expect(r).toEqual({ ok: true, article: { id: '7', date: '2024-05-06', title: 'First line', body: 'First line\nmore' } });
  });

  it.each([
    [[1, 2], 'not a JSON object'],
    [null, 'not a JSON object'],
    [{ ...good, id: '' }, 'missing id'],
    [{ ...good, id: 'a\u0000b' }, 'control characters'],
    [{ ...good, date: '2024-5-6' }, 'bad date'],
    [{ ...good, date: undefined }, 'bad date'],
    [{ ...good, body: '   ' }, 'empty body'],
    [{ ...good, body: 5 }, 'empty body'],
    [{ ...good, title: 5 }, 'title must be a string'],
    [{ ...good, url: 'javascript:alert(1)' }, 'url must be an http(s) URL'], [{ ...good, title: 't'.repeat(1001) }, 'title longer than'], [{ ...good, people: Array(101).fill('a') }, 'more than 100 entries'], [{ ...good, places: ['p'.repeat(201)] }, 'longer than 200'],
    [{ ...good, people: 'Ann' }, 'people must be an array of strings'],
    [{ ...good, places: [1] }, 'places must be an array of strings'],
  ])('rejects %j', (rec, reason) => {
    const r = validateRecord(rec);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });

  it('strips control characters from title and body', () => {
    const r = validateRecord({ id: 'c', date: '2024-01-01', title: 'A\u0007B', body: 'x\u0000y\nz' });
    expect(r).toEqual({ ok: true, article: { id: 'c', date: '2024-01-01', title: 'AB', body: 'xy\nz' } });
  });

  it('cuts very long first lines at a word boundary', () => {
    const t = deriveTitle('word '.repeat(100));
    expect(t.length).toBeLessThanOrEqual(201);
    expect(t.endsWith('…')).toBe(true);
  });
});

describe('readInputs', () => {
  it('walks folders, reads every format (gzip too) and reports each bad record with file and line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ns-parse-'));
    await mkdir(join(dir, 'sub'));
    await writeFile(join(dir, 'a.txt'), ' date 2024-01-02 Headline one. Body.');
    await writeFile(join(dir, 'sub', 'b.json'), JSON.stringify([{ id: 'b1', date: '2024-01-03', body: 'x' }, { id: 'b2', date: 'nope', body: 'y' }]));
    await writeFile(join(dir, 'c.ndjson'), '{"id":"c1","date":"2024-01-04","body":"z"}\n\n{not json}\n{"id":"c3","date":"2024-01-05","body":""}\n');
    await writeFile(join(dir, 'd.ndjson.gz'), gzipSync('{"id":"d1","date":"2024-01-06","body":"w"}\n'));
    await writeFile(join(dir, 'README.md'), '# not an article');
    const { items, skipped } = await collect([dir]);
    const summary = items.map((i) => (i.ok ? `ok ${i.article.id}` : `bad ${i.source.file.slice(dir.length + 1)} ${i.source.record}: ${i.reason}`));
    expect(summary).toEqual([
      'ok a',
      'ok c1',
      'bad c.ndjson line 3: invalid JSON: ' + summary[2]!.split('invalid JSON: ')[1],
      'bad c.ndjson line 4: empty body',
      'ok d1',
      'ok b1',
      'bad sub/b.json record 2: bad date "nope" (want YYYY-MM-DD)',
    ]);
    expect(skipped).toEqual([join(dir, 'README.md')]);
  });

  it('reports invalid JSON files and invalid UTF-8 as rejections, not crashes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ns-parse-'));
    await writeFile(join(dir, 'broken.json'), '[{"id": 1,');
    await writeFile(join(dir, 'latin1.txt'), Buffer.from([0x64, 0x61, 0x74, 0x65, 0x20, 0x32, 0x30, 0x32, 0x34, 0x2d, 0x30, 0x31, 0x2d, 0x30, 0x32, 0x20, 0xfc, 0xff]));
    const { items } = await collect([dir]);
    expect(items.map((i) => !i.ok && i.reason.split(':')[0])).toEqual(['invalid JSON', 'cannot read file']);
  });

  it('fails clearly on a missing input or an unsupported file named directly', async () => {
    await expect(collect(['/nonexistent/input'])).rejects.toThrow('/nonexistent/input: no such file or folder');
    const dir = await mkdtemp(join(tmpdir(), 'ns-parse-'));
    await writeFile(join(dir, 'x.csv'), 'a,b');
    await expect(collect([join(dir, 'x.csv')])).rejects.toThrow('unsupported file type');
  });
});
