import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';
import { REPO } from './child.ts';

/** What the numbers were measured on; noted in every report because the machine is shared and noisy. */
export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  os: string;
  loadAverage: [number, number, number];
  commit: string;
  startedAt: string;
}

export function machineInfo(): MachineInfo {
  const git = (...args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: REPO, encoding: 'utf8' }).trim();
    } catch {
      return '';
    }
  };
  const dirty = git('status', '--porcelain', '--', 'core', 'indexer', 'storage', 'functions', 'cli') !== '';
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    os: `${process.platform} ${release()} ${process.arch}`,
    loadAverage: loadavg().map((x) => Math.round(x * 100) / 100) as [number, number, number],
    commit: `${git('rev-parse', '--short', 'HEAD') || 'unknown'}${dirty ? ' + uncommitted changes in core/indexer/storage/functions/cli' : ''}`,
    startedAt: new Date().toISOString(),
  };
}
