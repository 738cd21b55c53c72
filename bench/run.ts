import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBuild, runDerive, runDeriveScale, type ScaleDeriveResult } from './build.ts';
import { bundleSizes, readManifest } from './bundle-read.ts';
import { bundleForColdStart, publishForBench, runColdStarts, startBenchS3 } from './cold-start.ts';
import { prepareCorpus, REUTERS, specKey, type CorpusSpec } from './corpus.ts';
import { machineInfo } from './machine.ts';
import { packageSize } from './package-size.ts';
import { HELP, parseOptions } from './options.ts';
import { ENGINES } from './peers/registry.ts';
import { runPeer } from './peers/run.ts';
import { generateScaleCorpus, type ScaleStats } from './scale-corpus.ts';
import { generateBoxQueries, generateOperatorQueries, generateQueries, mixed } from './queries.ts';
import { writeReport } from './report.ts';
import { summarizeCold, summarizeQueries, summarizeRevalidate, type BenchReport, type BenchSettings, type ColdSummary, type PeerSummary, type SizeResult } from './summary.ts';
import { evaluateTargets } from './targets.ts';
import { runWarm } from './warm.ts';

/**
 * `npm run bench`: one run, one report. For each corpus size: build with the product's build,
 * publish to a local S3, cold starts in fresh processes (S3 and folder), warm latency through the
 * handler, then the same corpus and queries in each peer. Timings are reported, never asserted:
 * the exit code is non-zero only when a step crashed.
 * Options: see HELP in options.ts (`tsx bench/run.ts --help`).
 */
