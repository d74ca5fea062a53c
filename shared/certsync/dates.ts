/** Calendar-date helpers (YYYY-MM-DD, UTC). */

export const isoDateOf = (d: Date): string => d.toISOString().slice(0, 10);

export function addDaysIso(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return isoDateOf(d);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * A date as sources send it: `2024-05-01`, or an ISO timestamp (`2024-05-01T10:00:00Z`, `...+02:00`), read as
 * the UTC calendar day. Undefined when it is not a real date.
 */
export function toIsoDate(value: string): string | undefined {
  const v = value.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && isoDateOf(d) === v ? v : undefined;
  }
  if (/^\d{4}-\d{2}-\d{2}T/.test(v)) {
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : isoDateOf(new Date(t));
  }
  return undefined;
}
