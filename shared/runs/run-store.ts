import type { PatchOperation } from '@azure/cosmos';
import { createOnce, patchDocument, queryPage, readDocument, upsertDocument } from '../store/documents';
import { isPreconditionFailed } from '../store/errors';

/**
 * Run records of the scheduled jobs (nightly recompute, certification sync), in the `runs` container (pk /id).
 *
 * A run is keyed by its kind and date, so a timer that fires twice on one day makes one run. Progress is kept
 * with patch increments (no read-modify-write contention between workers); a per-partner marker in the
 * partner's own partition makes a redelivered message count once. The marker is one document per partner and
 * kind, overwritten by each run, so bookkeeping does not grow with the number of runs.
 */

export const RUN_KINDS = ['recompute', 'cert-sync'] as const;
export type RunKind = (typeof RUN_KINDS)[number];
export type RunOutcome = 'done' | 'failed' | 'stale';
export const RUN_SCHEMA_VERSION = 1;
/** Failures kept on the run document with their reasons; the dead-letter store has every one of them. */
export const MAX_RUN_FAILURES = 50;

export interface RunFailure {
  partnerId: string;
  reason: string;
  at: string;
}

/** A restart that found the run's queued work gone (a host killed mid-run), and what was sent again. */
export interface RunInterruption {
  at: string;
  detail: string;
  /** Messages sent again to finish the run; 0 when nothing could be. */
  requeued: number;
}

export interface RunDoc {
  id: string;
  type: 'run';
  schemaVersion: typeof RUN_SCHEMA_VERSION;
  kind: RunKind;
  date: string;
  status: 'running' | 'finished';
  /** Unknown until the fan-out has listed every partner. */
  total?: number;
  done: number;
  failed: number;
  stale: number;
  startedAt: string;
  finishedAt?: string;
  /** What started it (timer, past-due timer, http, seed...). */
  trigger?: string;
  failures: RunFailure[];
  interruptions?: RunInterruption[];
  _etag?: string;
}

/** A run as the API shows it: the record without Cosmos DB's system fields (_etag, _rid, _self, _ts) or storage bookkeeping (type, schemaVersion). */
export type RunView = Omit<RunDoc, 'type' | 'schemaVersion' | '_etag'>;

export function runView(run: RunDoc): RunView {
  const { id, kind, date, status, total, done, failed, stale, startedAt, finishedAt, trigger, failures, interruptions } = run;
  const view: RunView = { id, kind, date, status, done, failed, stale, startedAt, failures };
  if (total !== undefined) view.total = total;
  if (finishedAt !== undefined) view.finishedAt = finishedAt;
  if (trigger !== undefined) view.trigger = trigger;
  if (interruptions !== undefined) view.interruptions = interruptions;
  return view;
}

interface LatestRunPointer {
  id: string;
  type: 'run-pointer';
  kind: RunKind;
  runId: string;
}

interface RunMarker {
  id: string;
  partnerId: string;
  type: 'run-marker';
  kind: string;
  runId: string;
  outcome: RunOutcome;
  reason?: string;
  at: string;
}

export const runIdOf = (kind: RunKind, date: string) => `${kind}-${date}`;
const pointerId = (kind: RunKind) => `latest-${kind}`;
const markerId = (kind: string) => `run-marker:${kind}`;

function kindOfRunId(runId: string): string {
  const k = RUN_KINDS.find((kind) => runId.startsWith(`${kind}-`));
  return k ?? runId.replace(/-\d{4}-\d{2}-\d{2}$/, '');
}

/** Starts the run of `kind` on `date`, or returns the one that already exists (created: false). */
export async function startRun(kind: RunKind, date: string, opts: { trigger?: string; now?: Date } = {}): Promise<{ run: RunDoc; created: boolean }> {
  const id = runIdOf(kind, date);
  const doc: RunDoc = {
    id,
    type: 'run',
    schemaVersion: RUN_SCHEMA_VERSION,
    kind,
    date,
    status: 'running',
    done: 0,
    failed: 0,
    stale: 0,
    startedAt: (opts.now ?? new Date()).toISOString(),
    ...(opts.trigger ? { trigger: opts.trigger } : {}),
    failures: [],
  };
  const created = await createOnce('runs', doc);
  if (created === 'exists') {
    const existing = await getRun(id);
    if (!existing) throw new Error(`Run ${id} was reported as existing but cannot be read.`);
    return { run: existing, created: false };
  }
  const pointer: LatestRunPointer = { id: pointerId(kind), type: 'run-pointer', kind, runId: id };
  await upsertDocument('runs', pointer);
  return { run: created, created: true };
}

export async function getRun(id: string): Promise<RunDoc | undefined> {
  const run = await readDocument<RunDoc>('runs', id, id);
  return run?.type === 'run' ? run : undefined;
}

export async function latestRun(kind: RunKind): Promise<RunDoc | undefined> {
  const pointer = await readDocument<LatestRunPointer>('runs', pointerId(kind), pointerId(kind));
  return pointer ? getRun(pointer.runId) : undefined;
}

async function patchRun(runId: string, operations: PatchOperation[], condition?: string): Promise<RunDoc | undefined> {
  try {
    return await patchDocument<RunDoc>('runs', runId, runId, condition ? { condition, operations } : operations);
  } catch (e) {
    if (isPreconditionFailed(e)) return undefined;
    throw e;
  }
}

