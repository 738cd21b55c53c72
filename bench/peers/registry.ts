import type { PeerEngine } from './engine.ts';
import { lunrEngine } from './lunr.ts';
import { minisearchEngine } from './minisearch.ts';
import { oramaEngine } from './orama.ts';

/** The peers by command-line name, in report order. */
export const ENGINES: Record<string, PeerEngine> = {
  orama: oramaEngine as PeerEngine,
  minisearch: minisearchEngine as PeerEngine,
  lunr: lunrEngine,
};
