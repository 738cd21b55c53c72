/**
 * compromise, run with only the analysis steps the extractor reads. `nlp(text)` also builds typeahead data and
 * noun-phrase chunks, which neither `people()`, `places()` nor the tag index use; skipping them saves ~7% of
 * compromise's time with identical tags. (Term ids and freezing look unneeded but are not: without them the
 * post-tagger tags some words differently.)
 */
import { nlp, type Doc } from './nlp.ts';
import { installFastSweep } from './fast-sweep.ts';

installFastSweep();

/** After `nlp.tokenize` (alias, normal, machine, contractions): `nlp()`'s own steps minus typeahead and chunks. */
const TAGGING = ['index', 'id', 'freeze', 'lexicon', 'preTagger', 'contractionTwo', 'postTagger'];

/** A tagged compromise document with character offsets computed. */
export function tag(text: string): Doc {
  const doc = nlp.tokenize(text);
  doc.compute(TAGGING);
  doc.compute('offset');
  return doc;
}
