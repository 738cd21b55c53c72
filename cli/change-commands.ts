import type { Command } from 'commander';
import { InputError } from '../indexer/read-inputs.ts';
import type { IndexStore } from '../storage/index-store.ts';
import { isS3Uri } from '../storage/uri.ts';
import { formatRejection } from './report.ts';
import { client, explainS3Errors, location } from './s3-commands.ts';
import type { Committed } from '../ingest/commit.ts';

/** The store of an index given as s3://bucket/prefix or a folder. */
export async function openStore(target: string): Promise<IndexStore> {
  const { folderStore, s3Store } = await import('../storage/index-store.ts');
  return isS3Uri(target) ? s3Store(await client(), await location(target)) : folderStore(target);
}

const run = <T>(target: string, f: () => Promise<T>) => (isS3Uri(target) ? explainS3Errors(target, f) : f());

function report(c: Committed | null, what: string): void {
  if (!c) return void console.error(`${what}: nothing to do`);
  const ch = c.change;
  const segs = ch.manifest.segments.length;
  console.error(
    `${what}: live ${c.version}: ${ch.manifest.articleCount.toLocaleString('en-US')} articles in ${segs} segment${segs === 1 ? '' : 's'}` +
      ` (added ${ch.added}, replaced ${ch.replaced}, deleted ${ch.deleted}; wrote ${ch.written.length} parts, ${ch.bytesWritten.toLocaleString('en-US')} bytes` +
      `${c.attempts > 1 ? `; ${c.attempts - 1} retr${c.attempts === 2 ? 'y' : 'ies'} after other writers` : ''})`,
  );
  if (ch.missing.length) console.error(`not in the index: ${ch.missing.join(', ')}`);
  if (c.removed.length) console.error(`purged ${c.removed.length} stored part(s):\n  ${c.removed.join('\n  ')}`);
  if (c.droppedVersions.length) console.error(`deleted ${c.droppedVersions.length} older version(s) holding the purged text: ${c.droppedVersions.join(', ')}`);
}

/** `add`, `delete` and `compact`: change a published index (a folder or s3://…) without rebuilding it. */
export function registerChangeCommands(program: Command): void {
  program
    .command('add')
    .description('index articles into a new segment of a published index and make it live; an id it holds is replaced (a correction)')
    .argument('<inputs...>', 'files or folders of articles')
    .requiredOption('--to <index>', 'index folder or s3://bucket/prefix')
    .option('--no-merge', 'do not merge small segments after adding')
    .option('--report <file>', 'write every rejection as JSON to this file')
    .action(async (inputs: string[], o: { to: string; merge: boolean; report?: string }) => {
      const { collectArticles } = await import('../indexer/collect.ts');
      const { addArticles, compactSegments } = await import('../indexer/incremental.ts');
      const { commitChange } = await import('../ingest/commit.ts');
      const got = await collectArticles(inputs, { onRejection: (r) => console.error(formatRejection(r)) });
      if (o.report) await (await import('node:fs/promises')).writeFile(o.report, JSON.stringify(got.rejections, null, 2));
      if (got.articles.length === 0) {
        throw new InputError(`nothing to add: ${got.read} record(s) read, ${got.rejections.length} rejected; the live index is unchanged`);
      }
      const store = await openStore(o.to);
      const c = await run(o.to, () => commitChange(store, (state, io) => addArticles(state, io, got.articles)));
      report(c, 'add');
      if (o.merge) report(await run(o.to, () => commitChange(store, (state, io) => compactSegments(state, io))), 'merge');
    });

  program
    .command('delete')
    .description('remove articles by id from a published index: gone from results, facets, suggestions and /articles in the new version')
    .argument('<ids...>', 'article ids')
    .requiredOption('--from <index>', 'index folder or s3://bucket/prefix')
    .option('--purge', 'also remove their text from storage: rewrite the segments holding them and delete every older version that still names those segments')
    .action(async (ids: string[], o: { from: string; purge?: boolean }) => {
      const { deleteArticles } = await import('../indexer/incremental.ts');
      const { commitChange } = await import('../ingest/commit.ts');
      const store = await openStore(o.from);
      const c = await run(o.from, () => commitChange(store, async (state, io) => {
        const change = await deleteArticles(state, io, ids, { purge: o.purge ?? false });
        return change.deleted === 0 ? null : change;
      }));
      if (!c) throw new InputError(`none of ${ids.join(', ')} is in the index at ${o.from}; nothing changed`);
      report(c, o.purge ? 'delete --purge' : 'delete');
    });

  program
    .command('compact')
    .description('merge small segments and drop deleted articles (tiered: runs of small adjacent segments, segments with many deletions)')
    .argument('<index>', 'index folder or s3://bucket/prefix')
    .option('--all', 'merge every small segment and rewrite every segment with a deletion')
    .action(async (target: string, o: { all?: boolean }) => {
      const { compactSegments } = await import('../indexer/incremental.ts');
      const { commitChange } = await import('../ingest/commit.ts');
      const store = await openStore(target);
      report(await run(target, () => commitChange(store, (state, io) => compactSegments(state, io, { all: o.all ?? false }))), 'compact');
    });
}
