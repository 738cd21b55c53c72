import { Document, Encoder } from 'flexsearch';

/**
 * The FlexSearch configuration, in one place, because `import()` only works on a Document built with
 * exactly the options of the one that was exported. It is also recorded in the bundle manifest.
 *
 * Text reaches FlexSearch already tokenized by `core/text.ts` (folded terms joined by spaces), so the
 * encoder only splits on spaces: indexing, querying, the vocabulary and highlighting agree on what a
 * word is. Ids are numeric (dense doc numbers), which loads ~5x faster and uses ~3x less memory than
 * string ids on large corpora.
 */
export const FLEX_CONFIG = {
  fields: ['title', 'body'],
  tokenize: 'strict',
  resolution: 9,
  encoder: { normalize: false, split: ' ', numeric: false, dedupe: false, cache: false },
} as const;

export type FlexField = (typeof FLEX_CONFIG.fields)[number];

export interface FlexDoc {
  id: number;
  title: string;
  body: string;
}

export function createFlexDocument(): Document {
  const encoder = new Encoder({ ...FLEX_CONFIG.encoder });
  return new Document({
    document: {
      id: 'id',
      index: FLEX_CONFIG.fields.map((field) => ({
        field,
        tokenize: FLEX_CONFIG.tokenize,
        resolution: FLEX_CONFIG.resolution,
        encoder,
      })),
    },
  });
}

/** Every key/value FlexSearch exports, in order. */
export async function exportFlex(doc: Document): Promise<Array<[string, string]>> {
  const out: Array<[string, string]> = [];
  // A synchronous handler makes export() synchronous (it returns a promise only for an async one).
  doc.export((key: string, data: string) => {
    out.push([key, data]);
  });
  return out;
}

export function importFlex(entries: Array<[string, string]>): Document {
  const doc = createFlexDocument();
  for (const [key, data] of entries) doc.import(key, data);
  return doc;
}

/** A term's postings in one field as FlexSearch holds them: doc ids per rank slot (slot 0 best), each slot in insertion order. */
export type Slots = ReadonlyArray<readonly number[] | undefined>;
/** The term map of each field (`FLEX_CONFIG.fields` order) of one FlexSearch document. */
export type FieldMaps = ReadonlyArray<ReadonlyMap<string, Slots>>;

/**
 * The term maps of an imported document. FlexSearch's own `search` returns exactly these slots
 * concatenated (test/segments.test.ts checks it); reading them directly lets postings from several
 * segments be merged slot by slot, which is how one term ranks the same in any segment layout.
 */
export function fieldMaps(doc: Document): FieldMaps {
  const index = (doc as unknown as { index: Map<string, { map: Map<string, Slots> }> }).index;
  return FLEX_CONFIG.fields.map((f) => index.get(f)?.map ?? new Map<string, Slots>());
}
