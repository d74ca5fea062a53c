/** Numbers and dates in the browser's locale; the API's own values (ids, dates) stay as they are in data attributes. */
const locale = typeof navigator !== 'undefined' ? navigator.language : 'en-US';
const points = new Intl.NumberFormat(locale, { maximumFractionDigits: 1, minimumFractionDigits: 0 });
const integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
const day = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
const moment = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });

/** Points with at most one decimal (the API keeps more). */
export const fmtPoints = (n: number): string => points.format(Math.round(n * 10) / 10);
export const fmtInt = (n: number): string => integer.format(n);
/** A calendar date (YYYY-MM-DD, UTC) as the locale writes it. */
export const fmtDate = (iso: string): string => {
  const d = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? iso : day.format(d);
};
export const fmtMoment = (iso: string): string => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : moment.format(d);
};
