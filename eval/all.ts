/**
 * `npm run eval`: the issue 6 quality gates in one run. Runs the entity evaluation and the ranking evaluation
 * (each prints its own tables and writes eval/results/*.json), then prints one table of every target and exits
 * 1 when any is missed (`--no-fail`: always 0). `--known-miss <gate>` (repeatable, a prefix of a gate name such
 * as "ranking category") still prints a miss but does not fail on it: for a target an open issue tracks, so
 * CI keeps guarding every other one. Other options go to eval/ranking.ts (`--index <dir>` reuses a built
 * Reuters folder, `--sample N`, ...).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { EntityRowResult } from './entities.ts';

const here = import.meta.dirname;
const args = process.argv.slice(2);
const noFail = args.includes('--no-fail');
const knownMisses: string[] = [];
const forwarded: string[] = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--no-fail') continue;
  if (args[i] === '--known-miss') knownMisses.push(args[++i] ?? '');
  else forwarded.push(args[i] as string);
}

function run(script: string, extra: string[]): number {
  const r = spawnSync(process.execPath, ['--import', 'tsx', resolve(here, script), '--no-fail', ...extra], { stdio: 'inherit' });
  return r.status ?? 2;
}

interface Gate {
  gate: string;
  value: number;
  target: string;
  ok: boolean;
}

const codes = [run('entities.ts', []), run('ranking.ts', forwarded)];
if (codes.some((c) => c !== 0)) {
  console.error(`evaluation failed to run (exit codes ${codes.join(', ')})`);
  process.exit(2);
}
const read = <T>(name: string): T => JSON.parse(readFileSync(resolve(here, 'results', name), 'utf8')) as T;
const gates: Gate[] = [];
for (const row of read<{ rows: EntityRowResult[] }>('entities.json').rows) {
  const t = row.target;
  if (!t) continue;
  if (t.f1 !== undefined) gates.push({ gate: `${row.name} F1`, value: row.f1, target: `≥ ${t.f1}`, ok: row.f1 >= t.f1 });
  if (t.precision !== undefined) gates.push({ gate: `${row.name} precision`, value: row.precision, target: `≥ ${t.precision}`, ok: row.precision >= t.precision });
  if (t.recall !== undefined) gates.push({ gate: `${row.name} recall`, value: row.recall, target: `≥ ${t.recall}`, ok: row.recall >= t.recall });
}
const ranking = read<{ verdicts: Array<{ set: string; metric: string; ours: number; bestPeer: string; bestPeerValue: number; ok: boolean }> }>('ranking.json');
for (const v of ranking.verdicts) {
  gates.push({ gate: `ranking ${v.set} ${v.metric}`, value: v.ours, target: `≥ ${v.bestPeerValue.toFixed(3)} (${v.bestPeer})`, ok: v.ok });
}
if (ranking.verdicts.length === 0) gates.push({ gate: 'ranking (no peers ran)', value: NaN, target: 'best peer', ok: false });

console.log('\n## Issue 6 targets\n');
console.log('| gate | ours | target | |');
console.log('|---|---|---|---|');
const known = (g: Gate) => knownMisses.some((k) => k !== '' && g.gate.startsWith(k));
for (const g of gates) console.log(`| ${g.gate} | ${g.value.toFixed(3)} | ${g.target} | ${g.ok ? 'ok' : known(g) ? 'MISSED (known, open issue)' : 'MISSED'} |`);
const missed = gates.filter((g) => !g.ok);
const failing = missed.filter((g) => !known(g));
console.log(missed.length ? `\n${missed.length} target(s) missed, ${failing.length} not known${noFail ? ' (--no-fail: exit 0)' : ''}.` : '\nAll targets met.');
process.exit(failing.length && !noFail ? 1 : 0);
