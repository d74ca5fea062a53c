import { readDocument, updateDocument, upsertDocument } from '../store/documents';
import type { RequestCharges } from '../store/request-charges';
import { SCORE_DOC_IDS, type AlertsDoc, type HistoryDoc, type ScoreDayDoc, type ScoreStatusDoc } from './documents';

/** Point read of one of a partner's documents; undefined when it does not exist. */
export function readDoc<T extends object>(partnerId: string, id: string, charges?: RequestCharges): Promise<T | undefined> {
  return readDocument<T>('partners', partnerId, id, charges);
}

export async function upsertDoc<T extends { id: string; partnerId: string }>(doc: T, charges?: RequestCharges): Promise<void> {
  await upsertDocument('partners', doc, charges);
}

/**
 * Read-modify-write guarded by the etag. `current` (when the caller already read it) saves the first read.
 * `mutate` returns false when nothing changes; it may run more than once, so it must be idempotent.
 */
export function updateDoc<T extends { id: string; partnerId: string; _etag?: string }>(
  partnerId: string,
  id: string,
  init: () => T,
  mutate: (doc: T) => boolean,
  opts: { charges?: RequestCharges; current?: T | null } = {},
): Promise<{ doc: T; changed: boolean }> {
  return updateDocument<T>('partners', partnerId, id, init, mutate, opts);
}

export const readScoreStatus = (partnerId: string, charges?: RequestCharges) => readDoc<ScoreStatusDoc>(partnerId, SCORE_DOC_IDS.status, charges);
export const readScoreDay = (partnerId: string, date: string, charges?: RequestCharges) => readDoc<ScoreDayDoc>(partnerId, SCORE_DOC_IDS.day(date), charges);
export const readHistory = (partnerId: string, month: string, charges?: RequestCharges) => readDoc<HistoryDoc>(partnerId, SCORE_DOC_IDS.history(month), charges);
export const readAlerts = (partnerId: string, charges?: RequestCharges) => readDoc<AlertsDoc>(partnerId, SCORE_DOC_IDS.alerts, charges);
