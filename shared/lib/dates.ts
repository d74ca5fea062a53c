/**
 * Calendar arithmetic on ISO date strings (YYYY-MM-DD, UTC): the one dates module of the project.
 *
 * Months are also handled as integers (year * 12 + month - 1), so that "same month last year" and
 * trailing-twelve-month windows are plain subtraction.
 */

const DAY_MS = 86_400_000;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export const isoDateOf = (d: Date): string => d.toISOString().slice(0, 10);

export const todayUtc = (now: Date = new Date()): string => isoDateOf(now);

/** A real calendar day written YYYY-MM-DD (not 2024-02-30). */
export function isCalendarDate(s: string): boolean {
  if (!DATE_RE.test(s)) return false;
  const t = Date.parse(`${s}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().startsWith(s);
}

/**
 * A date as sources send it: `2024-05-01`, or an ISO timestamp (`2024-05-01T10:00:00Z`, `...+02:00`), read as
 * the UTC calendar day. Undefined when it is not a real date.
 */
export function toIsoDate(value: string): string | undefined {
  const v = value.trim();
  if (DATE_RE.test(v)) return isCalendarDate(v) ? v : undefined;
  if (/^\d{4}-\d{2}-\d{2}T/.test(v)) {
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : isoDateOf(new Date(t));
  }
  return undefined;
}

export function addDays(date: string, days: number): string {
  return isoDateOf(new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS));
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** Same day n years later; 29 February becomes 28 February in a year that has none. */
export function addYears(date: string, years: number): string {
  const y = Number(date.slice(0, 4)) + years;
  const md = date.slice(5);
  if (md === '02-29') {
    const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
    return `${y}-02-${leap ? '29' : '28'}`;
  }
  return `${y}-${md}`;
}

/** Same day n months later, or the month's last day when it is shorter (31 Jan + 1 month = 28 or 29 Feb). */
export function addMonths(date: string, months: number): string {
  const idx = monthIndex(date) + months;
  const day = Number(date.slice(8, 10));
  const last = Number(lastDayOfMonth(idx).slice(8, 10));
  return `${monthLabel(idx)}-${String(Math.min(day, last)).padStart(2, '0')}`;
}

export const monthOf = (date: string): string => date.slice(0, 7);

/** Accepts 'YYYY-MM' or 'YYYY-MM-DD'. */
export function monthIndex(dateOrMonth: string): number {
  return Number(dateOrMonth.slice(0, 4)) * 12 + Number(dateOrMonth.slice(5, 7)) - 1;
}

export function monthLabel(index: number): string {
  const y = Math.floor(index / 12);
  const m = index - y * 12 + 1;
  return `${y}-${m < 10 ? '0' : ''}${m}`;
}

export const firstDayOfMonth = (index: number): string => `${monthLabel(index)}-01`;

export function lastDayOfMonth(index: number): string {
  const y = Math.floor(index / 12);
  const m = index - y * 12;
  return `${monthLabel(index)}-${String(new Date(Date.UTC(y, m + 1, 0)).getUTCDate()).padStart(2, '0')}`;
}

/** Every month label from the month of `from` to the month of `to`, inclusive. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let i = monthIndex(from); i <= monthIndex(to); i++) out.push(monthLabel(i));
  return out;
}
