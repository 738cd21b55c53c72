import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildIndex } from '../../cli/build-index.ts';
import { CORPUS_INPUTS, REPORT_NAME } from './corpus-index.ts';

/**
 * `tsx test/corpus/build-corpus.ts <root>`: builds the corpus index into <root>/ix and its counts into
 * <root>/build-report.json. A process of its own, because vitest loads global setup files natively,
 * where the gazetteers' JSON imports need import attributes that tsx adds.
 */
const root = process.argv[2];
if (!root) throw new Error('usage: build-corpus.ts <root folder>');
const r = await buildIndex({ inputs: CORPUS_INPUTS, outDir: join(root, 'ix') });
await writeFile(join(root, REPORT_NAME), JSON.stringify({ read: r.read, indexed: r.indexed, rejected: r.rejected }));