const MIN = 60_000;
const log = (msg: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

async function main(): Promise<number> {
  // The AWS SDK (used here to publish to s3rver) warns about Node 20 on load; keep other warnings.
  process.removeAllListeners('warning');
  process.on('warning', (w) => {
    if (!`${w.name} ${w.message}`.includes('NodeVersionSupportWarning')) process.stderr.write(`${w.name}: ${w.message}\n`);
  });
  const o = parseOptions(process.argv.slice(2));
  if (o.help) {
    console.log(HELP);
    return 0;
  }
  const { specs } = o;
  const hasScale = specs.some((s) => s.scale !== undefined);
  const settings = {
    ...o.settings,
    derive: o.derive,
    ...(o.deriveScale ? { deriveScale: true } : {}),
    ...(hasScale ? { corpusSeed: o.corpusSeed } : {}),
    ...(o.segmentSize !== undefined ? { segmentSize: o.segmentSize } : {}),
  };
  const t0 = performance.now();
  const machine = machineInfo();
  log(`${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, load ${machine.loadAverage.join(' ')}`);
  const tmp = await mkdtemp(join(tmpdir(), 'news-bench-'));
  const failures: string[] = [];
  const sizes: SizeResult[] = [];
  const coldBundle = await bundleForColdStart();
  const s3 = await startBenchS3();
  const settingsForReport = settings;
  /** Before the peers of a size run, the report so far is written, so a run stopped in a long peer step still leaves one. */
  const interim = async (s: SizeResult) => {
    const report: BenchReport = {
      machine,
      settings: settingsForReport,
      handlerBundleBytes: coldBundle.handlerBytes,
      package: await packageSize(false),
      sizes: [...sizes, s],
      failures: [...failures, `interim report: written before the peers of ${s.label} ran`],
      finishedAt: new Date().toISOString(),
      wallSeconds: (performance.now() - t0) / 1000,
    };
    await writeReport(o.out, report, evaluateTargets(report));
    log(`wrote interim ${join(o.out, 'latest.md')} (before the peers of ${s.label})`);
  };
  const shared: Shared = { tmp, index: o.index, derive: o.derive, base: undefined, coldBundle, s3, failures, corpusSeed: o.corpusSeed, segmentSize: o.segmentSize, keep: o.keep, deriveScale: o.deriveScale, facetsFrom: o.facetsFrom, scaleCorpus: o.scaleCorpus, interim };
  try {
    for (const spec of specs) {
      try {
        sizes.push(await runSize(spec, settings, shared));
        shared.index = undefined; // --index is the first size's bundle only
      } catch (err) {
        failures.push(`${spec.label}: ${(err as Error).message.split('\n')[0]}`);
        log(`FAILED ${spec.label}: ${(err as Error).stack ?? String(err)}`);
      }
    }
  } finally {
    await s3.close();
    if (!o.keep) await rm(tmp, { recursive: true, force: true });
    else log(`kept ${tmp}`);
  }

  const report: BenchReport = {
    machine,
    settings,
    handlerBundleBytes: coldBundle.handlerBytes,
    package: await packageSize(o.runPackage),
    sizes,
    failures,
    finishedAt: new Date().toISOString(),
    wallSeconds: (performance.now() - t0) / 1000,
  };
  const md = await writeReport(o.out, report, evaluateTargets(report));
  process.stdout.write(md);
  log(`wrote ${join(o.out, 'latest.md')} and latest.json`);
  return failures.length ? 1 : 0;
}

interface Shared {
  tmp: string;
  index: string | undefined;
  derive: boolean;
  /** The 1× bundle of this run, which `--derive` copies. */
  base: string | undefined;
  coldBundle: Awaited<ReturnType<typeof bundleForColdStart>>;
  s3: Awaited<ReturnType<typeof startBenchS3>>;
  failures: string[];
  corpusSeed: number;
  segmentSize: number | undefined;
  keep: boolean;
  deriveScale: boolean;
  /** The 1× Reuters bundle `--derive-scale` copies facets from (`--facets-from`, this run's 1×, or built on demand). */
  facetsFrom: string | undefined;
  /** `--scale-corpus`: an already generated scale corpus (kept, never deleted). */
  scaleCorpus: string | undefined;
  interim: (s: SizeResult) => Promise<void>;
}

async function runSize(spec: CorpusSpec, st: BenchSettings, sh: Shared): Promise<SizeResult> {
  const tag = spec.label;
  const key = specKey(spec);
  const bundleDir = sh.index ?? join(sh.tmp, `bundle-${key}`);
  let input = sh.index ?? '';
  let build = null;
  let derived = null;
  let scale: ScaleStats | undefined;
  const buildOpts = sh.segmentSize !== undefined ? { segmentSize: sh.segmentSize } : {};
  if (!sh.index && spec.scale !== undefined) {
    if (sh.scaleCorpus) {
      input = sh.scaleCorpus;
      log(`${tag}: reusing the scale corpus ${input} (--scale-corpus; generation not measured)`);
    } else {
      input = join(sh.tmp, `${key}.ndjson`);
      log(`${tag}: generating the scale corpus (seed ${sh.corpusSeed})`);
      scale = await generateScaleCorpus({
        articles: spec.scale,
        out: input,
        seed: sh.corpusSeed,
        onProgress: (done, v) => log(`${tag}: generated ${done.toLocaleString('en')} articles, ${v.toLocaleString('en')} distinct terms`),
      });
      log(`${tag}: ${scale.articles.toLocaleString('en')} articles, ${scale.distinctTerms.toLocaleString('en')} distinct terms, ${scale.firstDate} … ${scale.lastDate}, ${scale.seconds.toFixed(1)} s`);
    }
    if (sh.deriveScale) {
      const facets = sh.facetsFrom ?? sh.base ?? (await facetBundle(sh));
      log(`${tag}: derived build of ${input}: no entity extraction, segments of the build's size, facets copied from ${facets}`);
      derived = await runDeriveScale(input, facets, bundleDir, Math.max(60 * MIN, spec.scale * 5), buildOpts);
      log(`${tag}: derived ${derived.indexed} articles in ${derived.segments} segments, ${(derived.ms.total / 1000).toFixed(1)} s (index ${(derived.ms.index / 1000).toFixed(1)} s, write ${(derived.ms.write / 1000).toFixed(1)} s), peak RSS ${(derived.peakRss / 2 ** 20).toFixed(0)} MB, ${derived.missingFacets} without source facets`);
      if (derived.indexed !== spec.scale) throw new Error(`--derive-scale: ${input} has ${derived.indexed} articles, not ${spec.scale}`);
      // Beside the bundle, so a later `--index <bundle> --derive-scale` reports how it was made.
      await writeFile(deriveRecord(bundleDir), JSON.stringify(derived, null, 1));
    } else {
      log(`${tag}: building ${input} with the product build (heap cap 8 GB)`);
      // ~300 articles/s on 2 cores: 1M takes about an hour; allow 30 ms per article, at least 3 h.
      build = await runBuild(input, bundleDir, Math.max(180 * MIN, spec.scale * 30), { maxOldSpaceMb: 8192, ...buildOpts });
      log(`${tag}: built ${build.indexed} articles in ${(build.ms.total / 1000).toFixed(1)} s, peak RSS ${(build.peakRss / 2 ** 20).toFixed(0)} MB`);
    }
    if (!sh.keep && !sh.scaleCorpus) await rm(input, { force: true }); // 1.2 GB at 1M; the bundle has the articles
  } else if (!sh.index && sh.derive && spec.copies > 1) {
    if (!sh.base) throw new Error('--derive: the 1× bundle is missing (its build failed?)');
    input = `derived from ${sh.base}`;
    log(`${tag}: deriving the ${spec.copies}× bundle from the 1× articles (buildBundle, no extraction)`);
    derived = await runDerive(sh.base, spec.copies, bundleDir, 60 * MIN);
  } else if (!sh.index) {
    log(`${tag}: preparing corpus`);
    input = await prepareCorpus(spec, sh.tmp);
    log(`${tag}: building ${input} (entity extraction dominates the time)`);
    build = await runBuild(input, bundleDir, 180 * MIN, buildOpts);
    log(`${tag}: built ${build.indexed} articles in ${(build.ms.total / 1000).toFixed(1)} s`);
  }
  if (sh.index && sh.deriveScale && spec.scale !== undefined) {
    derived = await readDeriveRecord(sh.index);
    if (derived) log(`${tag}: --index ${sh.index} was made by --derive-scale (${deriveRecord(sh.index)})`);
  }
  if (spec.copies === 1 && spec.firstN === undefined && spec.scale === undefined) sh.base = bundleDir;
  const bundle = await bundleSizes(bundleDir);
  const { manifest } = await readManifest(bundleDir);

  const generated = await generateQueries(bundleDir, st.perClass, st.seed);
  const queriesFile = join(sh.tmp, `queries-${key}.json`);
  await writeFile(queriesFile, JSON.stringify(mixed(generated, st.seed + 1)));
  // Ours also answers search-box requests (suggest, misspelled words) and query-language searches
  // (phrases, OR, exclusions), in the same interleaved mix; the peers get neither.
  const box = await generateBoxQueries(bundleDir, st.perClass, st.seed + 2);
  const ops = await generateOperatorQueries(bundleDir, st.perClass, st.seed + 3);
  const ourQueriesFile = join(sh.tmp, `queries-ours-${key}.json`);
  await writeFile(ourQueriesFile, JSON.stringify(mixed([...generated, ...box, ...ops], st.seed + 1)));
  const coldQuery = (generated.find((q) => q.cls === 'plain') ?? generated[0])!.qs;

  log(`${tag}: publishing to s3rver`);
  const pub = await publishForBench(sh.s3.s3, bundleDir, key);
  log(`${tag}: ${st.coldRuns} cold starts per source`);
  const coldRuns = await runColdStarts({
    bundle: sh.coldBundle,
    runs: st.coldRuns,
    query: coldQuery,
    folder: bundleDir,
    s3: { uri: pub.uri, proxy: sh.s3.proxy },
    timeoutMs: 5 * MIN,
  });
  const cold = (['s3', 'folder'] as const).map((src) => summarizeCold(coldRuns, src, bundle.stored)).filter((c): c is ColdSummary => c !== null);

  log(`${tag}: warm latency, ${generated.length} queries + ${box.length} search-box requests + ${ops.length} phrase/boolean searches × ${st.warmPasses} pass(es), then a revalidation pass`);
  const w = await runWarm(bundleDir, ourQueriesFile, st.warmPasses, 60 * MIN);
  const warm = { ...summarizeQueries(w.passes, w.perClass, w.loadMs, w.peakRss), revalidate: summarizeRevalidate(w.revalidate) };

  const peers: PeerSummary[] = [];
  const result: SizeResult = {
    label: spec.firstN !== undefined ? `quick` : spec.scale !== undefined ? spec.label : `Reuters ${spec.label}`,
    copies: spec.copies,
    ...(scale ? { scale } : {}),
    articles: manifest.articleCount,
    input,
    build,
    derived,
    bundle,
    publishMs: pub.ms,
    queries: generated.length,
    coldQuery,
    cold,
    coldRuns,
    warm,
    peers,
  };
  if (st.peers.length) await sh.interim(result);
  for (const peer of st.peers) {
    const engine = ENGINES[peer]!;
    log(`${tag}: peer ${engine.name}`);
    // Each peer in its own processes with an 8 GB heap; running out is reported, not a failure.
    const r = await runPeer(peer, { bundleDir, tmp: sh.tmp, queriesFile, passes: st.warmPasses, timeoutMs: st.peerTimeoutMin !== undefined ? st.peerTimeoutMin * MIN : Math.max(90 * MIN, manifest.articleCount * 10), maxOldSpaceMb: 8192 });
    await rm(join(sh.tmp, `${peer}.json`), { force: true });
    if (r.error && !r.limit) sh.failures.push(`${tag} ${engine.name}: ${r.error}`);
    if (r.limit) log(`${tag}: ${engine.name} ${r.error}`);
    peers.push({
      name: engine.name,
      notes: engine.notes,
      ...(r.build ? { build: r.build } : {}),
      ...(r.query ? { query: summarizeQueries(r.query.passes, r.query.perClass, r.query.loadMs, r.query.peakRss) } : {}),
      ...(r.error ? { error: r.error } : {}),
      ...(r.limit ? { limit: true } : {}),
    });
  }
  return result;
}

/** The record of a `--derive-scale` build, beside its bundle folder. */
function deriveRecord(bundleDir: string): string {
  return `${bundleDir.replace(/\/+$/, '')}.derive-scale.json`;
}

async function readDeriveRecord(bundleDir: string): Promise<ScaleDeriveResult | null> {
  try {
    const r = JSON.parse(await readFile(deriveRecord(bundleDir), 'utf8')) as ScaleDeriveResult;
    return r.kind === 'scale' ? r : null;
  } catch {
    return null;
  }
}

/** `--derive-scale` without a 1× bundle: Reuters 1× built once with the real build, for its extracted facets. */
async function facetBundle(sh: Shared): Promise<string> {
  const dir = join(sh.tmp, 'bundle-facets-1x');
  log(`building Reuters 1× with the product build for --derive-scale's facets (not measured)`);
  const b = await runBuild(REUTERS, dir, 60 * MIN);
  log(`Reuters 1× built for facets: ${b.indexed} articles in ${(b.ms.total / 1000).toFixed(1)} s`);
  sh.facetsFrom = dir;
  return dir;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
