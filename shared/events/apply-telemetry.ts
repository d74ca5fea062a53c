import type { TelemetryDoc } from '../state/documents';
import { isNewer, telemetryRowKey } from '../state/documents';
import type { EventOf } from './schemas';
import { outcome, type EventOutcome } from './outcome';
import { chronological } from './event-time';

// The telemetry reducer: monthly usage reports, each replacing its row of the month's document (see apply.ts).

export type TelemetryEvent = EventOf<'telemetry.monthly'>;

export function applyTelemetryEvents(doc: TelemetryDoc, events: readonly TelemetryEvent[]): EventOutcome[] {
  return chronological(events).map((e) => {
    const { month, ...figures } = e.data;
    const row = { ...figures, month, offer: figures.offer ?? 'standard' };
    const key = telemetryRowKey(row);
    const existing = doc.rows[key];
    if (existing?.lastEventId === e.id) return outcome(e, 'unchanged', 'already applied');
    if (!isNewer(existing, e.occurredAt, e.id)) return outcome(e, 'older', `telemetry ${month} ${key} already holds a newer report (${existing!.lastEventId})`);
    // A report replaces the row as a whole: the sender states the month's figures, not increments.
    doc.rows[key] = { ...row, updatedAt: e.occurredAt, lastEventId: e.id };
    return outcome(e, 'applied');
  });
}


