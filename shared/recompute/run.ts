import { z } from 'zod';
import { getRun, readCountedRunId, setRunTotal, startRun, type RunDoc } from '../runs/run-store';
import { listPartnerIds } from '../state/state-store';
import { QUEUES } from '../queues/names';
import { sendMessages } from '../queues/send';
import { listDirectory } from './directory';
import type { RecomputeMessage } from './request';

/**
 * The nightly recompute's fan-out: the timer starts a run and sends one start message; the start message lists
 * every partner and sends pages of ids; each page becomes one recompute message per partner. Every step is
 * idempotent, so a timer firing twice, or any message delivered twice, still makes one run that finishes.
 */
export const PAGE_SIZE = 100;

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');

export const runMessageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('start'), runId: z.string().min(1), date: isoDay }),
  z.object({ kind: z.literal('page'), runId: z.string().min(1), date: isoDay, partnerIds: z.array(z.string().min(1)).min(1) }),
]);
export type RunMessage = z.infer<typeof runMessageSchema>;

export interface BeginResult {
  run: RunDoc;
  created: boolean;
  /** The start message to send, when the run has not listed its partners yet. */
  start?: RunMessage;
}

/** Starts (or finds) the run of `date`; only a run that has not fanned out yet gets a start message. */
export async function beginRecomputeRun(date: string, trigger: string, now?: Date): Promise<BeginResult> {
  const { run, created } = await startRun('recompute', date, { trigger, now });
  const start: RunMessage | undefined = run.total === undefined && run.status === 'running' ? { kind: 'start', runId: run.id, date } : undefined;
  return { run, created, ...(start ? { start } : {}) };
}

/** The partners of a run: the directory, or (when it is empty, e.g. a store filled before it existed) a listing query. */
export async function runPartnerIds(): Promise<string[]> {
  const registered = await listDirectory();
  return registered.length ? registered : listAllPartnerIds();
}

async function listAllPartnerIds(): Promise<string[]> {
  const ids: string[] = [];
  let continuationToken: string | undefined;
  do {
    const page = await listPartnerIds({ pageSize: 1000, continuationToken });
    ids.push(...page.ids);
    continuationToken = page.continuationToken;
  } while (continuationToken);
  return [...new Set(ids)];
}

function toPages(runId: string, date: string, ids: readonly string[], pageSize = PAGE_SIZE): RunMessage[] {
  const pages: RunMessage[] = [];
  for (let i = 0; i < ids.length; i += pageSize) pages.push({ kind: 'page', runId, date, partnerIds: ids.slice(i, i + pageSize) });
  return pages;
}

/**
 * Handles a start message: lists the partners, sends the page messages and then records the total. The pages
 * are sent here (not by an output binding, written only after the function returns) so that a set total means
 * the pages are in the queue: a redelivered start message after a failed send finds no total and sends again
 * (duplicate partner messages are absorbed by the run markers; a run without a total never finishes early).
 * A run that already has its total has fanned out: a redelivered or second start message sends nothing.
 */
export async function fanOutRun(message: Extract<RunMessage, { kind: 'start' }>): Promise<{ pages: RunMessage[]; total: number; skipped: boolean }> {
  const run = await getRun(message.runId);
  if (!run) throw new Error(`Run ${message.runId} does not exist.`);
  if (run.total !== undefined) return { pages: [], total: run.total, skipped: true };
  const ids = await runPartnerIds();
  const pages = toPages(run.id, message.date, ids);
  await sendMessages(QUEUES.recomputeRun, pages);
  await setRunTotal(run.id, ids.length);
  return { pages, total: ids.length, skipped: false };
}

export function partnerMessages(message: Extract<RunMessage, { kind: 'page' }>): RecomputeMessage[] {
  return message.partnerIds.map((partnerId) => ({ partnerId, reason: 'nightly', runId: message.runId, date: message.date }));
}

/** Partners whose run markers are read at once while looking for the ones a run has not counted. */
const MARKER_READS_AT_ONCE = 50;

/**
 * Sends again what a running run still needs, for when none of its messages is queued any more (its host was
 * killed and the queue lost them, or the run document was written but its start message never sent): the start
 * message if it has not fanned out, otherwise one message for each partner it has not counted yet. Duplicates of
 * anything still in flight are absorbed as usual (fan-out skips a run with a total; markers count a partner once).
 */
export async function requeueUnfinishedRun(run: RunDoc): Promise<{ step: 'start' | 'partners'; requeued: number }> {
  if (run.status !== 'running') return { step: 'partners', requeued: 0 };
  if (run.total === undefined) {
    await sendMessages(QUEUES.recomputeRun, [{ kind: 'start', runId: run.id, date: run.date } satisfies RunMessage]);
    return { step: 'start', requeued: 1 };
  }
  const ids = await runPartnerIds();
  const uncounted: string[] = [];
  for (let i = 0; i < ids.length; i += MARKER_READS_AT_ONCE) {
    const slice = ids.slice(i, i + MARKER_READS_AT_ONCE);
    const counted = await Promise.all(slice.map((id) => readCountedRunId(run.id, id)));
    slice.forEach((id, j) => counted[j] !== run.id && uncounted.push(id));
  }
  const messages: RecomputeMessage[] = uncounted.map((partnerId) => ({ partnerId, reason: 'nightly', runId: run.id, date: run.date }));
  if (messages.length) await sendMessages(QUEUES.recompute, messages);
  return { step: 'partners', requeued: messages.length };
}
