/**
 * Topical queries: the words a reader would type for a Reuters TOPICS category or PLACES label.
 * Categories use the collection's own category names (cat-descriptions_120396.txt) with stop words
 * dropped; where the official name is a word the stories hardly use, the common surface form is
 * used instead (noted). Places use the country name; codes are hyphenated names except where noted.
 */
export const CATEGORY_QUERIES: Readonly<Record<string, string>> = {
  earn: 'earnings', // "Earnings and Earnings Forecasts"
  acq: 'acquisition', // "Mergers/Acquisitions": "mergers" is in 43 stories, "acquisition" in 813
  'money-fx': 'foreign exchange', // "Money/Foreign Exchange"
  grain: 'grain',
  crude: 'crude oil',
  trade: 'trade',
  interest: 'interest rates',
  ship: 'shipping',
  wheat: 'wheat',
  corn: 'corn',
  oilseed: 'oilseeds',
  sugar: 'sugar',
  dlr: 'dollar', // "U.S. Dollar"
  gnp: 'gross national product', // "Gross National/Domestic Product"
  coffee: 'coffee',
  'veg-oil': 'vegetable oil',
  gold: 'gold',
  'money-supply': 'money supply',
  'nat-gas': 'natural gas',
  livestock: 'livestock',
  soybean: 'soybeans',
  cpi: 'consumer price index',
  bop: 'balance payments', // "Balance of Payments"
  copper: 'copper',
  carcass: 'meat', // "Carcass" is in 6 stories
  reserves: 'reserves',
  cocoa: 'cocoa',
  jobs: 'unemployment',
  rice: 'rice',
  'iron-steel': 'iron steel',
  cotton: 'cotton',
  alum: 'aluminium',
  yen: 'yen',
  ipi: 'industrial production', // "Industrial Production Index"
  gas: 'gasoline',
  'meal-feed': 'meal feed',
  rubber: 'rubber',
  barley: 'barley',
  zinc: 'zinc',
  'palm-oil': 'palm oil',
  'pet-chem': 'petrochemical', // "Petro-Chemicals"
  silver: 'silver',
  rapeseed: 'rapeseed',
  lead: 'lead',
  sorghum: 'sorghum',
  tin: 'tin',
  'strategic-metal': 'strategic metals',
  wpi: 'wholesale price index',
  fuel: 'fuel oil',
  'soy-meal': 'soy meal',
  hog: 'hogs',
  'soy-oil': 'soy oil',
  heat: 'heating oil',
  orange: 'orange juice', // "Orange" (the juice market)
  retail: 'retail sales',
  housing: 'housing starts',
  income: 'personal income',
  lumber: 'lumber',
  instal: 'instalment debt',
  lei: 'leading indicators',
  'cpu': 'capacity utilisation',
  platinum: 'platinum',
  nickel: 'nickel',
  potato: 'potatoes',
  tea: 'tea',
  oat: 'oats',
  groundnut: 'groundnuts',
  'sun-oil': 'sunflower oil',
  'coconut-oil': 'coconut oil',
  propane: 'propane',
  jet: 'jet fuel',
  naphtha: 'naphtha',
};

const PLACE_NAMES: Readonly<Record<string, string>> = {
  usa: 'united states',
  uk: 'britain',
  ussr: 'soviet union',
  uae: 'united arab emirates',
};

/** Query words for a place code: "west-germany" → "west germany". */
export function placeQuery(code: string): string {
  return PLACE_NAMES[code] ?? code.replace(/-/g, ' ');
}

/**
 * The `typed` set's candidates (eval/ranking/queries.ts): what a newsroom types for a topic, with the
 * TOPICS codes whose articles are relevant. Every single-word category name above, "oil" for the oil
 * categories, and every two-word category name; queries.ts keeps those whose last word is a common
 * prefix of longer words.
 */
export const TYPED_TOPICS: Readonly<Record<string, readonly string[]>> = (() => {
  const out: Record<string, string[]> = {};
  for (const [code, q] of Object.entries(CATEGORY_QUERIES)) {
    const n = q.split(' ').length;
    if (n <= 2) out[q] = [...(out[q] ?? []), code];
  }
  out['oil'] = ['crude', 'veg-oil', 'palm-oil', 'soy-oil', 'sun-oil', 'coconut-oil', 'fuel', 'heat'];
  return out;
})();
