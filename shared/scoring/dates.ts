/**
 * Calendar helpers on plain ISO strings. Months are handled as integers (year * 12 + month - 1)
 * so that "same month last year" and trailing-twelve-month windows are simple subtraction.
 */

export function monthIndexOfDate(date: string): number {
  return Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
}

/** Accepts 'YYYY-MM' or 'YYYY-MM-DD'. */
export const monthIndexOf = monthIndexOfDate;

export function monthLabel(index: number): string {
  const y = Math.floor(index / 12);
  const m = index - y * 12 + 1;
  return `${y}-${m < 10 ? '0' : ''}${m}`;
}

export function firstDayOfMonth(index: number): string {
  return `${monthLabel(index)}-01`;
}

export function lastDayOfMonth(index: number): string {
  const y = Math.floor(index / 12);
  const m = index - y * 12;
  const d = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return `${monthLabel(index)}-${String(d).padStart(2, '0')}`;
}

export function addDays(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** Same day n years later; 29 Feb becomes 28 Feb in a non-leap year. */
export function addYears(date: string, years: number): string {
  const y = Number(date.slice(0, 4)) + years;
  const md = date.slice(5);
  if (md === '02-29') {
    const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
    return `${y}-02-${leap ? '29' : '28'}`;
  }
  return `${y}-${md}`;
}

export function addMonthsToDate(date: string, months: number): string {
  const idx = monthIndexOfDate(date) + months;
  const day = Number(date.slice(8, 10));
  const last = Number(lastDayOfMonth(idx).slice(8, 10));
  return `${monthLabel(idx)}-${String(Math.min(day, last)).padStart(2, '0')}`;
}

export function isIsoDate(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
}
