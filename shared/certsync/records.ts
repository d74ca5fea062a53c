import { readDocument, upsertDocument } from '../store/documents';
import type { PersonSyncResult } from './apply';
import type { WarningsReport } from './warnings';

/**
 * The certification sync's record of one partner: what the last sync changed per person, the problems it met,
 * and the expiry warnings it produced; plus a short history. One document per partner (id `cert-sync`) in the
 * partner's partition, read by id.
 */

export const CERT_SYNC_DOC_ID = 'cert-sync';
const HISTORY = 30;

export type PartnerOutcome = 'done' | 'stale' | 'failed';

export interface PartnerSyncRecord {
  at: string;
  date: string;
  runId?: string;
  outcome: PartnerOutcome;
  /** Why the partner's data is stale (each person or source that could not be read). */
  reason?: string;
  skillingChanged: boolean;
  recomputeRequested: boolean;
  counts: { added: number; renewed: number; expired: number; removed: number; professionals: number; stale: number; notFound: number; errors: number };
  persons: PersonSyncResult[];
  /** Problems not tied to one person: bad import rows (with line numbers), a missing import file. */
  problems: string[];
  /** Source requests made, retries included. */
  requests: number;
  warnings: WarningsReport;
}

export interface CertSyncDoc {
  id: typeof CERT_SYNC_DOC_ID;
  partnerId: string;
  type: 'cert-sync';
  schemaVersion: 1;
  last: PartnerSyncRecord;
  history: (Pick<PartnerSyncRecord, 'at' | 'runId' | 'outcome' | 'reason'> & { counts: PartnerSyncRecord['counts'] })[];
}

export async function readSyncRecord(partnerId: string): Promise<CertSyncDoc | undefined> {
  return readDocument<CertSyncDoc>('partners', partnerId, CERT_SYNC_DOC_ID);
}

/** Last writer wins: two syncs of one partner at once are the same work, and either result is true. */
export async function writeSyncRecord(partnerId: string, record: PartnerSyncRecord, previous: CertSyncDoc | undefined): Promise<void> {
  const entry = { at: record.at, ...(record.runId ? { runId: record.runId } : {}), outcome: record.outcome, ...(record.reason ? { reason: record.reason } : {}), counts: record.counts };
  const doc: CertSyncDoc = {
    id: CERT_SYNC_DOC_ID,
    partnerId,
    type: 'cert-sync',
    schemaVersion: 1,
    last: record,
    history: [entry, ...(previous?.history ?? [])].slice(0, HISTORY),
  };
  await upsertDocument('partners', doc);
}
