import { describe, expect, it } from 'vitest';
import { applySync } from '../../shared/certsync/apply';
import type { PersonReport, SourceCertification, SourceReport } from '../../shared/certsync/sources/types';
import { emptyProfessionals, type ProfessionalsDoc, type StoredCertification, type StoredProfessional } from '../../shared/state/documents';

const NOW = '2026-11-25T01:30:00.000Z';
const TODAY = '2026-11-25';

function pro(id: string, certs: StoredCertification[] = [], extra: Partial<StoredProfessional> = {}): StoredProfessional {
  return { id, linked: true, linkHistory: [], certifications: Object.fromEntries(certs.map((c) => [c.certificationId, c])), transcriptUrl: `https://learn.microsoft.com/en-us/users/${id}/transcript/share${id}00`, updatedAt: NOW, lastEventId: 'e1', ...extra };
}
function doc(...ps: StoredProfessional[]): ProfessionalsDoc {
  const d = emptyProfessionals('p1');
  for (const p of ps) d.items[p.id] = p;
  return d;
}
const held = (certificationId: string, earnedOn: string, expiresOn?: string, source = 'learn'): StoredCertification => ({ certificationId, earnedOn, ...(expiresOn ? { expiresOn } : {}), source, updatedAt: '2026-01-01T00:00:00Z' });
const got = (certificationId: string, earnedOn: string, expiresOn?: string): SourceCertification => ({ certificationId, earnedOn, ...(expiresOn ? { expiresOn } : {}), label: certificationId });
function report(source: 'learn' | 'import', persons: Record<string, PersonReport>): SourceReport {
  return { source, persons: new Map(Object.entries(persons)), problems: [], requests: Object.keys(persons).length };
}
const ok = (...c: SourceCertification[]): PersonReport => ({ status: 'ok', certifications: c, complete: true, ignored: [] });

