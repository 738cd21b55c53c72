import { fork } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * Runs one benchmark step in a fresh Node process and returns what it reports over IPC. Fresh
 * processes give honest cold starts and a peak RSS per step; TypeScript children load tsx, bundled
 * `.mjs` children (cold starts) run on plain Node so no loader hook sits in the measured path.
 */
export const REPO = resolve(import.meta.dirname, '..');

export interface ChildOptions {
  env?: Record<string, string>;
  /** Load tsx (for `.ts` scripts). */
  ts?: boolean;
  timeoutMs?: number;
  /** Extra V8 heap for the big peers at 5×. */
  maxOldSpaceMb?: number;
  /** Where the child's stdout goes; the handler logs a line per request, so benchmarks discard it. */
  stdout?: 'ignore' | 'inherit';
}

export class ChildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChildError';
  }
}

export function runChild<T>(script: string, args: readonly string[], opts: ChildOptions = {}): Promise<T> {
  const execArgv = [...(opts.ts ? ['--import', 'tsx'] : []), ...(opts.maxOldSpaceMb ? [`--max-old-space-size=${opts.maxOldSpaceMb}`] : [])];
  return new Promise<T>((resolvePromise, reject) => {
    const child = fork(script, [...args], {
      cwd: REPO,
      execArgv,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', opts.stdout ?? 'ignore', 'inherit', 'ipc'],
    });
    let result: { value: T } | null = null;
    let failure: string | null = null;
    const timer = opts.timeoutMs
      ? setTimeout(() => {
          failure = `timed out after ${Math.round((opts.timeoutMs as number) / 1000)} s`;
          child.kill('SIGKILL');
        }, opts.timeoutMs)
      : null;
    child.on('message', (msg: { result?: T; error?: string }) => {
      if (msg.error !== undefined) failure = msg.error;
      else result = { value: msg.result as T };
    });
    child.on('error', (err) => (failure ??= err.message));
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (result && !failure) resolvePromise(result.value);
      else reject(new ChildError(`${script.split('/').slice(-2).join('/')}: ${failure ?? `exited with ${signal ?? `code ${code}`} before reporting`}`));
    });
  });
}

/** In a child: send the result (or the error) to the parent, then exit, even with open sockets. */
export function reply(work: () => Promise<unknown>): void {
  work().then(
    (result) => process.send?.({ result }, () => process.exit(0)),
    (err: unknown) => {
      const message = err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err);
      if (process.send) process.send({ error: message }, () => process.exit(1));
      else {
        console.error(message);
        process.exit(1);
      }
    },
  );
}

/** Peak resident set size of this process so far, in bytes. */
export function peakRss(): number {
  return process.resourceUsage().maxRSS * 1024;
}
