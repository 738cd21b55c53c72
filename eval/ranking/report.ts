import { PRIMARY_NAME, primary } from './metrics.ts';
import { KNOWN_ITEM, SETS, type EvalQuery, type SetName } from './queries.ts';
import type { EngineRun } from './run.ts';

const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '–');
const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '–');

/** One row per engine: MRR@10 / hit@1 / hit@10 on known-item sets, P@10 on topical ones, p50 time. */
export function markdownTable(runs: readonly EngineRun[], queries: readonly EvalQuery[]): string {
  const count = (s: SetName) => queries.filter((q) => q.set === s).length;
  const head = [
    'engine',
    ...SETS.flatMap((s) => (KNOWN_ITEM.has(s) ? [`${s} MRR@10`, `${s} hit@1`, `${s} hit@10`] : [`${s} P@10`])),
    'p50 ms',
  ];
  const rows = runs.map((r) => {
    const cells = SETS.flatMap((s) => {
      const x = r.scores[s];
      return KNOWN_ITEM.has(s) ? [f3(x.mrr), f3(x.hit1), f3(x.hit10)] : [f3(x.p10)];
    });
    const all = r.outcomes.map((o) => o.ms).sort((a, b) => a - b);
    const name = r.role === 'ours' ? `**${r.name}**` : r.name;
    return [name, ...cells, ms(all[Math.floor((all.length - 1) / 2)] ?? Number.NaN)];
  });
  const sizes = `queries: ${SETS.map((s) => `${s} ${count(s)}`).join(', ')}`;
  return [sizes, '', `| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

export interface SetVerdict {
  set: SetName;
  metric: string;
  ours: number;
  bestPeer: string;
  bestPeerValue: number;
  ok: boolean;
}

/** Ours against the best peer configuration, set by set, on the set's primary metric. */
export function verdicts(runs: readonly EngineRun[]): SetVerdict[] {
  const ours = runs.find((r) => r.role === 'ours');
  const peers = runs.filter((r) => r.role === 'peer');
  if (!ours || peers.length === 0) return [];
  return SETS.map((set) => {
    const best = peers.reduce((a, b) => (primary(set, b.scores[set]) > primary(set, a.scores[set]) ? b : a));
    const o = primary(set, ours.scores[set]);
    const p = primary(set, best.scores[set]);
    // A tolerance for float summation order: equal counts must compare equal.
    return { set, metric: PRIMARY_NAME[set], ours: o, bestPeer: best.name, bestPeerValue: p, ok: o >= p - 1e-9 };
  });
}

export interface Loss {
  set: SetName;
  key: string;
  query: string;
  /** Rank of the target (null: not in the top 10); topical: relevant hits in the top 10. */
  ours: number | null;
  peer: number | null;
  peerName: string;
  /** Our first hit, when it is not relevant. */
  oursTop1?: string;
  target?: string;
}

/**
 * Queries where `subject` does worse than the set's best peer: known-item by target rank, topical
 * by relevant hits in the top 10. Worst first.
 */
export function losses(queries: readonly EvalQuery[], runs: readonly EngineRun[], subject: EngineRun, titles: ReadonlyMap<string, string>): Loss[] {
  const out: Array<Loss & { gap: number }> = [];
  for (const v of verdicts(runs)) {
    const peer = runs.find((r) => r.name === v.bestPeer) as EngineRun;
    queries.forEach((q, i) => {
      if (q.set !== v.set) return;
      const a = subject.outcomes[i]!;
      const b = peer.outcomes[i]!;
      const known = KNOWN_ITEM.has(q.set);
      const gap = known ? (a.rank ?? 11) - (b.rank ?? 11) : b.relevantInTop - a.relevantInTop;
      if (gap <= 0) return;
      const top1 = subject.top[i]?.[0];
      out.push({
        set: q.set,
        key: q.key,
        query: q.words.join(' '),
        ours: known ? a.rank : a.relevantInTop,
        peer: known ? b.rank : b.relevantInTop,
        peerName: peer.name,
        ...(known && top1 !== undefined && !q.relevant.has(top1) ? { oursTop1: titles.get(top1) ?? top1 } : {}),
        ...(known ? { target: titles.get(q.key) ?? q.key } : {}),
        gap,
      });
    });
  }
  return out.sort((a, b) => b.gap - a.gap).map(({ gap: _gap, ...l }) => l);
}

export interface HeadToHead {
  better: number;
  worse: number;
  same: number;
  /** Two-sided sign test on the queries that differ: small means the gap is not noise. */
  p: number;
}

/** Wins and losses of `subject` against the best peer, query by query, per set. */
export function headToHead(queries: readonly EvalQuery[], runs: readonly EngineRun[], subject: EngineRun): Record<string, HeadToHead> {
  const out: Record<string, HeadToHead> = {};
  for (const v of verdicts(runs)) {
    const peer = runs.find((r) => r.name === v.bestPeer) as EngineRun;
    const c = { better: 0, worse: 0, same: 0 };
    queries.forEach((q, i) => {
      if (q.set !== v.set) return;
      const a = subject.outcomes[i]!;
      const b = peer.outcomes[i]!;
      const d = KNOWN_ITEM.has(q.set) ? (b.rank ?? 11) - (a.rank ?? 11) : a.relevantInTop - b.relevantInTop;
      if (d > 0) c.better++;
      else if (d < 0) c.worse++;
      else c.same++;
    });
    out[`${v.set} vs ${v.bestPeer}`] = { ...c, p: signTest(c.better, c.worse) };
  }
  return out;
}

/** Two-sided exact binomial test of `a` wins against `b` losses at p = 0.5. */
export function signTest(a: number, b: number): number {
  const n = a + b;
  if (n === 0) return 1;
  const k = Math.min(a, b);
  let logC = 0; // log C(n, 0)
  let tail = 0;
  for (let i = 0; i <= k; i++) {
    if (i > 0) logC += Math.log(n - i + 1) - Math.log(i);
    tail += Math.exp(logC - n * Math.LN2);
  }
  return Math.min(1, 2 * tail);
}

export function lossLines(l: readonly Loss[], perSet: number): string[] {
  const lines: string[] = [];
  for (const set of SETS) {
    const mine = l.filter((x) => x.set === set).slice(0, perSet);
    if (mine.length === 0) continue;
    lines.push(`- ${set}:`);
    for (const x of mine) {
      const rank = (r: number | null) => (r === null ? '>10' : String(r));
      lines.push(
        KNOWN_ITEM.has(set)
          ? `  - "${x.query}" → ours ${rank(x.ours)}, ${x.peerName} ${rank(x.peer)}; target "${x.target}"${x.oursTop1 ? `; our #1 "${x.oursTop1}"` : ''}`
          : `  - "${x.query}" (${x.key}) → ours ${x.ours}/10 relevant, ${x.peerName} ${x.peer}/10`,
      );
    }
  }
  return lines;
}
