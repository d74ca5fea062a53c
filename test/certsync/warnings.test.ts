import { describe, expect, it } from 'vitest';
import { computeExpiryWarnings } from '../../shared/certsync/warnings';
import { parseSnapshot, scorePartner } from '../../shared/scoring';

const snapshot = parseSnapshot({
  partnerId: 'p-warn',
  professionals: [
    {
      id: 'ada',
      name: 'Ada',
      linked: true,
      certifications: [
        { certificationId: 'azure-administrator-associate', earnedOn: '2025-12-01', expiresOn: '2026-12-20' },
        { certificationId: 'azure-solutions-architect-expert', earnedOn: '2025-06-01', expiresOn: '2027-06-01' },
      ],
    },
    { id: 'bob', linked: true, certifications: [{ certificationId: 'azure-administrator-associate', earnedOn: '2025-06-01', expiresOn: '2027-06-01' }] },
    // Unlinked: earns nothing, so nothing of theirs is at stake.
    { id: 'cy', linked: false, unlinkedOn: '2026-01-01', certifications: [{ certificationId: 'azure-administrator-associate', earnedOn: '2025-12-01', expiresOn: '2026-12-20' }] },
    // Retired 2026-06-30 in v2026: counts until 2027-06-30, beyond the horizon from 2026-11-25, inside it from 2027-04-01.
    { id: 'dee', linked: true, certifications: [{ certificationId: 'power-platform-solution-architect-expert', earnedOn: '2025-06-01', expiresOn: '2027-09-01' }] },
    { id: 'dan', linked: true, certifications: [{ certificationId: 'azure-developer-associate', earnedOn: '2025-12-01', expiresOn: '2027-12-20' }] },
    { id: 'eve', linked: true, certifications: [{ certificationId: 'microsoft-365-fundamentals', earnedOn: '2019-01-01' }] },
  ],
});

describe('expiry warnings', () => {
  it('lists linked people\'s certifications lapsing within 90 days with the points the engine says are at stake', () => {
    const report = computeExpiryWarnings(snapshot, '2026-11-25');
    expect(report.warnings.map((w) => [w.professionalId, w.certificationId, w.endsOn, w.why, w.daysLeft])).toEqual([['ada', 'azure-administrator-associate', '2026-12-20', 'expires', 25]]);
    const w = report.warnings[0]!;
    // Cross-check with the engine directly: the loss is today's score minus the score without that certification.
    const date = '2026-11-25';
    const before = scorePartner(snapshot, { date, includeGap: false });
    const without = scorePartner({ ...snapshot, professionals: snapshot.professionals.map((p) => (p.id === 'ada' ? { ...p, certifications: p.certifications.filter((c) => c.certificationId !== 'azure-administrator-associate') } : p)) }, { date, includeGap: false });
    const expected = before.areas.map((a, i) => ({ area: a.area, points: Math.round((a.total - without.areas[i]!.total) * 100) / 100 })).filter((a) => a.points > 0);
    expect(w.pointsAtStake.map((a) => ({ area: a.area, points: a.points }))).toEqual(expected);
    expect(w.totalPointsAtStake).toBe(expected.reduce((s, a) => s + a.points, 0));
    expect(expected.length).toBeGreaterThan(0);
    expect(report.byArea).toEqual(w.pointsAtStake);
  });

  it('warns about a retired certification reaching the end of its year of grace, and about fundamentals only when they retire', () => {
    const report = computeExpiryWarnings(snapshot, '2027-04-15');
    const ids = report.warnings.map((w) => `${w.professionalId}:${w.certificationId}:${w.why}:${w.endsOn}`);
    expect(ids).toContain('dee:power-platform-solution-architect-expert:retires:2027-06-30');
    expect(ids.some((i) => i.startsWith('eve:'))).toBe(false);
    const fundamentals = computeExpiryWarnings(snapshot, '2027-01-15');
    expect(fundamentals.warnings.map((w) => `${w.professionalId}:${w.why}:${w.endsOn}`)).toContain('eve:retires:2027-03-31');
  });

  it('is empty when nothing lapses within the horizon', () => {
    expect(computeExpiryWarnings(snapshot, '2026-11-25', 10)).toEqual({ date: '2026-11-25', horizonDays: 10, warnings: [], byArea: [] });
  });
});
