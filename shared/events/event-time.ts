/** The time order the reducers apply events and replay histories in, so that arrival order never matters. */

/** UTC calendar date of an ISO date-time (occurredAt may carry any offset). */
export const utcDate = (iso: string): string => new Date(iso).toISOString().slice(0, 10);

/** Events of a delivery are applied oldest first (ties by id), the order they happened in. */
export function chronological<T extends { occurredAt: string; id: string }>(events: readonly T[]): T[] {
  return [...events].sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Order of recorded history entries: by time, ties by event id. */
export const byTime = (a: { at: string; eventId: string }, b: { at: string; eventId: string }) => Date.parse(a.at) - Date.parse(b.at) || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);
