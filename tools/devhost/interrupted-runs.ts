import type { QueueServiceClient } from '@azure/storage-queue';
import { QUEUES } from '../../shared/queues/names';
import { requeueUnfinishedRun } from '../../shared/recompute/run';
import { latestRun, recordRunInterruption, type RunDoc, type RunKind } from '../../shared/runs/run-store';

/** The queues that carry a run's work, by kind: while any holds a message (visible or not) the run can go on. */
const RUN_QUEUES: Record<RunKind, readonly string[]> = {
  recompute: [QUEUES.recomputeRun, QUEUES.recompute],
  'cert-sync': [QUEUES.certSyncRun, QUEUES.certSync],
};

async function queuedMessages(service: QueueServiceClient, queues: readonly string[]): Promise<number> {
  let n = 0;
  for (const q of queues) {
    try {
      n += (await service.getQueueClient(q).getProperties()).approximateMessagesCount ?? 0;
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode !== 404) throw e;
    }
  }
  return n;
}

/**
 * At start-up, before the queue triggers run: the latest run of each kind that is still `running` either has work
 * queued (it goes on from there), or lost it when the host was killed. A recompute run is then sent again (its start
 * message, or its uncounted partners); a certification sync run is noted as interrupted for the operator to start
 * again. Either way the run document says so (GET /api/runs) and the returned lines go into the start-up summary.
 */
export async function checkInterruptedRuns(service: QueueServiceClient, now = new Date()): Promise<string[]> {
  const lines: string[] = [];
  for (const kind of Object.keys(RUN_QUEUES) as RunKind[]) {
    const run = await latestRun(kind);
    if (!run || run.status !== 'running') continue;
    const queued = await queuedMessages(service, RUN_QUEUES[kind]);
    if (queued > 0) {
      lines.push(`Run ${run.id}: running, ${queued} messages queued; it continues from the queue.`);
      continue;
    }
    const { detail, requeued } = await resume(kind, run);
    await recordRunInterruption(run.id, { at: now.toISOString(), detail, requeued });
    lines.push(`Run ${run.id}: interrupted (none of its work was queued any more); ${detail}.`);
  }
  return lines;
}

/**
 * While the host runs: a run still `running` with none of its work queued, nothing invoked, and no progress over two
 * checks in a row has lost its work (Azurite restarted on data saved before its last messages, a queue cleared by
 * hand). It is resumed and its record says so, as at start-up, instead of staying `running` in silence.
 */
export function watchStalledRuns(service: QueueServiceClient, opts: { intervalMs: number; busy: () => boolean; log: (level: string, message: string) => void }): () => void {
  const seen = new Map<RunKind, string>();
  let checking = false;
  const check = async () => {
    for (const kind of Object.keys(RUN_QUEUES) as RunKind[]) {
      const run = await latestRun(kind);
      if (!run || run.status !== 'running' || opts.busy() || (await queuedMessages(service, RUN_QUEUES[kind])) > 0) {
        seen.delete(kind);
        continue;
      }
      const mark = `${run.id} ${run.done} ${run.failed} ${run.stale} ${run.total ?? ''} ${run.interruptions?.length ?? 0}`;
      if (seen.get(kind) !== mark) {
        seen.set(kind, mark);
        continue;
      }
      seen.delete(kind);
      const { detail, requeued } = await resume(kind, run);
      await recordRunInterruption(run.id, { at: new Date().toISOString(), detail: `its work was lost while it ran (nothing queued, no progress): ${detail}`, requeued });
      opts.log('warning', `Run ${run.id}: stalled with none of its work queued; ${detail}.`);
    }
  };
  const timer = setInterval(() => {
    if (checking) return;
    checking = true;
    check()
      .catch((e: unknown) => opts.log('warning', `Runs: could not check for stalled runs: ${(e as Error).message}`))
      .finally(() => (checking = false));
  }, opts.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

const progress = (run: RunDoc) => `${run.done + run.failed + run.stale} of ${run.total ?? 'unknown'} partners accounted for`;

async function resume(kind: RunKind, run: RunDoc): Promise<{ detail: string; requeued: number }> {
  if (kind !== 'recompute') return { detail: `${progress(run)}; not resumed: start it again with POST /api/runs/${kind}`, requeued: 0 };
  const r = await requeueUnfinishedRun(run);
  if (r.step === 'start') return { detail: 'it had not fanned out: its start message was sent again', requeued: r.requeued };
  if (r.requeued === 0) return { detail: `${progress(run)} and no partner left to recompute: it cannot finish`, requeued: 0 };
  return { detail: `${progress(run)}: sent again for the ${r.requeued} partners not counted yet`, requeued: r.requeued };
}
