/**
 * Display formatting and date arithmetic. All dates are calendar dates (`YYYY-MM-DD`, `YYYY-MM`),
 * handled in UTC so a reader's time zone can never shift an article to the previous day.
 */

export interface Formatter {
  day(iso: string): string;
  month(ym: string): string;
  count(n: number): string;
}

export function formatter(locale: string | undefined): Formatter {
  const safe = (opts: Intl.DateTimeFormatOptions) => {
    try {
      return new Intl.DateTimeFormat(locale, { ...opts, timeZone: 'UTC' });
    } catch {
      return new Intl.DateTimeFormat(undefined, { ...opts, timeZone: 'UTC' });
    }
  };
  const dayFmt = safe({ year: 'numeric', month: 'short', day: 'numeric' });
  const monthFmt = safe({ year: 'numeric', month: 'short' });
  const numFmt = new Intl.NumberFormat(locale && Intl.NumberFormat.supportedLocalesOf(locale).length ? locale : undefined);
  const utc = (s: string) => new Date(s.length === 7 ? `${s}-01T00:00:00Z` : `${s}T00:00:00Z`);
  const show = (f: Intl.DateTimeFormat, s: string) => {
    const d = utc(s);
    return Number.isNaN(d.getTime()) ? s : f.format(d);
  };
  return {
    day: (iso) => show(dayFmt, iso),
    month: (ym) => show(monthFmt, ym),
    count: (n) => numFmt.format(n),
  };
}

/** Last day of a `YYYY-MM` month as `YYYY-MM-DD`. */
export function monthEnd(ym: string): string {
  const [y, m] = ym.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${ym}-${String(last).padStart(2, '0')}`;
}

export interface DateBucket {
  label: string;
  from: string;
  to: string;
  count: number;
}

/** Most bars a histogram shows before it switches from months to years. */
const MAX_MONTH_BARS = 48;

/**
 * Buckets for the date histogram: one per month from the first to the last month with results,
 * gaps included (so the shape is honest), or one per year when that would be too many bars.
 */
export function dateBuckets(months: { value: string; count: number }[], fmt: Formatter): DateBucket[] {
  const valid = months.filter((m) => /^\d{4}-\d{2}$/.test(m.value));
  if (valid.length === 0) return [];
  const counts = new Map(valid.map((m) => [m.value, m.count]));
  const first = valid.reduce((a, b) => (b.value < a.value ? b : a)).value;
  const last = valid.reduce((a, b) => (b.value > a.value ? b : a)).value;
  const [y0, m0] = first.split('-').map(Number) as [number, number];
  const [y1, m1] = last.split('-').map(Number) as [number, number];
  const span = (y1 - y0) * 12 + (m1 - m0) + 1;
  const out: DateBucket[] = [];
  if (span <= MAX_MONTH_BARS) {
    for (let i = 0; i < span; i++) {
      const y = y0 + Math.floor((m0 - 1 + i) / 12);
      const ym = `${y}-${String(((m0 - 1 + i) % 12) + 1).padStart(2, '0')}`;
      out.push({ label: fmt.month(ym), from: `${ym}-01`, to: monthEnd(ym), count: counts.get(ym) ?? 0 });
    }
    return out;
  }
  for (let y = y0; y <= y1; y++) {
    let count = 0;
    for (const [ym, c] of counts) if (ym.startsWith(`${y}-`)) count += c;
    out.push({ label: String(y), from: `${y}-01-01`, to: `${y}-12-31`, count });
  }
  return out;
}
