import type { SizeResult } from './summary.ts';

/** Number and table formatting for the markdown report. */
export function fmtMs(v: number | undefined): string {
  if (v === undefined || Number.isNaN(v)) return '—';
  if (v < 1) return v.toFixed(3);
  if (v < 10) return v.toFixed(2);
  if (v < 1000) return v.toFixed(1);
  return v.toFixed(0);
}

export function fmtBytes(v: number | undefined): string {
  if (v === undefined || Number.isNaN(v)) return '—';
  if (v >= 1e6) return `${(v / 1e6).toFixed(1)} MB`;
  if (v >= 1e3) return `${(v / 1e3).toFixed(1)} kB`;
  return `${v} B`;
}

export const mb = (v: number | undefined) => (v === undefined ? '—' : `${Math.round(v / 2 ** 20)} MB`);
export const ratio = (ours: number | undefined, theirs: number | undefined) =>
  ours === undefined || theirs === undefined || !theirs ? '—' : `${(ours / theirs).toFixed(2)}`;
export const int = (v: number) => Math.round(v).toLocaleString('en');

export function table(head: string[], rows: string[][]): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

export function name(s: SizeResult): string {
  return `${s.label} (${int(s.articles)})`;
}
