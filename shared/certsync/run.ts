import { z } from 'zod';
import { getRun, setRunTotal, startRun, type RunDoc } from '../runs/run-store';
import { listPartnerIds } from '../state/state-store';
import { partnersContainer } from '../state/state-store';
import { CERT_SYNC_DOC_ID } from './records';

/**
 * The certification sync's fan-out. The timer (or an on-demand request) only enqueues a start message; the
 * run worker creates the day's run record and walks the partner list a page at a time, each page enqueueing
 * one message per partner and the next page; the partner worker syncs one partner and records its outcome.
 * Every step is idempotent: a redelivered start finds the run, a redelivered page re-enqueues partners whose
 * second sync changes nothing and counts once.
 */

export const RUN_KIND = 'cert-sync' as const;
export const PAGE_SIZE = 100;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');

export const certSyncRunMessageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('start'), date: isoDate, trigger: z.string().max(100).optional() }),
  z.object({ kind: z.literal('page'), runId: z.string().min(1), continuationToken: z.string().optional(), listed: z.number().int().min(0) }),
]);
export type CertSyncRunMessage = z.infer<typeof certSyncRunMessageSchema>;

export const certSyncMessageSchema = z.object({
  partnerId: z.string().min(1),
  runId: z.string().min(1).optional(),
});
export type CertSyncMessage = z.infer<typeof certSyncMessageSchema>;

export interface RunStep {
  run?: RunDoc;
  /** For a start message: whether this call created the run (false: it existed). */
  created?: boolean;
  next: CertSyncRunMessage[];
  partners: CertSyncMessage[];
  note: string;
}

export async function handleRunMessage(msg: CertSyncRunMessage): Promise<RunStep> {
  if (msg.kind === 'start') {
    const { run, created } = await startRun(RUN_KIND, msg.date, { trigger: msg.trigger ?? 'timer' });
    if (!created && run.total !== undefined) return { run, created, next: [], partners: [], note: `run ${run.id} already listed its ${run.total} partners (${run.status}); nothing to do` };
    return { run, created, next: [{ kind: 'page', runId: run.id, listed: 0 }], partners: [], note: created ? `run ${run.id} started` : `run ${run.id} resumed from the first page` };
  }
  const page = await listPartnerIds({ pageSize: PAGE_SIZE, ...(msg.continuationToken ? { continuationToken: msg.continuationToken } : {}) });
  const partners = page.ids.map((partnerId) => ({ partnerId, runId: msg.runId }));
  const listed = msg.listed + page.ids.length;
  if (page.continuationToken) {
    return { next: [{ kind: 'page', runId: msg.runId, continuationToken: page.continuationToken, listed }], partners, note: `run ${msg.runId}: page of ${page.ids.length} partners (${listed} so far)` };
  }
  // The total goes on the run with the last page; partners already done are counted against it then.
  const run = await setRunTotal(msg.runId, listed);
  return { ...(run ? { run } : {}), next: [], partners, note: `run ${msg.runId}: last page, ${listed} partners in all` };
}

export interface StalePartner {
  partnerId: string;
  outcome: string;
  reason?: string;
  at: string;
}

/**
 * A run with the partners whose data it left stale or failed, with reasons. The run record keeps counts; the
 * reasons live in each partner's sync record, found here with one query (on demand, not on the sync path).
 */
export async function runWithProblems(runId: string): Promise<{ run: RunDoc; problems: StalePartner[] } | undefined> {
  const run = await getRun(runId);
  if (!run || run.kind !== RUN_KIND) return undefined;
  const { resources } = await partnersContainer()
    .items.query<StalePartner>({
      query: "SELECT c.partnerId, c.last.outcome AS outcome, c.last.reason AS reason, c.last.at AS at FROM c WHERE c.id = @id AND c.last.runId = @run AND c.last.outcome != 'done'",
      parameters: [
        { name: '@id', value: CERT_SYNC_DOC_ID },
        { name: '@run', value: runId },
      ],
    })
    .fetchAll();
  return { run, problems: resources };
}