/** The partners' markers of this run by outcome: what the counters say when no worker died between count and mark. */
async function markedOutcomes(runId: string): Promise<Record<RunOutcome, number>> {
  const out: Record<RunOutcome, number> = { done: 0, failed: 0, stale: 0 };
  let continuationToken: string | undefined;
  do {
    const page = await queryPage<{ outcome: RunOutcome }>(
      'partners',
      { query: "SELECT c.outcome FROM c WHERE c.type = 'run-marker' AND c.runId = @runId", parameters: [{ name: '@runId', value: runId }] },
      { maxItemCount: 1000, continuationToken },
    );
    for (const m of page.items) out[m.outcome] += 1;
    continuationToken = page.continuationToken;
  } while (continuationToken);
  return out;
}

/**
 * The marker count of a run in progress in this process, and when it started: a count that started after a caller's
 * own marker was written sees that marker, so the caller can take its answer instead of counting again.
 */
const counting = new Map<string, { startedAt: number; result: Promise<Record<RunOutcome, number>> }>();

/**
 * Counts the run's markers once for every caller that arrived before the count started. At the end of a run the
 * last dozen workers finish within moments of each other; each counting on its own is a dozen cross-partition
 * queries at once, which the emulator answers by scanning every document (one such count took 38 s at 1,000
 * partners in the recompute benchmark; Cosmos DB reads its index). A caller that finds a count started before it arrived waits for that one, then
 * takes the next, so its own marker is always counted.
 */
async function countMarkers(runId: string, arrivedAt: number): Promise<Record<RunOutcome, number>> {
  for (;;) {
    const current = counting.get(runId);
    if (current && current.startedAt > arrivedAt) return current.result;
    if (!current) {
      const entry = { startedAt: performance.now(), result: markedOutcomes(runId) };
      counting.set(runId, entry);
      entry.result.finally(() => counting.get(runId) === entry && counting.delete(runId)).catch(() => undefined);
      return entry.result;
    }
    await current.result.catch(() => undefined);
  }
}

/** Marks the run finished once every partner is accounted for; the condition makes exactly one caller do it. */
async function finishIfComplete(run: RunDoc | undefined, now: Date): Promise<RunDoc | undefined> {
  if (!run || run.status !== 'running' || run.total === undefined) return run;
  if (run.done + run.failed + run.stale < run.total) return run;
  // The counters reach the total; the markers say whether every partner is done. A worker killed between its count
  // and its mark (or two deliveries of one partner at once) counts a partner twice, so the counters can reach the
  // total early; the run finishes only when the markers do, with the counters set to them. One query per check,
  // once the counters are at the total: at the end of a run, shared by the callers of this process (countMarkers).
  const marked = await countMarkers(run.id, performance.now());
  if (marked.done + marked.failed + marked.stale < run.total) return run;
  const finished = await patchRun(run.id, [
    { op: 'set', path: '/done', value: marked.done },
    { op: 'set', path: '/failed', value: marked.failed },
    { op: 'set', path: '/stale', value: marked.stale },
    { op: 'set', path: '/status', value: 'finished' },
    { op: 'set', path: '/finishedAt', value: now.toISOString() },
  ], "FROM c WHERE c.status = 'running'");
  return finished ?? (await getRun(run.id));
}

/** Notes on the run that it was interrupted (shown by GET /api/runs), keeping earlier notes. */
export async function recordRunInterruption(runId: string, note: RunInterruption): Promise<RunDoc | undefined> {
  const run = await getRun(runId);
  if (!run) return undefined;
  return patchRun(runId, [{ op: 'set', path: '/interruptions', value: [...(run.interruptions ?? []), note] }]);
}

/** The run of the same kind in which the partner was last counted (null if never). */
export async function readCountedRunId(runId: string, partnerId: string): Promise<string | null> {
  const mid = markerId(kindOfRunId(runId));
  return (await readDocument<RunMarker>('partners', partnerId, mid))?.runId ?? null;
}

/** Records how many partners the run covers; a run of zero partners finishes at once. */
export async function setRunTotal(runId: string, total: number, opts: { now?: Date } = {}): Promise<RunDoc | undefined> {
  const run = await patchRun(runId, [{ op: 'set', path: '/total', value: total }]);
  return finishIfComplete(run, opts.now ?? new Date());
}

/**
 * Counts one partner's outcome in a run, once: a redelivered message for a partner already counted in this run
 * changes nothing. Returns the run as it stands afterwards (undefined when the run does not exist).
 */
export async function recordRunResult(
  runId: string,
  partnerId: string,
  outcome: RunOutcome,
  reason?: string,
  opts: { now?: Date; /** From readCountedRunId, read earlier alongside other work. */ countedRunId?: string | null } = {},
): Promise<{ run: RunDoc | undefined; counted: boolean }> {
  const now = opts.now ?? new Date();
  const kind = kindOfRunId(runId);
  const mid = markerId(kind);
  const counted = opts.countedRunId !== undefined ? opts.countedRunId : await readCountedRunId(runId, partnerId);
  if (counted === runId) return { run: await getRun(runId), counted: false };
  const field = outcome === 'done' ? '/done' : outcome === 'failed' ? '/failed' : '/stale';
  // Count first, then mark: a crash in between counts the partner twice rather than leaving the run unfinished.
  let run = await patchRun(runId, [{ op: 'incr', path: field, value: 1 }]);
  if (!run) return { run: undefined, counted: false };
  if (outcome === 'failed' && run.failures.length < MAX_RUN_FAILURES) {
    run = (await patchRun(runId, [{ op: 'add', path: '/failures/-', value: { partnerId, reason: reason ?? 'unknown', at: now.toISOString() } satisfies RunFailure }])) ?? run;
  }
  const marker: RunMarker = { id: mid, partnerId, type: 'run-marker', kind, runId, outcome, ...(reason ? { reason } : {}), at: now.toISOString() };
  await upsertDocument('partners', marker);
  // Read again: the counters as they stand now that this partner is marked, not as this worker's count left them.
  return { run: await finishIfComplete(await getRun(runId), now), counted: true };
}
