import { createRequire } from 'node:module';
import { MANIFEST_NAME } from '../core/format/format.ts';
import type { StoredArticle } from '../core/types.ts';
import { analyzerInfo, assembleManifest, segmentOptions } from '../indexer/build-bundle.ts';
import { buildSegment } from '../indexer/build-segment.ts';
import { EntityDictionary } from '../indexer/entities/dictionary.ts';
import { indexWideParts } from '../indexer/index-parts.ts';
import { readInputs } from '../indexer/read-inputs.ts';
import { TermStats } from '../indexer/term-stats.ts';
import { openFolderWriter } from '../storage/local-folder.ts';
import { facetValues, readMeta } from './bundle-read.ts';
import { peakRss, reply } from './child.ts';
import type { DeriveResult } from './derive-child.ts';

/**
 * Child process for `--derive-scale`: a scale corpus (bench/scale-corpus.ts) built into a bundle
 * without entity extraction. The articles are read and validated by the product's readInputs, cut
 * into segments of the build's size in input order (dates never decrease through the file), each
 * indexed by the product's buildSegment and written to the folder as it is made, then the
 * index-wide parts and manifest as indexer/build.ts `buildFromInputs` makes them. So the text,
 * segmenting, analyzer and parts are the real build's; only the facets differ: each copy
 * `<reuters id>-s<k>` gets the people, locations and about that the real build extracted for its
 * source Reuters article (read from a 1× Reuters bundle), not ones extracted from its varied text.
 * Memory: one segment, the term statistics and the 19k source facets.
 */
export interface ScaleDeriveResult extends DeriveResult {
  kind: 'scale';
  read: number;
  rejected: number;
  segments: number;
  segmentSize: number;
  /** Copies whose source id was not in the facet bundle (indexed with empty facets). */
  missingFacets: number;
  /** The 1× Reuters bundle the facets were copied from. */
  facetSource: string;
  ms: { total: number; read: number; index: number; write: number };
}

const [input, facetsDir, outDir, segmentArg] = process.argv.slice(2) as [string, string, string, string?];

reply(async (): Promise<ScaleDeriveResult> => {
  const t0 = performance.now();
  const { meta } = await readMeta(facetsDir);
  const facets = new Map<string, { people: string[]; locations: string[]; about: string[] }>();
  meta.ids.forEach((id, n) => facets.set(id, { people: facetValues(meta.people, n), locations: facetValues(meta.locations, n), about: facetValues(meta.about, n) }));
  const so = segmentOptions(segmentArg === undefined ? {} : { segmentSize: Number(segmentArg) });
  const writer = await openFolderWriter(outDir);
  const stats = new TermStats();
  const segments: Parameters<typeof assembleManifest>[0]['segments'] = [];
  let batch: StoredArticle[] = [];
  let read = 0;
  let rejected = 0;
  let indexed = 0;
  let missingFacets = 0;
  let indexMs = 0;
  let writeMs = 0;
  const put = async (name: string, bytes: Uint8Array) => {
    const tw = performance.now();
    await writer.put(name, bytes);
    writeMs += performance.now() - tw;
  };
  const cut = async () => {
    if (batch.length === 0) return;
    const articles = batch;
    batch = [];
    const ti = performance.now();
    const seg = await buildSegment(articles, so);
    indexMs += performance.now() - ti;
    for (const p of seg.parts) await put(p.info.name, p.bytes);
    stats.merge(seg.stats);
    segments.push({ info: seg.info, parts: seg.parts.map((p) => p.info) });
    indexed += articles.length;
    const s = (performance.now() - t0) / 1000;
    process.stderr.write(`[bench derive-scale] segment ${segments.length}: ${indexed} articles, ${s.toFixed(0)} s, ${(indexed / s).toFixed(0)}/s, RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB\n`);
  };
  try {
    for await (const item of readInputs([input])) {
      read++;
      if (!item.ok) {
        rejected++;
        continue;
      }
      const a = item.article;
      const f = facets.get(a.id.replace(/-s\d+$/, ''));
      if (!f) missingFacets++;
      batch.push({
        id: a.id,
        date: a.date,
        title: a.title,
        body: a.body,
        url: a.url ?? null,
        people: f?.people ?? [],
        locations: f?.locations ?? [],
        about: f?.about ?? [],
        ...(a.lang ? { lang: a.lang } : {}),
      });
      if (batch.length >= so.segmentSize) await cut();
    }
    await cut();
    const ti = performance.now();
    // Facets are final (copied from the real build's output): the dictionary starts and stays empty, as in buildBundle.
    const extra = indexWideParts(EntityDictionary.empty(), stats);
    const { manifestBytes, vocab } = assembleManifest({
      segments,
      stats,
      termShards: so.termShards,
      analyzer: analyzerInfo(so.language, stats),
      flexsearchVersion: flexsearchVersion(),
      builtAt: new Date(),
      extraParts: extra.map((p) => p.info),
    });
    indexMs += performance.now() - ti;
    for (const p of extra) await put(p.info.name, p.bytes);
    await put(vocab.info.name, vocab.bytes);
    await put(MANIFEST_NAME, manifestBytes);
    await writer.commit();
  } catch (err) {
    await writer.abort();
    throw err;
  }
  const total = performance.now() - t0;
  return {
    kind: 'scale',
    read,
    rejected,
    indexed,
    segments: segments.length,
    segmentSize: so.segmentSize,
    missingFacets,
    facetSource: facetsDir,
    ms: { total, read: total - indexMs - writeMs, index: indexMs, write: writeMs },
    peakRss: peakRss(),
  };
});

function flexsearchVersion(): string {
  try {
    return (createRequire(import.meta.url)('flexsearch/package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