describe('applying source reports to the professionals document', () => {
  it('adds new certifications, renews on a later expiry, and asks for a recompute', () => {
    const d = doc(pro('ada', [held('azure-administrator-associate', '2025-12-01', '2026-12-01')]));
    const r = applySync(d, [report('learn', { ada: ok(got('azure-administrator-associate', '2025-12-01', '2027-12-01'), got('azure-solutions-architect-expert', '2026-10-01', '2027-10-01')) })], TODAY, NOW);
    expect(r.skillingChanged).toBe(true);
    expect(r.persons[0]!.changes.map((c) => [c.kind, c.certificationId])).toEqual([
      ['renewed', 'azure-administrator-associate'],
      ['added', 'azure-solutions-architect-expert'],
    ]);
    const az104 = d.items.ada!.certifications['azure-administrator-associate']!;
    expect(az104.expiresOn).toBe('2027-12-01');
    expect(az104.renewals).toEqual([{ renewedOn: TODAY, expiresOn: '2027-12-01' }]);
    expect(d.items.ada!.sync).toEqual({ at: NOW, status: 'ok' });
  });

  it('is idempotent: the same reports applied again change no certification', () => {
    const d = doc(pro('ada'));
    const reports = [report('learn', { ada: ok(got('azure-administrator-associate', '2026-01-01', '2027-01-01')) })];
    applySync(d, reports, TODAY, NOW);
    const before = structuredClone(d.items.ada!.certifications);
    const again = applySync(d, reports, TODAY, NOW);
    expect(again.skillingChanged).toBe(false);
    expect(again.persons[0]!.changes).toEqual([]);
    expect(d.items.ada!.certifications).toEqual(before);
  });

  it('marks a certification the source stopped reporting as removed, but keeps one that lapsed or is retired and still eligible', () => {
    const d = doc(
      pro('ada', [
        held('azure-administrator-associate', '2026-01-01', '2027-01-01'),
        held('azure-database-administrator-associate', '2025-01-01', '2026-01-01'),
        // Retired 2026-06-30 in v2026: counts until 2027-06-30.
        held('power-platform-solution-architect-expert', '2025-06-01', '2027-08-01'),
        held('devops-engineer-expert', '2026-01-01', '2027-01-01', 'import'),
      ]),
    );
    const r = applySync(d, [report('learn', { ada: ok() })], TODAY, NOW);
    const certs = d.items.ada!.certifications;
    expect(certs['azure-administrator-associate']).toMatchObject({ removed: true, removedReason: 'removed' });
    expect(certs['azure-database-administrator-associate']!.removed).toBeUndefined();
    expect(certs['power-platform-solution-architect-expert']!.removed).toBeUndefined();
    // Another source's record is that source's business.
    expect(certs['devops-engineer-expert']!.removed).toBeUndefined();
    expect(r.persons[0]!.changes.map((c) => `${c.kind} ${c.certificationId}`)).toEqual(['removed azure-administrator-associate']);
    expect(r.skillingChanged).toBe(true);
  });

  it('re-adds a removed certification when the source reports it again', () => {
    const d = doc(pro('ada', [{ ...held('azure-administrator-associate', '2026-01-01', '2027-01-01'), removed: true, removedReason: 'removed' }]));
    const r = applySync(d, [report('learn', { ada: ok(got('azure-administrator-associate', '2026-01-01', '2027-01-01')) })], TODAY, NOW);
    expect(r.persons[0]!.changes.map((c) => c.kind)).toEqual(['added']);
    expect(d.items.ada!.certifications['azure-administrator-associate']!.removed).toBeUndefined();
  });

  it.each([
    ['stale', { status: 'stale', reason: 'Learn did not answer: HTTP 503 after 4 attempts' }],
    ['not-found', { status: 'not-found', reason: 'Learn transcript x is private or no longer shared (HTTP 404)' }],
    ['error', { status: 'error', reason: 'Learn transcript answer changed shape: certificationData: expected object' }],
  ] as const)('keeps the last known certifications when the source is %s, and says why', (status, person) => {
    const d = doc(pro('ada', [held('azure-administrator-associate', '2026-01-01', '2027-01-01')]));
    const before = structuredClone(d.items.ada!.certifications);
    const r = applySync(d, [report('learn', { ada: person as PersonReport })], TODAY, NOW);
    expect(d.items.ada!.certifications).toEqual(before);
    expect(r.skillingChanged).toBe(false);
    expect(r.persons[0]).toMatchObject({ status, reason: person.reason, changes: [] });
    expect(d.items.ada!.sync).toEqual({ at: NOW, status, reason: person.reason });
  });

  it('does not sync an unlinked person (they earn nothing here; their record follows them)', () => {
    const d = doc(pro('ada', [held('azure-administrator-associate', '2026-01-01', '2027-01-01')], { linked: false, unlinkedOn: '2026-10-01' }));
    const r = applySync(d, [report('learn', { ada: ok() })], TODAY, NOW);
    expect(r.persons).toEqual([{ professionalId: 'ada', status: 'skipped', reason: expect.stringContaining('not linked'), changes: [] }]);
    expect(d.items.ada!.certifications['azure-administrator-associate']!.removed).toBeUndefined();
  });

  it('reports a certification that lapsed since the previous sync as expired, once', () => {
    const d = doc(pro('ada', [held('azure-administrator-associate', '2025-11-20', '2026-11-20')], { sync: { at: '2026-11-18T01:30:00.000Z', status: 'ok' } }));
    const reports = [report('learn', { ada: ok(got('azure-administrator-associate', '2025-11-20', '2026-11-20')) })];
    const first = applySync(d, reports, TODAY, NOW);
    expect(first.persons[0]!.changes).toEqual([{ kind: 'expired', certificationId: 'azure-administrator-associate', source: 'learn', detail: 'expired on 2026-11-20 and was not renewed' }]);
    // Only lapsing is not a change of the data the score is computed from (the engine already applies expiry).
    expect(first.skillingChanged).toBe(false);
    const second = applySync(d, reports, '2026-11-26', '2026-11-26T01:30:00.000Z');
    expect(second.persons[0]!.changes).toEqual([]);
  });

  it('does not remove on the strength of an incomplete import, and lets Learn and the import file agree on the later expiry', () => {
    const d = doc(pro('ada', [held('azure-administrator-associate', '2026-01-01', '2027-01-01', 'import')]));
    const partial: PersonReport = { status: 'ok', certifications: [got('devops-engineer-expert', '2026-05-01', '2027-05-01')], complete: false, ignored: [] };
    applySync(d, [report('learn', { ada: ok(got('devops-engineer-expert', '2026-05-01', '2027-06-01')) }), report('import', { ada: partial })], TODAY, NOW);
    const certs = d.items.ada!.certifications;
    expect(certs['azure-administrator-associate']!.removed).toBeUndefined();
    expect(certs['devops-engineer-expert']!.expiresOn).toBe('2027-06-01');
  });

  it('treats fundamentals as never expiring', () => {
    const d = doc(pro('ada', [held('microsoft-365-fundamentals', '2020-01-01')], { sync: { at: '2021-01-01T00:00:00Z', status: 'ok' } }));
    const r = applySync(d, [report('learn', { ada: ok(got('microsoft-365-fundamentals', '2020-01-01')) })], '2026-01-10', NOW);
    expect(r.persons[0]!.changes).toEqual([]);
  });
});
