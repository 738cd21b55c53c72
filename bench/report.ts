import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fmtBytes, fmtMs, int, mb, name, table } from './format.ts';
import { HEAPS_BETA } from './scale-corpus.ts';
import { BOX_CLASSES, OPERATOR_CLASSES, QUERY_CLASSES } from './queries.ts';
import { peerTables } from './report-peers.ts';
import type { ScaleDeriveResult } from './build.ts';
import type { BenchReport, SizeResult } from './summary.ts';
import type { TargetRow } from './targets.ts';

/** Renders one run as markdown (printed and saved) and saves the raw numbers as JSON beside it. */
export async function writeReport(dir: string, report: BenchReport, targets: TargetRow[]): Promise<string> {
  const md = renderMarkdown(report, targets);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'latest.md'), md);
  await writeFile(join(dir, 'latest.json'), JSON.stringify({ ...report, targets }, null, 2));
  return md;
}

export function renderMarkdown(r: BenchReport, targets: TargetRow[]): string {
  const m = r.machine;
  const out: string[] = [];
  out.push(`# news-search benchmark, ${m.startedAt.slice(0, 16).replace('T', ' ')} UTC`);
  out.push('');
  out.push(`Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, Node ${m.node}, ${m.os}; load average at start ${m.loadAverage.join(' / ')}; commit ${m.commit}.`);
  out.push(
    `Run: \`${['bench', ...r.settings.argv].join(' ')}\`; ${r.settings.perClass} queries per class × ${QUERY_CLASSES.length} classes (seed ${r.settings.seed}); warm: 1 warm-up + ${r.settings.warmPasses} timed pass(es), p50/p99 per pass then median; cold: ${r.settings.coldRuns} fresh processes per source, medians; ${r.wallSeconds.toFixed(0)} s wall.`,
  );
  out.push('The machine is shared and noisy: absolute times move between runs, ratios within one run are what count.');
  if (r.failures.length) out.push('', `**Failures:** ${r.failures.join('; ')}`);

  out.push('', '## Targets (issues 5 and 6)', '');
  out.push(table(['target', 'corpus', 'goal', 'measured', 'result'], targets.map((t) => [t.what, t.corpus, t.goal, t.measured, t.result === 'miss' ? '**miss**' : t.result])));

  out.push('', '## Per size', '');
  out.push(table(['', ...r.sizes.map((s) => name(s))], perSizeRows(r)));
  const scaleDerivedSizes = r.sizes.filter((s) => isScaleDerived(s));
  if (scaleDerivedSizes.length) {
    out.push('', `² ${scaleDerivedSizes.map((s) => name(s)).join(', ')}: ${SCALE_DERIVED_NOTE}`);
  }
  const scaled = r.sizes.filter((s) => s.scale);
  if (scaled.length) {
    out.push('', '## Scale corpora (bench/scale-corpus.ts)', '');
    out.push(
      `Reuters-21578 walked in date order once per calendar year (ending 2025), ids \`-s<k>\`; about 5% of the content words replaced by invented words drawn Zipf-like from a growing lexicon (English suffixes kept), half the surnames in "Given Surname" pairs by invented surnames, 30% of the known cities by other real cities, and, from the second pass on, brand-new words wherever needed to keep distinct terms on Heaps' law V(n) = V(19,043)·(n/19,043)^${HEAPS_BETA}. Seed ${r.settings.corpusSeed ?? '—'}.`,
      '',
    );
    out.push(
      table(
        ['corpus', 'passes', 'dates', 'distinct terms', 'Heaps target', 'invented stems', 'invented surnames', 'words / surnames / cities replaced', 'generated in'],
        scaled.map((s) => {
          const c = s.scale!;
          return [
            name(s),
            String(c.copies),
            `${c.firstDate} … ${c.lastDate}`,
            int(c.distinctTerms),
            c.heapsTarget === null ? '—' : int(c.heapsTarget),
            int(c.lexicon.words),
            int(c.lexicon.surnames),
            `${int(c.replaced.words + c.replaced.titleWords)} / ${int(c.replaced.surnames)} / ${int(c.replaced.cities)}`,
            `${c.seconds.toFixed(1)} s`,
          ];
        }),
      ),
    );
  }
  if (r.settings.segmentSize !== undefined) out.push('', `Product build run with \`segmentSize: ${r.settings.segmentSize}\` (\`--segment-size\`).`);

  out.push('', '## Build (product build: read + entity extraction in workers + bundle)', '');
  out.push(
    table(
      ['corpus', 'workers', 'total s', 'articles/s', 'extract s', 'index s', 'stored', 'raw', 'stored B/article', 'raw B/article', 'peak RSS'],
      r.sizes.map((s) => {
        const b = s.build;
        const d = s.derived;
        const sd = scaleDerived(s);
        return [
          name(s),
          b ? String(b.workers) : '—',
          b ? (b.ms.total / 1000).toFixed(1) : sd ? `${(sd.ms.total / 1000).toFixed(1)}²` : d ? 'derived¹' : 'reused (--index)',
          b ? int(s.articles / (b.ms.total / 1000)) : sd ? `${int(s.articles / (sd.ms.total / 1000))}² (no extraction)` : '—',
          b ? (b.ms.extract / 1000).toFixed(1) : '—',
          b ? (b.ms.index / 1000).toFixed(1) : d ? (d.ms.index / 1000).toFixed(1) : '—',
          fmtBytes(s.bundle.stored),
          fmtBytes(s.bundle.raw),
          int(s.bundle.stored / s.articles),
          int(s.bundle.raw / s.articles),
          b ? mb(b.peakRss) : d ? `${mb(d.peakRss)}${isScaleDerived(s) ? '²' : '¹'}` : '—',
        ];
      }),
    ),
  );
  if (r.sizes.some((s) => s.derived && isScaleDerived(s))) out.push('', `² ${SCALE_DERIVED_NOTE}`);
  if (r.sizes.some((s) => s.derived && !isScaleDerived(s))) {
    out.push(
      '',
      "¹ `--derive`: made from the 1× articles (with their extracted facets) by the product's buildBundle, ids `-xk`, dates +10·k years: the same bundle a full build makes, without re-running extraction. Index time and RSS are of that process; build throughput and build RSS at this size are not measured.",
    );
  }
  out.push('', `Stored by role: ${r.sizes.map((s) => `${s.label}: ${Object.entries(s.bundle.byRole).map(([k, v]) => `${k} ${fmtBytes(v)}`).join(', ')}`).join('; ')}.`);

  out.push('', '## Cold start (fresh Node process: import handler bundle + index load + first answer)', '');
  out.push(
    table(
      ['corpus', 'source', 'runs', 'total ms (median)', 'min–max', 'import', 'first answer', 'process start → answer', 'bytes read', '% of bundle', 'requests/reads', 'peak RSS'],
      r.sizes.flatMap((s) =>
        s.cold.map((c) => [
          name(s),
          c.source,
          String(c.runs),
          fmtMs(c.totalMs),
          `${fmtMs(c.minTotalMs)}–${fmtMs(c.maxTotalMs)}`,
          fmtMs(c.importMs),
          fmtMs(c.firstAnswerMs),
          fmtMs(c.sinceProcessStartMs),
          fmtBytes(c.bytesRead),
          `${c.pctOfBundle.toFixed(1)}%`,
          String(c.requests),
          mb(c.peakRss),
        ]),
      ),
    ),
  );
  out.push(
    '',
    `Handler bundle (esbuild, serverless.yml settings, AWS SDK external): ${fmtBytes(r.handlerBundleBytes)}. First query: ${r.sizes.map((s) => `\`${s.coldQuery}\``).join(', ')}. S3 = s3rver on 127.0.0.1 behind a byte-counting proxy (pointer + manifest + parts); AWS_LAMBDA_FUNCTION_NAME is set, so loading starts during import as in Lambda's init phase.`,
  );

  for (const s of r.sizes) {
    out.push('', `## Warm latency, ${name(s)}: handler(event) in process, full response (10 hits with snippets, default facets)`, '');
    out.push(
      table(
        ['class', 'p50 ms', 'p99 ms', 'samples', 'mean matches', 'zero-match queries'],
        [
          ...QUERY_CLASSES.map((cls) => {
            const c = s.warm.perClass[cls];
            return [cls, fmtMs(c?.p50), fmtMs(c?.p99), String(c?.samples ?? 0), int(c?.meanTotal ?? 0), String(c?.zeroHits ?? 0)];
          }),
          ['**overall**', `**${fmtMs(s.warm.overall.p50)}**`, `**${fmtMs(s.warm.overall.p99)}**`, String(s.warm.overall.samples), '', ''],
        ],
      ),
    );
    const box = BOX_CLASSES.filter((cls) => s.warm.perClass[cls]);
    if (box.length) {
      out.push('', 'Search box, ours only (in the same interleaved run): `suggest` is `GET /suggest` for 1–4 typed letters; `typo` a search for a misspelled title word, answered for its correction.', '');
      out.push(
        table(
          ['class', 'p50 ms', 'p99 ms', 'samples', 'mean results', 'empty answers'],
          box.map((cls) => {
            const c = s.warm.perClass[cls]!;
            return [cls, fmtMs(c.p50), fmtMs(c.p99), String(c.samples), int(c.meanTotal), String(c.zeroHits)];
          }),
        ),
      );
    }
    const ops = OPERATOR_CLASSES.filter((cls) => s.warm.perClass[cls]);
    const plain = s.warm.perClass['plain'];
    if (ops.length) {
      out.push(
        '',
        'Query language, ours only (same run): `phrase` is two adjacent title words quoted (`"oil prices"`); `boolean` cycles `a OR b`, `a -b`, `(a OR b) -c`. Ratio = class p50 ÷ `plain` p50 (issue target: ≤ 2 on the 95k corpus).',
        '',
      );
      out.push(
        table(
          ['class', 'p50 ms', 'p99 ms', 'p50 ÷ plain p50', 'p99 ÷ plain p99', 'samples', 'mean matches', 'zero-match queries'],
          [
            ['plain', fmtMs(plain?.p50), fmtMs(plain?.p99), '1', '1', String(plain?.samples ?? 0), int(plain?.meanTotal ?? 0), String(plain?.zeroHits ?? 0)],
            ...ops.map((cls) => {
              const c = s.warm.perClass[cls]!;
              const ratio = (a: number, b: number | undefined) => (b ? (a / b).toFixed(2) : '—');
              return [cls, fmtMs(c.p50), fmtMs(c.p99), ratio(c.p50, plain?.p50), ratio(c.p99, plain?.p99), String(c.samples), int(c.meanTotal), String(c.zeroHits)];
            }),
          ],
        ),
      );
    }
    const rv = s.warm.revalidate;
    if (rv) {
      const other = Object.entries(rv.other).map(([k, v]) => `${v}× ${k}`).join(', ');
      out.push(
        '',
        `Revalidation (every request of the mix once more, with If-None-Match = the ETag of its first answer): ${rv.notModified} of ${rv.requests} answered 304 (${(100 * rv.share).toFixed(1)}%)${other ? `, others ${other}` : ''}${rv.withoutEtag ? `, ${rv.withoutEtag} first answers without ETag` : ''}; 304 p50 / p99 ${fmtMs(rv.p50_304)} / ${fmtMs(rv.p99_304)} ms against ${fmtMs(rv.p50_200)} / ${fmtMs(rv.p99_200)} ms for the same requests' full answers; body bytes ${fmtBytes(rv.bytesSaved)} not sent of ${fmtBytes(rv.bytesFull)} (304 bodies: ${fmtBytes(rv.bytes304)}; headers not counted).`,
      );
    }
    out.push('', `Index load in the warm process: ${fmtMs(s.warm.loadMs)} ms; peak RSS ${mb(s.warm.peakRss)}.`);
    if (s.peers.length) out.push('', ...peerTables(s));
  }

  if (r.sizes.some((s) => s.peers.length)) {
    out.push('', '## How the peers were run', '');
    out.push(
      '- Ours: the full handler (event parsing, validation, facets for person/location/month over all matches, 10 snippets, JSON body, log line). **Every peer does less per query**: none computes facets or snippets or builds a response.',
    );
    const seen = new Map(r.sizes.flatMap((s) => s.peers.map((p) => [p.name, p.notes] as const)));
    for (const [n, notes] of seen) out.push(`- ${n}: ${notes}.`);
    out.push('- Build: peers index the articles already extracted (our build time includes entity extraction), so the comparison uses our index phase only (buildBundle, incl. gzip); peer build + serialize.');
  }
  return out.join('\n') + '\n';
}

