import { fmtBytes, fmtMs, int, mb, name, ratio, table } from './format.ts';
import { QUERY_CLASSES } from './queries.ts';
import type { SizeResult } from './summary.ts';

/**
 * Our numbers beside each peer's for one corpus: build, size, load, query latency, memory, and
 * ours÷theirs ratios (for times, < 1 means we are faster), overall and per query class.
 */
export function peerTables(s: SizeResult): string[] {
  const ours = s.warm;
  const oursBuild = s.build ? s.build.ms.index : s.derived?.ms.index;
  const rows: string[][] = [
    [
      '**news-search**',
      oursBuild === undefined ? '—' : (oursBuild / 1000).toFixed(1),
      fmtBytes(s.bundle.raw),
      fmtBytes(s.bundle.stored),
      fmtMs(ours.loadMs),
      fmtMs(ours.overall.p50),
      fmtMs(ours.overall.p99),
      `${mb(s.build?.peakRss ?? s.derived?.peakRss)} / ${mb(ours.peakRss)}`,
      '',
      '',
      '',
      '',
    ],
  ];
  for (const p of s.peers) {
    if (p.error || !p.build || !p.query) {
      rows.push([p.name, p.limit ? `**${p.error}**` : `failed: ${p.error ?? 'no result'}`, '', '', '', '', '', '', '', '', '', '']);
      continue;
    }
    const b = p.build;
    const q = p.query;
    rows.push([
      p.name,
      `${((b.buildMs + b.serializeMs) / 1000).toFixed(1)}`,
      fmtBytes(b.bytes),
      fmtBytes(b.gzipBytes),
      fmtMs(q.loadMs),
      fmtMs(q.overall.p50),
      fmtMs(q.overall.p99),
      `${mb(b.peakRss)} / ${mb(q.peakRss)}`,
      ratio(oursBuild, b.buildMs + b.serializeMs),
      ratio(s.bundle.stored, b.gzipBytes),
      ratio(ours.loadMs, q.loadMs),
      `${ratio(ours.overall.p50, q.overall.p50)} / ${ratio(ours.overall.p99, q.overall.p99)}`,
    ]);
  }
  const ok = s.peers.filter((p) => p.query);
  const perClass = QUERY_CLASSES.map((cls) => {
    const o = s.warm.perClass[cls];
    return [
      cls,
      `${fmtMs(o?.p50)} / ${fmtMs(o?.p99)}`,
      ...ok.map((p) => {
        const c = p.query?.perClass[cls];
        return `${fmtMs(c?.p50)} / ${fmtMs(c?.p99)} (${ratio(o?.p50, c?.p50)})`;
      }),
      [o, ...ok.map((p) => p.query?.perClass[cls])].map((c) => int(c?.meanTotal ?? 0)).join(' / '),
    ];
  });
  return [
    `### Peers, ${name(s)} (each in its own processes: build+serialize, then load+query)`,
    '',
    table(
      ['engine', 'build s', 'size raw', 'size gzip', 'load ms', 'p50 ms', 'p99 ms', 'RSS build / query', 'ours÷theirs build', 'size (gzip)', 'load', 'p50 / p99'],
      rows,
    ),
    '',
    `Per class, p50 / p99 ms (ours÷theirs p50); ratio < 1 means we are faster. Mean matches: ours / ${ok.map((p) => p.name).join(' / ')}.`,
    '',
    table(['class', 'news-search', ...ok.map((p) => p.name), 'mean matches'], perClass),
  ];
}
