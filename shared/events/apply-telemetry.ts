import type { TelemetryDoc } from '../state/documents';
import { isNewer, telemetryRowKey } from '../state/documents';
import type { EventOf } from './schemas';
import { outcome, type EventOutcome } from './outcome';
import { chronological } from './event-time';
import { retractedReason } from './tombstones';

/** Reports kept per row besides the one in effect (for retractions); the oldest beyond it are dropped. */
export const MAX_SUPERSEDED_REPORTS = 24;

// The telemetry reducer: monthly usage reports, each replacing its row of the month's document (see apply.ts).

export type TelemetryEvent = EventOf<'telemetry.monthly'>;

export function applyTelemetryEvents(doc: TelemetryDoc, events: readonly TelemetryEvent[]): EventOutcome[] {
  return chronological(events).map((e) => {
    const { month, ...figures } = e.data;
    const row = { ...figures, month, offer: figures.offer ?? 'standard' };
    const key = telemetryRowKey(row);
    const gone = retractedReason(doc, e.id);
    if (gone) return outcome(e, 'refused', gone);
    const existing = doc.rows[key];
    if (existing && (existing.lastEventId === e.id || existing.superseded?.some((r) => r.lastEventId === e.id))) return outcome(e, 'unchanged', 'already applied');
    const report = { ...row, updatedAt: e.occurredAt, lastEventId: e.id };
    if (existing && !isNewer(existing, e.occurredAt, e.id)) {
      existing.superseded = keepNewest([...(existing.superseded ?? []), report]);
      return outcome(e, 'older', `telemetry ${month} ${key} already holds a newer report (${existing.lastEventId}); kept as an earlier report`);
    }
    // A report replaces the row as a whole: the sender states the month's figures, not increments.
    const { superseded, ...previous } = existing ?? {};
    const earlier = existing ? keepNewest([...(superseded ?? []), previous as typeof report]) : [];
    doc.rows[key] = { ...report, ...(earlier.length ? { superseded: earlier } : {}) };
    return outcome(e, 'applied');
  });
}

function keepNewest<T extends { updatedAt: string; lastEventId: string }>(reports: T[]): T[] {
  const sorted = reports.sort((a, b) => Date.parse(a.updatedAt) - Date.parse(b.updatedAt) || (a.lastEventId < b.lastEventId ? -1 : a.lastEventId > b.lastEventId ? 1 : 0));
  return sorted.slice(-MAX_SUPERSEDED_REPORTS);
}
