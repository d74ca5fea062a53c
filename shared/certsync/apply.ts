import { eligibleUntilOf, expiryOf } from '../scoring';
import type { ProfessionalsDoc, StoredCertification, StoredProfessional } from '../state/documents';
import { certificationDefs } from './catalog';
import type { PersonReport, SourceCertification, SourceName, SourceReport } from './sources/types';

/**
 * Merges what the sources reported into a partner's professionals document. Pure and idempotent: applied
 * again to its own result with the same reports it changes no certification (only the sync timestamps).
 *
 * What the sources say is stored as they say it (earned, expiry, renewals); validity on a given date stays
 * the scoring engine's job. Rules applied here:
 * - a source that failed (down, throttled, changed shape, transcript private or gone) never deletes anything;
 * - a certification a source stops reporting is marked removed, unless its expiry has passed (it lapsed and
 *   stays for history; the engine already ignores it) or it is retired but still within its eligibility;
 * - a later expiry than the stored one is a renewal;
 * - unlinked professionals are not synced (they earn nothing; their certifications follow them).
 */

export type ChangeKind = 'added' | 'renewed' | 'expired' | 'removed';

export interface CertChange {
  kind: ChangeKind;
  certificationId: string;
  source?: SourceName | string;
  detail?: string;
}

export interface PersonSyncResult {
  professionalId: string;
  status: 'ok' | 'stale' | 'not-found' | 'error' | 'skipped';
  reason?: string;
  changes: CertChange[];
  /** Certifications the source listed that no rule set counts. */
  ignored?: string[];
}

export interface ApplyResult {
  persons: PersonSyncResult[];
  /** A certification was added, renewed, changed or removed: the partner's score must be recomputed. */
  skillingChanged: boolean;
}

const worse = { ok: 0, skipped: 0, 'not-found': 1, stale: 2, error: 3 } as const;

function endOf(c: StoredCertification): { on?: string; why: 'expired' | 'retired' } {
  const def = certificationDefs().get(c.certificationId);
  const expiry = expiryOf(c, def);
  const until = def ? eligibleUntilOf(def) : undefined;
  if (until && (!expiry || until < expiry)) return { on: until, why: 'retired' };
  return { on: expiry, why: 'expired' };
}

function upsert(p: StoredProfessional, incoming: SourceCertification, source: SourceName, today: string, nowIso: string): CertChange | undefined {
  const stored = p.certifications[incoming.certificationId];
  const fresh: StoredCertification = {
    certificationId: incoming.certificationId,
    earnedOn: incoming.earnedOn,
    ...(incoming.expiresOn ? { expiresOn: incoming.expiresOn } : {}),
    ...(incoming.credentialNumber ? { credentialNumber: incoming.credentialNumber } : {}),
    source,
    updatedAt: nowIso,
  };
  if (!stored || stored.removed) {
    if (stored?.renewals) fresh.renewals = stored.renewals;
    p.certifications[incoming.certificationId] = fresh;
    return { kind: 'added', certificationId: incoming.certificationId, source, detail: `${incoming.label}, earned ${incoming.earnedOn}${incoming.expiresOn ? `, expires ${incoming.expiresOn}` : ''}` };
  }
  const laterExpiry = incoming.expiresOn && (!stored.expiresOn || incoming.expiresOn > stored.expiresOn);
  const reEarned = incoming.earnedOn > stored.earnedOn;
  if (laterExpiry || reEarned) {
    const renewals = [...(stored.renewals ?? [])];
    // Sources report the new expiry, not the renewal date; the sync date is the latest it can have happened.
    const renewedOn = incoming.expiresOn && incoming.expiresOn < today ? incoming.expiresOn : today;
    if (laterExpiry) renewals.push({ renewedOn, ...(incoming.expiresOn ? { expiresOn: incoming.expiresOn } : {}) });
    p.certifications[incoming.certificationId] = {
      ...stored,
      earnedOn: reEarned ? incoming.earnedOn : stored.earnedOn,
      ...(incoming.expiresOn ? { expiresOn: incoming.expiresOn } : {}),
      ...(renewals.length ? { renewals } : {}),
      ...(incoming.credentialNumber ? { credentialNumber: incoming.credentialNumber } : {}),
      source,
      updatedAt: nowIso,
    };
    return { kind: 'renewed', certificationId: incoming.certificationId, source, detail: `${incoming.label}: now ${incoming.expiresOn ? `expires ${incoming.expiresOn}` : `earned ${incoming.earnedOn}`}${stored.expiresOn ? ` (was ${stored.expiresOn})` : ''}` };
  }
  if (stored.source === source && (incoming.earnedOn !== stored.earnedOn || (incoming.expiresOn ?? '') !== (stored.expiresOn ?? ''))) {
    // The same source corrected itself (an earlier date): it is the authority on its own records.
    const corrected: StoredCertification = { ...stored, earnedOn: incoming.earnedOn, updatedAt: nowIso };
    if (incoming.expiresOn) corrected.expiresOn = incoming.expiresOn;
    else delete corrected.expiresOn;
    p.certifications[incoming.certificationId] = corrected;
    return { kind: 'renewed', certificationId: incoming.certificationId, source, detail: `${incoming.label}: corrected by ${source} to earned ${incoming.earnedOn}${incoming.expiresOn ? `, expires ${incoming.expiresOn}` : ''}` };
  }
  if (incoming.credentialNumber && stored.credentialNumber !== incoming.credentialNumber) {
    p.certifications[incoming.certificationId] = { ...stored, credentialNumber: incoming.credentialNumber };
  }
  return undefined;
}

