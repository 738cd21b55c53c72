import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { loadIndex } from '../core/search/load-index.ts';
import { FORMAT_VERSION } from '../core/format/format.ts';
import { NewsSearchError } from '../core/errors.ts';
import { LIMITS, SORT_ORDERS } from '../core/http/limits.ts';
import { parseSearchParams, type RawQuery } from '../core/http/params.ts';
import { search } from '../core/search/search.ts';
import type { SearchResponse } from '../core/types.ts';
import { folderReader } from '../storage/local-folder.ts';
import { publishBuiltFolder, registerS3Commands } from './s3-commands.ts';
import { registerChangeCommands } from './change-commands.ts';
import { DEFAULT_SEGMENT_SIZE } from '../indexer/build-bundle.ts';
import { InputError } from '../indexer/read-inputs.ts';
import { normalizeLanguage } from '../core/text.ts';
import { isS3Uri } from '../storage/uri.ts';
import { formatRejection, progressBar, summary } from './report.ts';

const collect = (v: string, prev: string[] = []) => [...prev, v];

/** Whether a folder's manifest is in the format this version reads (a damaged one counts as not). */
function indexFormatIsCurrent(dir: string): boolean {
  try {
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { formatVersion?: unknown };
    return m.formatVersion === FORMAT_VERSION;
  } catch {
    return false;
  }
}

