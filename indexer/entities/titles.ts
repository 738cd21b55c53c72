/**
 * Honorifics and job titles that precede names in news text ("Russian Foreign Minister Sergey Lavrov",
 * "Mr. Tedeschi"). Compared lower case without dots. Compromise tags many of these `#Honorific`; this list adds
 * the job words it leaves inside person spans.
 */
const TITLE_WORDS = new Set([
  'mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'professor', 'sir', 'dame', 'lord', 'lady', 'madam', 'mister',
  'president', 'vice', 'prime', 'minister', 'premier', 'chancellor', 'secretary', 'foreign', 'defence', 'defense',
  'interior', 'finance', 'health', 'trade', 'economy', 'justice', 'home', 'state', 'deputy', 'acting', 'former',
  'senator', 'sen', 'congressman', 'congresswoman', 'representative', 'rep', 'governor', 'gov', 'mayor',
  'ambassador', 'envoy', 'spokesman', 'spokeswoman', 'spokesperson', 'chairman', 'chairwoman', 'chair', 'ceo',
  'director', 'chief', 'commissioner', 'judge', 'attorney', 'general', 'gen', 'lieutenant', 'lt', 'colonel',
  'col', 'major', 'maj', 'captain', 'capt', 'sergeant', 'sgt', 'admiral', 'commander', 'officer', 'detective',
  'inspector', 'superintendent', 'king', 'queen', 'prince', 'princess', 'emperor', 'empress', 'sultan', 'emir',
  'sheikh', 'shaikh', 'pope', 'cardinal', 'archbishop', 'bishop', 'reverend', 'rev', 'father', 'rabbi', 'imam',
  'ayatollah', 'pastor', 'saint', 'st', 'coach', 'manager', 'leader', 'opposition', 'mp', 'mep', 'councillor',
  'councilor', 'speaker', 'mufti', 'crown', 'grand', 'supreme', 'dear', 'comrade', 'chairperson', 'treasurer',
  'adviser', 'advisor', 'administrator', 'undersecretary', 'aide', 'exchequer', 'economist', 'analyst',
  'assemblyman', 'assemblywoman', 'assemblymember', 'congressmember', 'councilman', 'councilwoman', 'alderman',
]);

/** True when the word (any case, dots allowed, singular or plural: "Senators") is an honorific or job title. */
export function isTitleWord(word: string): boolean {
  const w = word.toLowerCase().replace(/\./g, '');
  return TITLE_WORDS.has(w) || (w.endsWith('s') && TITLE_WORDS.has(w.slice(0, -1)));
}
