import cliProgress from 'cli-progress';
import type { BuildReport, Rejection } from '../indexer/build.ts';

/** A live counter on stderr while articles stream in (a plain line every few seconds when not a TTY). */
export function progressBar(enabled: boolean) {
  if (!enabled) return { update: (_n: number) => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      format: 'indexing | {value} articles | {rate}/s | {duration_formatted}',
      noTTYOutput: true,
      notTTYSchedule: 5000,
      stream: process.stderr,
      hideCursor: false,
    },
    cliProgress.Presets.shades_classic,
  );
  const t0 = Date.now();
  bar.start(0, 0, { rate: 0 });
  return {
    update(n: number) {
      bar.setTotal(Math.max(n, 1));
      bar.update(n, { rate: Math.round(n / Math.max((Date.now() - t0) / 1000, 0.001)) });
    },
    stop: () => bar.stop(),
  };
}

export function formatRejection(r: Rejection): string {
  return `rejected ${r.file} ${r.record}: ${r.reason}`;
}

export function summary(report: BuildReport, out: string): string {
  const f = (n: number) => n.toLocaleString('en-US');
  const lines = [
    `read ${f(report.read)} = indexed ${f(report.indexed)} + rejected ${f(report.rejected)}`,
    `index ${report.bundle.manifest.indexVersion}: ${f(report.segments)} segment${report.segments === 1 ? '' : 's'}, ${f(report.bundle.parts)} parts, ${f(report.bundle.bytes)} bytes → ${out}`,
    `time ${(report.ms.total / 1000).toFixed(1)} s (read+extract ${(report.ms.extract / 1000).toFixed(1)} s, index ${(report.ms.index / 1000).toFixed(1)} s), ${f(Math.round(report.indexed / (report.ms.total / 1000)))} articles/s`,
  ];
  if (report.skippedFiles.length) {
    lines.push(`skipped ${report.skippedFiles.length} non-article file(s): ${report.skippedFiles.slice(0, 5).join(', ')}${report.skippedFiles.length > 5 ? ', …' : ''}`);
  }
  return lines.join('\n');
}
