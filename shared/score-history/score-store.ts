import { partnersContainer } from '../state/state-store';
import type { RequestCharges } from '../store/request-charges';
import { withThrottleRetry } from '../lib/retry';
import { SCORE_DOC_IDS, type AlertsDoc, type HistoryDoc, type ScoreDayDoc, type ScoreStatusDoc } from './documents';

const statusCode = (e: unknown): number | undefined => {
  const err = e as { code?: unknown; statusCode?: unknown };
  return typeof err.code === 'number' ? err.code : typeof err.statusCode === 'number' ? err.statusCode : undefined;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Point read of one of a partner's documents; undefined when it does not exist. */
export async function readDoc<T extends object>(partnerId: string, id: string, charges?: RequestCharges): Promise<T | undefined> {
  const res = await withThrottleRetry(() => partnersContainer().item(id, partnerId).read<T>());
  charges?.add('read', res.requestCharge);
  return res.statusCode === 404 ? undefined : (res.resource as T | undefined);
}

export async function upsertDoc<T extends { id: string; partnerId: string }>(doc: T, charges?: RequestCharges): Promise<void> {
  const res = await withThrottleRetry(() => partnersContainer().items.upsert(doc));
  charges?.add('write', res.requestCharge);
}

/**
 * Read-modify-write guarded by the etag. `current` (when the caller already read it) saves the first read.
 * `mutate` returns false when nothing changes; it may run more than once, so it must be idempotent.
 */
export async function updateDoc<T extends { id: string; partnerId: string; _etag?: string }>(
  partnerId: string,
  id: string,
  init: () => T,
  mutate: (doc: T) => boolean,
  opts: { charges?: RequestCharges; current?: T | null } = {},
): Promise<{ doc: T; changed: boolean }> {
  const container = partnersContainer();
  let preread: T | null | undefined = opts.current;
  for (let attempt = 1; ; attempt++) {
    const current = preread !== undefined ? preread ?? undefined : await readDoc<T>(partnerId, id, opts.charges);
    preread = undefined;
    const doc: T = current ? structuredClone(current) : init();
    if (!mutate(doc)) return { doc: current ?? doc, changed: false };
    try {
      const res = current?._etag
        ? await withThrottleRetry(() => container.item(id, partnerId).replace(doc, { accessCondition: { type: 'IfMatch', condition: current._etag! } }))
        : await withThrottleRetry(() => container.items.create(doc));
      opts.charges?.add('write', res.requestCharge);
      return { doc: res.resource as unknown as T, changed: true };
    } catch (e) {
      const s = statusCode(e);
      if ((s === 412 || s === 409) && attempt < 20) {
        await sleep(Math.min(200, 5 * 2 ** Math.min(attempt, 5)) * (0.5 + Math.random()));
        continue;
      }
      throw e;
    }
  }
}

export const readScoreStatus = (partnerId: string, charges?: RequestCharges) => readDoc<ScoreStatusDoc>(partnerId, SCORE_DOC_IDS.status, charges);
export const readScoreDay = (partnerId: string, date: string, charges?: RequestCharges) => readDoc<ScoreDayDoc>(partnerId, SCORE_DOC_IDS.day(date), charges);
export const readHistory = (partnerId: string, month: string, charges?: RequestCharges) => readDoc<HistoryDoc>(partnerId, SCORE_DOC_IDS.history(month), charges);
export const readAlerts = (partnerId: string, charges?: RequestCharges) => readDoc<AlertsDoc>(partnerId, SCORE_DOC_IDS.alerts, charges);
