import { getSettings, type Settings } from '../config/settings';
import { markStateChanged } from '../recompute/request';
import { eligibleUntilOf, expiryOf } from '../scoring';
import { DOC_IDS, type ProfessionalsDoc } from '../state/documents';
import { initProfessionals, loadPartnerSnapshot, readStateDoc, updateStateDoc } from '../state/state-store';
import { applySync, type ApplyResult } from './apply';
import { certificationDefs } from './catalog';
import { addDays, isoDateOf } from '../lib/dates';
import { readSyncRecord, writeSyncRecord, type PartnerOutcome, type PartnerSyncRecord } from './records';
import { ImportFileSource } from './sources/import';
import { LearnTranscriptSource } from './sources/learn';
import type { CertSource, SourceContext, SourceReport } from './sources/types';
import { computeExpiryWarnings, DEFAULT_WARNING_DAYS, type WarningsReport } from './warnings';

/**
 * Syncs one partner: reads every source the partner uses, merges the reports into the professionals document
 * (etag-guarded, so a webhook changing the same document at the same time is never overwritten), asks for a
 * recompute when skilling data changed, and records the changes and expiry warnings.
 */

export interface SyncOptions {
  runId?: string;
  now?: Date;
  sources?: CertSource[];
  settings?: Settings;
}

export interface PartnerSyncResult {
  partnerId: string;
  outcome: PartnerOutcome;
  reason?: string;
  record?: PartnerSyncRecord;
}

export function defaultSources(settings: Settings): CertSource[] {
  return [new LearnTranscriptSource(settings), new ImportFileSource(settings)];
}

/** True when some certification of a linked person ends within the horizon (only then is scoring worth it). */
function anyEndingSoon(doc: ProfessionalsDoc, today: string, horizonDays: number): boolean {
  const horizon = addDays(today, horizonDays);
  for (const p of Object.values(doc.items)) {
    if (!p.linked) continue;
    for (const c of Object.values(p.certifications)) {
      if (c.removed) continue;
      const def = certificationDefs().get(c.certificationId);
      const ends = [expiryOf(c, def), def ? eligibleUntilOf(def) : undefined].filter((d): d is string => !!d);
      if (ends.some((d) => d >= today && d <= horizon)) return true;
    }
  }
  return false;
}

function summarise(reason: string[], max = 5): string {
  return reason.length <= max ? reason.join('; ') : `${reason.slice(0, max).join('; ')}; and ${reason.length - max} more`;
}

export async function syncPartner(partnerId: string, opts: SyncOptions = {}): Promise<PartnerSyncResult> {
  const settings = opts.settings ?? getSettings();
  const now = opts.now ?? new Date();
  const nowIso = now.toISOString();
  const today = isoDateOf(now);
  const current = await readStateDoc<ProfessionalsDoc>(partnerId, DOC_IDS.professionals);
  if (!current) return { partnerId, outcome: 'done', reason: 'no professionals to sync' };

  const ctx: SourceContext = { partnerId, professionals: Object.values(current.items), config: current.certSources ?? {} };
  const sources = (opts.sources ?? defaultSources(settings)).filter((s) => s.appliesTo(ctx));
  const reports: SourceReport[] = await Promise.all(sources.map((s) => s.collect(ctx)));

  let applied: ApplyResult = { persons: [], skillingChanged: false };
  const { doc } = await updateStateDoc<ProfessionalsDoc>(partnerId, DOC_IDS.professionals, initProfessionals(partnerId), (d) => {
    applied = applySync(d, reports, today, nowIso);
    return applied.persons.length > 0;
  });

  let recomputeRequested = false;
  if (applied.skillingChanged) {
    await markStateChanged(partnerId, { reason: 'cert-sync', now });
    recomputeRequested = true;
  }

  let warnings: WarningsReport = { date: today, horizonDays: DEFAULT_WARNING_DAYS, warnings: [], byArea: [] };
  if (anyEndingSoon(doc, today, DEFAULT_WARNING_DAYS)) {
    const snapshot = await loadPartnerSnapshot(partnerId);
    if (snapshot) warnings = computeExpiryWarnings(snapshot, today);
  }

  const staleReasons: string[] = [];
  for (const r of reports) if (r.unavailable) staleReasons.push(`${r.source}: ${r.unavailable}`);
  for (const p of applied.persons) if (p.status !== 'ok' && p.status !== 'skipped') staleReasons.push(`${p.professionalId}: ${p.reason}`);
  const count = (k: string) => applied.persons.reduce((s, p) => s + p.changes.filter((c) => c.kind === k).length, 0);
  const outcome: PartnerOutcome = staleReasons.length ? 'stale' : 'done';
  const record: PartnerSyncRecord = {
    at: nowIso,
    date: today,
    ...(opts.runId ? { runId: opts.runId } : {}),
    outcome,
    ...(staleReasons.length ? { reason: `kept last known certifications: ${summarise(staleReasons)}` } : {}),
    skillingChanged: applied.skillingChanged,
    recomputeRequested,
    counts: {
      added: count('added'),
      renewed: count('renewed'),
      expired: count('expired'),
      removed: count('removed'),
      professionals: applied.persons.length,
      stale: applied.persons.filter((p) => p.status === 'stale').length,
      notFound: applied.persons.filter((p) => p.status === 'not-found').length,
      errors: applied.persons.filter((p) => p.status === 'error').length,
    },
    persons: applied.persons,
    problems: reports.flatMap((r) => r.problems),
    requests: reports.reduce((s, r) => s + r.requests, 0),
    warnings,
  };
  await writeSyncRecord(partnerId, record, await readSyncRecord(partnerId));
  return { partnerId, outcome, ...(record.reason ? { reason: record.reason } : {}), record };
}
