import type { Retractions } from '../state/documents';

/** Why an event is refused when it was retracted from `doc`, if it was. */
export function retractedReason(doc: { retracted?: Retractions }, eventId: string): string | undefined {
  const t = doc.retracted?.[eventId];
  return t ? `event ${eventId} was retracted by ${t.by} (${t.at})${t.reason ? `: ${t.reason}` : ''}; a retracted event is never applied again` : undefined;
}
