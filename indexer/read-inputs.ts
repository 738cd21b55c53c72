import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip, gunzipSync } from 'node:zlib';
import type { SourceArticle } from '../core/types.ts';
import { parsePlainText } from './parse-text.ts';
import { validateRecord, type Validated } from './validate.ts';

/** Where a record came from: the file and its line (NDJSON) or position (JSON array), 1-based. */
export interface RecordSource {
  file: string;
  record: string;
}

export type InputItem =
  | { ok: true; article: SourceArticle; source: RecordSource }
  | { ok: false; reason: string; source: RecordSource };

export interface InputEvents {
  /** A file in a folder that is not an article format (README.md…): noted, not counted as read. */
  onSkippedFile?: (file: string) => void;
}

type Format = 'text' | 'json' | 'ndjson';

export function formatOf(file: string): { format: Format; gzip: boolean } | null {
  const name = file.toLowerCase();
  const gzip = name.endsWith('.gz');
  const base = gzip ? name.slice(0, -3) : name;
  if (base.endsWith('.txt')) return { format: 'text', gzip };
  if (base.endsWith('.json')) return { format: 'json', gzip };
  if (base.endsWith('.ndjson') || base.endsWith('.jsonl')) return { format: 'ndjson', gzip };
  return null;
}

/** Every article of every input (files or folders, walked recursively in name order), as a stream. */
export async function* readInputs(inputs: readonly string[], events: InputEvents = {}): AsyncGenerator<InputItem> {
  for (const input of inputs) {
    let st;
    try {
      st = await stat(input);
    } catch {
      throw new InputError(`${input}: no such file or folder`);
    }
    if (st.isDirectory()) {
      for (const file of await walk(input)) {
        if (formatOf(file)) yield* readFileItems(file);
        else events.onSkippedFile?.(file);
      }
    } else {
      if (!formatOf(input)) throw new InputError(`${input}: unsupported file type (use .txt, .json, .ndjson or .jsonl, optionally .gz)`);
      yield* readFileItems(input);
    }
  }
}

export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

async function* readFileItems(file: string): AsyncGenerator<InputItem> {
  const { format, gzip } = formatOf(file) as { format: Format; gzip: boolean };
  const item = (v: Validated, record: string): InputItem =>
    v.ok ? { ok: true, article: v.article, source: { file, record } } : { ok: false, reason: v.reason, source: { file, record } };

  if (format === 'ndjson') {
    yield* readNdjson(file, gzip, item);
    return;
  }
  let text: string;
  try {
    const raw = await readFile(file);
    text = utf8.decode(gzip ? gunzipSync(raw) : raw);
  } catch (err) {
    yield { ok: false, reason: `cannot read file: ${describe(err)}`, source: { file, record: 'file' } };
    return;
  }
  if (format === 'text') {
    const id = basename(file).replace(/\.txt(\.gz)?$/i, '');
    yield item(parsePlainText(text, id), 'file');
    return;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    yield { ok: false, reason: `invalid JSON: ${describe(err)}`, source: { file, record: 'file' } };
    return;
  }
  if (Array.isArray(parsed)) {
    for (let i = 0; i < parsed.length; i++) yield item(validateRecord(parsed[i]), `record ${i + 1}`);
  } else {
    yield item(validateRecord(parsed), 'record 1');
  }
}

async function* readNdjson(file: string, gzip: boolean, item: (v: Validated, record: string) => InputItem): AsyncGenerator<InputItem> {
  const raw = createReadStream(file);
  const stream: Readable = gzip ? raw.pipe(createGunzip()) : raw;
  const failure: { err?: unknown } = {};
  raw.on('error', (err) => (failure.err = err));
  stream.on('error', (err) => (failure.err = err));
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const line of lines) {
      n++;
      if (line.trim() === '') continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch (err) {
        yield { ok: false, reason: `invalid JSON: ${describe(err)}`, source: { file, record: `line ${n}` } };
        continue;
      }
      yield item(validateRecord(parsed), `line ${n}`);
    }
  } catch (err) {
    failure.err = err;
  }
  if (failure.err) {
    yield { ok: false, reason: `file ends abruptly after line ${n}: ${describe(failure.err)}`, source: { file, record: `line ${n + 1}` } };
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message.split('\n')[0]!.slice(0, 200) : String(err);
}
