import { startLocalServer } from '../local/server.ts';

/**
 * The server under load, in its own process so its memory is measured without the load generator's.
 * Started by load/run.ts with an IPC channel and --expose-gc; answers `memory` with the usage after
 * a full collection, so warm-up and end are compared on live memory, not on garbage not yet swept.
 */
const indexDir = process.argv[2];
if (!indexDir || !process.send) {
  console.error('usage: started by load/run.ts (node --import tsx --expose-gc load/server-child.ts <index-dir>)');
  process.exit(2);
}

const server = await startLocalServer({ indexDir, port: 0, host: '127.0.0.1' });
const gc = (globalThis as { gc?: () => void }).gc;

process.on('message', (msg: { type: string }) => {
  if (msg.type === 'memory') {
    gc?.();
    gc?.();
    const m = process.memoryUsage();
    process.send?.({ type: 'memory', rss: m.rss, heapUsed: m.heapUsed, external: m.external, collected: gc !== undefined });
  } else if (msg.type === 'rss') {
    process.send?.({ type: 'rss', rss: process.memoryUsage.rss() });
  } else if (msg.type === 'stop') {
    void server.close().then(() => process.exit(0));
  }
});
process.send({ type: 'ready', url: server.url, articles: server.index.size, indexVersion: server.index.manifest.indexVersion });