/** The issue's figures per corpus, one column each (19k / 95k / 1M when those ran). */
function perSizeRows(r: BenchReport): string[][] {
  const s3 = (s: SizeResult) => s.cold.find((c) => c.source === 's3');
  const row = (label: string, f: (s: SizeResult) => string) => [label, ...r.sizes.map(f)];
  return [
    row('articles', (s) => int(s.articles)),
    ...(r.sizes.some((s) => s.scale) ? [row('distinct terms (scale corpus)', (s) => (s.scale ? int(s.scale.distinctTerms) : '—'))] : []),
    row('bundle stored', (s) => fmtBytes(s.bundle.stored)),
    row('warm full response p50 / p99 ms', (s) => `${fmtMs(s.warm.overall.p50)} / ${fmtMs(s.warm.overall.p99)}`),
    row('function peak RSS (warm, cold)', (s) => `${mb(s.warm.peakRss)}, ${mb(Math.max(...s.cold.map((c) => c.peakRss)))}`),
    row('cold start, S3: import + load + first answer ms', (s) => fmtMs(s3(s)?.totalMs)),
    row('bytes read before the first answer (S3)', (s) => {
      const c = s3(s);
      return c ? `${fmtBytes(c.bytesRead)} = ${c.pctOfBundle.toFixed(1)}% (${c.requests} requests)` : '—';
    }),
    row('build throughput (incl. extraction)', (s) => (s.build ? `${int(s.articles / (s.build.ms.total / 1000))} articles/s` : scaleDerived(s) ? `not measured: derived build² ${int(s.articles / (scaleDerived(s)!.ms.total / 1000))} articles/s without extraction` : s.derived ? 'derived' : '—')),
    row('build peak RSS', (s) => (s.build ? mb(s.build.peakRss) : s.derived ? `${mb(s.derived.peakRss)} (derive${isScaleDerived(s) ? '²' : ''})` : '—')),
  ];
}

function isScaleDerived(s: SizeResult): boolean {
  return scaleDerived(s) !== null;
}

function scaleDerived(s: SizeResult): ScaleDeriveResult | null {
  return s.derived !== null && 'kind' in s.derived && s.derived.kind === 'scale' ? s.derived : null;
}

/** Footnote of every figure that comes from a `--derive-scale` bundle. */
const SCALE_DERIVED_NOTE =
  "`--derive-scale`: this bundle (and every query, cold-start, memory and peer figure measured on it) comes from a derived build of the scale corpus, not the real build: the same text read by the product's readInputs, the same segments of the build's size in the same order, the same analyzer and parts (buildSegment, assembleManifest, index-wide parts with an empty entity dictionary), but no entity extraction: each copy `<id>-s<k>` carries the people, locations and about the real build extracted for its source Reuters article `<id>` (from a real 1× build), so invented surnames and swapped cities are not in the facets. Its build time, throughput and RSS are the derived build's, not the real build's (~185 articles/s here with extraction).";
