/**
 * compromise, loaded once for the whole extractor. Its package maps `import` to ~200 separate ES module files
 * but `require` to one bundled file of the same version; each worker thread of a build loads it, and the bundle
 * loads in about half the CPU time (more under tsx, which hooks every module load). Every module here must get
 * compromise from this file, so that there is one instance and one lexicon.
 */
import { createRequire } from 'node:module';
import type compromise from 'compromise';

export type Nlp = typeof compromise;
export type Doc = ReturnType<Nlp>;

export const nlp = createRequire(import.meta.url)('compromise') as Nlp;
