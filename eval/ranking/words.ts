import { tokenize } from '../../core/text.ts';

/**
 * Query words for the ranking eval. A small standard English stop-word list (the classic
 * Lucene/Snowball core), plus a few newswire fillers nobody types ("said", the "Reuter" sign-off,
 * the "mln"/"pct"/"dlrs"/"cts" abbreviations of every Reuters money story).
 */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below between both but by ' +
    'can could did do does doing down during each few for from further had has have having he her here hers herself him ' +
    'himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other ' +
    'our ours ourselves out over own same she should so some such than that the their theirs them themselves then there ' +
    'these they this those through to too under until up very was we were what when where which while who whom why will ' +
    'with would you your yours yourself yourselves also said says say reuter mln pct dlrs cts vs'
  ).split(' '),
);

/**
 * A content word: not a stop word, at least two characters, letters only. Words with digits are
 * left out because the engines split them differently ("5.93", "1st", "155,221"), which would
 * favour whichever tokenizer generated the queries.
 */
export function isContentWord(w: string): boolean {
  return w.length >= 2 && !STOPWORDS.has(w) && /^\p{L}+$/u.test(w);
}

/**
 * Content words of a text, in order, repeats kept. Uses our tokenizer (folded, lower case).
 * Reuters' ticker notation (`<FLR>`, `<NLCS.O>`) is skipped: readers do not type tickers, and
 * default tokenizers disagree on it (MiniSearch keeps `<` and `>` as part of the word).
 */
export function contentWords(text: string): string[] {
  return tokenize(text.replace(TICKER, ' ')).filter(isContentWord);
}

const TICKER = /<[^<>\n]{1,20}>/g;