export async function main(argv: string[]): Promise<number> {
  const program = new Command('news-search')
    .description('Build, publish and serve a faceted full-text search index for news archives.')
    .showHelpAfterError()
    .exitOverride();

  program
    .command('build')
    .description('index articles (.txt, .json, .ndjson, .jsonl, optionally .gz; files or folders)')
    .argument('<inputs...>', 'files or folders of articles')
    .requiredOption('-o, --out <dir|s3uri>', 'output folder, or s3://bucket/prefix to publish a new version')
    .option('--keep <n>', 'with --out s3://…: versions to keep, the live one included', (v) => positiveInt(v, '--keep'), 5)
    .option('-w, --workers <n>', 'worker threads for entity extraction (default: one per core)', (v) => positiveInt(v, '--workers'))
    .option('--report <file>', 'write every rejection as JSON to this file')
    .option('--language <code>', 'language of the articles, for stemming (en, de, fr, es, it, pt, nl, sv, no, da, fi, ru; another code or none: no stemming); an article\'s own "lang" wins', 'en')
    .option('--force', 'replace the live index even if the new one has less than half its articles')
    .option('--segment-size <n>', `articles per segment: the build holds one segment in memory at a time (default ${DEFAULT_SEGMENT_SIZE.toLocaleString('en-US')})`, (v) => positiveInt(v, '--segment-size'))
    .option('-q, --quiet', 'no progress bar')
    .action(async (inputs: string[], o: BuildCliOptions) => {
      await runBuild(inputs, o);
    });

  program
    .command('serve')
    .description('serve the search API and the widget demo on localhost')
    .requiredOption('-i, --index <dir>', 'index bundle folder')
    .option('-p, --port <port>', 'port (0 = any free port)', (v) => port(v), Number(process.env['PORT'] ?? 3000))
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--cors <origins>', 'comma-separated allowed origins, or *', '*')
    .option('--build <inputs...>', 'build the index from these inputs first if the folder has none')
    .action(async (o: { index: string; port: number; host: string; cors: string; build?: string[] }) => {
      if (isS3Uri(o.index)) {
        throw new InputError(
          `serve reads an index folder, not ${o.index}. Build one locally (news-search build <inputs> --out <folder>), ` +
            'or run the Lambda handler over S3 with serverless offline (see "Local S3" in README.md)',
        );
      }
      if (!existsSync(join(o.index, 'manifest.json'))) {
        if (!o.build) {
          throw new InputError(
            `no index in ${o.index} (${existsSync(o.index) ? 'the folder has no manifest.json' : 'no such folder'}). Build one with ` +
              `\`news-search build <inputs> --out ${o.index}\`, or build and serve at once with ` +
              `\`news-search serve --index ${o.index} --build <inputs>\``,
          );
        }
        console.error(`no index in ${o.index}: building it from ${o.build.join(', ')}`);
        await runBuild(o.build, { out: o.index, quiet: true });
      } else if (o.build && !indexFormatIsCurrent(o.index)) {
        // `npm start` after an upgrade: the sample index it built earlier is in an older format.
        console.error(`the index in ${o.index} is in an older format: rebuilding it from ${o.build.join(', ')}`);
        await runBuild(o.build, { out: o.index, quiet: true });
      }
      const { startLocalServer } = await import('../local/server.ts');
      const server = await startLocalServer({
        indexDir: o.index,
        port: o.port,
        host: o.host,
        corsOrigins: o.cors.split(',').map((s) => s.trim()),
        log: (line) => console.log(line),
      });
      console.error(`news-search: ${server.index.size} articles, index ${server.index.manifest.indexVersion}`);
      console.error(`serving ${server.url}/  (API: ${server.url}/search?q=…, ${server.url}/health)`);
      await new Promise<void>((resolve) => {
        const stop = () => void server.close().then(resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });

  program
    .command('query')
    .description('search a local index from the command line')
    .argument('[q]', 'full-text query (all terms must match; the last one is a prefix)', '')
    .requiredOption('-i, --index <dir>', 'index bundle folder')
    .option('--person <name>', 'filter by person (repeatable)', collect)
    .option('--location <name>', 'filter by location: any place mentioned (repeatable)', collect)
    .option('--about <name>', 'filter by a place the story is about (repeatable)', collect)
    .option('--from <date>', 'from date, YYYY-MM-DD (inclusive)')
    .option('--to <date>', 'to date, YYYY-MM-DD (inclusive)')
    .addOption(new Option('--sort <order>', 'sort order').choices(SORT_ORDERS))
    .option('--recency <days>', 'boost recent stories in relevance order: half-life in days')
    .option('--page <n>', 'page, from 1')
    .option('--limit <n>', `hits per page (max ${LIMITS.maxLimit})`)
    .option('--json', 'print the full JSON response')
    .action(async (q: string, o: Record<string, string | string[] | boolean | undefined>) => {
      const raw: RawQuery = new Map();
      if (q) raw.set('q', [q]);
      for (const key of ['person', 'location', 'about']) if (o[key]) raw.set(key, o[key] as string[]);
      for (const key of ['from', 'to', 'sort', 'recency', 'page', 'limit']) if (o[key] !== undefined) raw.set(key, [String(o[key])]);
      const params = parseSearchParams(raw);
      const index = await loadIndex(folderReader(o['index'] as string));
      const res = await search(index, params);
      console.log(o['json'] ? JSON.stringify(res, null, 2) : formatResults(res));
    });

  registerS3Commands(program);
  registerChangeCommands(program);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof NewsSearchError) {
      const field = 'field' in err && err.field ? ` (${String(err.field)})` : '';
      console.error(`error: ${err.message}${field}`);
      return 2;
    }
    if (err instanceof InputError) {
      console.error(`error: ${err.message}`);
      return 2;
    }
    console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

interface BuildCliOptions {
  out: string;
  keep?: number;
  workers?: number;
  report?: string;
  quiet?: boolean;
  language?: string;
  segmentSize?: number;
  force?: boolean;
}

async function runBuild(inputs: string[], o: BuildCliOptions) {
  if (o.language !== undefined && normalizeLanguage(o.language) === null) {
    throw new InputError(`--language ${JSON.stringify(o.language)} is not a language code (use en, de, ru, … or none)`);
  }
  const bar = progressBar(!o.quiet);
  let shown = 0;
  // Loaded on demand: entity extraction pulls in NLP models and gazetteers that `query` does not need.
  const { buildIndex } = await import('./build-index.ts');
  // To S3: built into a temp folder (streamed to disk, segment by segment), then published from it.
  const toS3 = isS3Uri(o.out);
  const dir = toS3 ? join(await mkdtemp(join(tmpdir(), 'news-search-build-')), 'index') : o.out;
  let report;
  try {
    // A full build that would shrink the live index by more than half is more likely a partial feed than a purge.
    const live = toS3 ? await liveArticleCount(o.out) : folderArticleCount(o.out);
    report = await buildIndex({
      inputs,
      outDir: dir,
      beforeCommit: (r) => {
        if (live === null || r.indexed >= live / 2 || o.force) return;
        throw new InputError(
          `the new index has ${r.indexed.toLocaleString('en-US')} articles, less than half of the live one's ${live.toLocaleString('en-US')}; ` +
            `nothing was ${toS3 ? 'published' : 'replaced'}. Check the inputs, or pass --force to replace it anyway`,
        );
      },
      ...(o.workers ? { workers: o.workers } : {}),
      ...(o.language ? { language: o.language } : {}),
      ...(o.segmentSize ? { segmentSize: o.segmentSize } : {}),
      onProgress: (n) => bar.update(n),
      onRejection: (r) => {
        // The first rejections go to the terminal; all of them go to --report.
        if (shown++ < 50) process.stderr.write(`\n${formatRejection(r)}\n`);
      },
    });
  } catch (err) {
    if (toS3) await rm(dirname(dir), { recursive: true, force: true });
    throw err;
  } finally {
    // The bar's timer would otherwise keep a failed build alive.
    bar.stop();
  }
  if (report.rejected > 50) console.error(`… ${report.rejected - 50} more rejections${o.report ? '' : ' (use --report FILE to list all)'}`);
  if (toS3) {
    try {
      await publishBuiltFolder(dir, o.out, { keep: o.keep ?? 5, quiet: o.quiet ?? false });
    } finally {
      await rm(dirname(dir), { recursive: true, force: true });
    }
  }
  if (o.report) await writeFile(o.report, JSON.stringify(report.rejections, null, 2));
  console.error(summary(report, o.out));
}

/** Live articles of an index folder, or null when it has none (or an unreadable one). */
function folderArticleCount(dir: string): number | null {
  try {
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { articleCount?: unknown };
    return typeof m.articleCount === 'number' ? m.articleCount : null;
  } catch {
    return null;
  }
}

/** Live articles at s3://…, or null when nothing is published. */
async function liveArticleCount(uri: string): Promise<number | null> {
  const { client, location, explainS3Errors } = await import('./s3-commands.ts');
  const { readPointer } = await import('../storage/versions.ts');
  // An unreadable pointer (an index of an older format) is replaced like a missing one.
  return explainS3Errors(uri, async () => (await readPointer(await client(), await location(uri)).catch(() => null))?.articleCount ?? null);
}

function formatResults(res: SearchResponse): string {
  const plain = (s: string) => s.replace(/<\/?mark>/g, '*').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  const lines = [`${res.total} hits (page ${res.page}, ${res.tookMs} ms)`];
  for (const h of res.hits) {
    lines.push('', `${h.date}  ${h.title}  [${h.id}]`, `  ${plain(h.snippet)}`);
    if (h.people.length) lines.push(`  people: ${h.people.join(', ')}`);
    if (h.locations.length) lines.push(`  places: ${h.locations.join(', ')}`);
    if (h.about.length) lines.push(`  about: ${h.about.join(', ')}`);
  }
  const facet = (name: string, vals: Array<{ value: string; count: number }>) =>
    vals.length ? `${name}: ${vals.slice(0, 8).map((v) => `${v.value} (${v.count})`).join(', ')}` : '';
  lines.push('', facet('people', res.facets.person), facet('places', res.facets.location), facet('about', res.facets.about), facet('months', res.facets.date));
  return lines.filter((l, i, a) => !(l === '' && a[i - 1] === '')).join('\n').trimEnd();
}

function positiveInt(v: string, name: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InputError(`${name} must be a positive whole number`);
  return n;
}

function port(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InputError('--port must be 0 to 65535');
  return n;
}
