import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO } from './child.ts';
import { renderMarkdown } from './report.ts';
import type { BenchReport } from './summary.ts';
import type { TargetRow } from './targets.ts';

/** Re-renders `latest.md` from `latest.json` (after a report format change, without re-running). */
const file = process.argv[2] ?? join(REPO, 'bench', 'results', 'latest.json');
const data = JSON.parse(await readFile(file, 'utf8')) as BenchReport & { targets: TargetRow[] };
const md = renderMarkdown(data, data.targets);
await writeFile(file.replace(/\.json$/, '.md'), md);
process.stdout.write(md);