/**
 * Applies the source reports to `doc` (mutated). Each person's previous sync date (`sync.at`) lets a
 * certification that lapsed since then be reported as expired exactly once. A source that could not be read
 * at all (`unavailable`) names no person and changes nothing here; the caller reports it for the partner.
 */
export function applySync(doc: ProfessionalsDoc, reports: SourceReport[], today: string, nowIso: string): ApplyResult {
  const persons: PersonSyncResult[] = [];
  let skillingChanged = false;
  for (const p of Object.values(doc.items)) {
    const entries = reports.map((r) => [r, r.persons.get(p.id)] as const).filter((e): e is readonly [SourceReport, PersonReport] => e[1] !== undefined);
    if (!p.linked) {
      if (entries.length) persons.push({ professionalId: p.id, status: 'skipped', reason: 'not linked to the partner: not synced, earns no points here', changes: [] });
      continue;
    }
    if (entries.length === 0) continue;
    const result: PersonSyncResult = { professionalId: p.id, status: 'ok', changes: [] };
    const reasons: string[] = [];
    const ignored: string[] = [];
    const worsen = (status: PersonSyncResult['status'], reason: string) => {
      if (worse[status] > worse[result.status]) result.status = status;
      reasons.push(reason);
    };
    for (const [report, person] of entries) {
      if (person.status !== 'ok') {
        worsen(person.status, person.reason);
        continue;
      }
      ignored.push(...person.ignored);
      const seen = new Set<string>();
      for (const c of person.certifications) {
        seen.add(c.certificationId);
        const change = upsert(p, c, report.source, today, nowIso);
        if (change) result.changes.push(change);
      }
      if (!person.complete) continue;
      for (const c of Object.values(p.certifications)) {
        if (c.removed || c.source !== report.source || seen.has(c.certificationId)) continue;
        const end = endOf(c);
        // Lapsed or retired-but-eligible: the record stays as it was; the engine decides by date.
        if (end.on && end.on < today) continue;
        const def = certificationDefs().get(c.certificationId);
        if (def?.retiredOn && def.retiredOn <= today && end.on && end.on >= today) continue;
        p.certifications[c.certificationId] = { ...c, removed: true, removedReason: 'removed', updatedAt: nowIso };
        result.changes.push({ kind: 'removed', certificationId: c.certificationId, source: report.source, detail: `no longer reported by ${report.source}` });
      }
    }
    // Lapsed since the previous sync: reported once, the record is kept for history.
    const since = p.sync?.at?.slice(0, 10);
    for (const c of Object.values(p.certifications)) {
      if (c.removed) continue;
      const end = endOf(c);
      if (end.on && end.on < today && since !== undefined && end.on >= since) {
        result.changes.push({ kind: 'expired', certificationId: c.certificationId, ...(c.source ? { source: c.source } : {}), detail: end.why === 'retired' ? `retired; counted until ${end.on}` : `expired on ${end.on} and was not renewed` });
      }
    }
    if (result.changes.some((c) => c.kind !== 'expired')) skillingChanged = true;
    if (reasons.length) result.reason = reasons.join('; ');
    if (ignored.length) result.ignored = [...new Set(ignored)];
    p.sync = { at: nowIso, status: result.status === 'skipped' ? 'ok' : result.status, ...(result.reason ? { reason: result.reason } : {}) };
    persons.push(result);
  }
  return { persons, skillingChanged };
}
