import { describe, expect, it } from 'vitest';
import { applyAssociationEvents, type AssociationEvent } from '../../shared/events/apply';
import { validateDelivery } from '../../shared/events/validate';
import { scoringSettingsFromApp } from '../../shared/scoring';
import { emptyAssociations, emptyProfessionals } from '../../shared/state/documents';
import { toSnapshot } from '../../shared/state/state-store';
import { area, assoc, lines, metric, row, snapshot } from './helpers';

// Issue 14, defect 4: the year-ago side of "eligible now minus eligible a year ago" (and of growth baselines) uses
// the associations in place in that month, so a customer lost since offsets a new one.

const D = '2026-03-10'; // last month 2026-02 (and 2026-01); a year earlier 2025-02 (and 2025-01)
const legacy = { settings: { yearAgoAssociations: 'evaluation-date' as const } };

/** One new PAL customer this year; one whose PAL link ended in September 2025 after a year of usage. */
function lostAndNew(endDate = '2025-09-15') {
  return snapshot({
    trackOverrides: { infrastructure: 'enterprise' },
    associations: [assoc('PAL', 'new', { startDate: '2024-01-01' }), assoc('PAL', 'gone', { startDate: '2023-01-01', status: 'ended', endDate })],
    telemetry: [
      row('new', '2026-02', 'azure', 'Storage', 'PAL', { acrUsd: 2000 }),
      row('gone', '2025-02', 'azure', 'Storage', 'PAL', { acrUsd: 3000 }),
      row('gone', '2025-08', 'azure', 'Storage', 'PAL', { acrUsd: 3000 }),
    ],
  });
}

describe('net customer adds: a lost customer offsets an add (issue 14, defect 4)', () => {
  it('counts a customer whose association has ended in the year-ago side, so one new and one lost make no net add', () => {
    const m = metric(area(lostAndNew(), 'infrastructure', D), 'net-customer-adds');
    expect(m.units).toBe(0);
    expect(m.points).toBe(0);
    const text = lines(m).join('\n');
    expect(text).toMatch(/not-counted\|tenant gone \(Azure customers\)\|lost: eligible in 2025-02 or 2025-01 but not in 2026-02 or 2026-01: usage without an accepted association in place on 2026-03-10 does not count; it offsets one add/);
    expect(text).toMatch(/1 eligible in 2026-02 or 2026-01 - 1 eligible in 2025-02 or 2025-01 = 0 net new customers/);
  });

  it('keeps the reading before the fix as the evaluation-date setting: the lost customer drops out of both sides', () => {
    const m = metric(area(lostAndNew(), 'infrastructure', D, legacy), 'net-customer-adds');
    expect(m.units).toBe(1);
    expect(m.points).toBe(10);
  });

  it('an association ending on the first of a month was last in place the month before', () => {
    const endingOn = (endDate: string) =>
      snapshot({
        ...lostAndNew(endDate),
        telemetry: [row('new', '2026-02', 'azure', 'Storage', 'PAL', { acrUsd: 2000 }), row('gone', '2025-01', 'azure', 'Storage', 'PAL', { acrUsd: 3000 }), row('gone', '2025-02', 'azure', 'Storage', 'PAL', { acrUsd: 3000 })],
      });
    // Ended 2025-02-01: in place in 2025-01, one of the year-ago months, so still lost.
    expect(metric(area(endingOn('2025-02-01'), 'infrastructure', D), 'net-customer-adds').units).toBe(0);
    // Ended 2025-01-01: last in place in 2024-12, before the year-ago months: usage after it is not the partner's.
    expect(metric(area(endingOn('2025-01-01'), 'infrastructure', D), 'net-customer-adds').units).toBe(1);
  });

  it('a customer associated since the year-ago month is a new customer, even with usage back then', () => {
    const snap = snapshot({
      trackOverrides: { infrastructure: 'enterprise' },
      associations: [assoc('CSP', 'recent', { startDate: '2025-10-01' })],
      telemetry: [row('recent', '2026-02', 'azure', 'Storage', 'CSP', { acrUsd: 2000 }), row('recent', '2025-02', 'azure', 'Storage', 'CSP', { acrUsd: 2000 })],
    });
    const m = metric(area(snap, 'infrastructure', D), 'net-customer-adds');
    expect(m.units).toBe(1);
    expect(lines(m).join('\n')).toMatch(/counted\|tenant recent \(Azure customers\)\|ACR USD 2,000 in 2026-02 or 2026-01 meets at least 1,000; not eligible in 2025-02 or 2025-01: usage then without an accepted association in place does not count/);
    expect(metric(area(snap, 'infrastructure', D, legacy), 'net-customer-adds').units).toBe(0);
  });

  it('a lost customer still consuming says its usage no longer counts for want of an association', () => {
    const snap = snapshot({
      ...lostAndNew(),
      telemetry: [...lostAndNew().telemetry, row('gone', '2026-02', 'azure', 'Storage', 'PAL', { acrUsd: 3000 })],
    });
    const m = metric(area(snap, 'infrastructure', D), 'net-customer-adds');
    expect(m.units).toBe(0);
    expect(lines(m).join('\n')).toMatch(/not-counted\|tenant gone \(Azure customers\)\|lost: eligible in 2025-02 or 2025-01 but not in 2026-02 or 2026-01: usage without an accepted association in place on 2026-03-10 does not count; it offsets one add/);
  });

  it('per-workload units (Business Applications): a lost CPOR claim offsets a new workload add', () => {
    const snap = snapshot({
      trackOverrides: { 'business-applications': 'enterprise' },
      associations: [
        assoc('CSP', 'n1', { startDate: '2024-01-01' }),
        assoc('CPOR', 'l1', { role: 'revrec', startDate: '2024-01-01', status: 'ended', endDate: '2025-06-01' }),
      ],
      telemetry: [
        row('n1', '2026-02', 'dynamics-365', 'Sales', 'CSP', { revenueUsd: 2000 }),
        row('l1', '2025-02', 'dynamics-365', 'Customer Service', 'CPOR', { revenueUsd: 2000 }),
      ],
    });
    expect(metric(area(snap, 'business-applications', D), 'net-customer-adds').units).toBe(0);
    expect(metric(area(snap, 'business-applications', D, legacy), 'net-customer-adds').units).toBe(1);
  });
});

describe('growth baselines use the associations in place then', () => {
  const snap = snapshot({
    trackOverrides: { infrastructure: 'enterprise' },
    associations: [assoc('PAL', 'stay'), assoc('PAL', 'gone', { status: 'ended', endDate: '2025-06-01' })],
    telemetry: [
      row('stay', '2026-02', 'azure', 'Storage', 'PAL', { acrUsd: 1100 }),
      row('stay', '2025-02', 'azure', 'Storage', 'PAL', { acrUsd: 1000 }),
      row('gone', '2025-02', 'azure', 'Storage', 'PAL', { acrUsd: 1000 }),
    ],
  });
  it('Azure usage growth: a lost customer stays in the baseline (1,100 against 2,000 is no growth)', () => {
    const m = metric(area(snap, 'infrastructure', D), 'usage-growth');
    expect(m.units).toBe(-45);
    expect(m.points).toBe(0);
  });
  it('with the evaluation-date setting the baseline is only today\'s customers (10% growth)', () => {
    const m = metric(area(snap, 'infrastructure', D, legacy), 'usage-growth');
    expect(m.units).toBe(10);
    expect(m.points).toBe(10);
  });
});

describe('an association that ended and started again keeps its earlier period', () => {
  const parse = (e: unknown) => {
    const r = validateDelivery(e, { now: new Date('2030-01-01T00:00:00Z'), futureToleranceSeconds: 86_400 });
    if (!r.ok) throw new Error(JSON.stringify(r.details));
    return r.events[0]! as AssociationEvent;
  };
  const csp = (id: string, kind: 'started' | 'ended', at: string) => parse({ id, type: `csp.relationship.${kind}`, partnerId: 'p', occurredAt: at, data: { tenantId: 't1', tier: 1 } });

  it('the reducer records the earlier period, whatever order the events arrive in', () => {
    const events = [csp('1', 'started', '2024-06-01T09:00:00Z'), csp('2', 'ended', '2025-05-20T09:00:00Z'), csp('3', 'started', '2025-11-03T09:00:00Z')];
    const doc = emptyAssociations('p');
    applyAssociationEvents(doc, [events[2]!, events[0]!, events[1]!]);
    expect(doc.items['csp:t1']).toMatchObject({ status: 'active', startDate: '2025-11-03', earlierPeriods: [{ startDate: '2024-06-01', endDate: '2025-05-20' }] });
    expect(doc.items['csp:t1']!.endDate).toBeUndefined();
  });

  it('so the tenant was a customer a year ago and is no net add', () => {
    const doc = emptyAssociations('p');
    applyAssociationEvents(doc, [csp('1', 'started', '2024-06-01T09:00:00Z'), csp('2', 'ended', '2025-05-20T09:00:00Z'), csp('3', 'started', '2025-11-03T09:00:00Z')]);
    const snap = toSnapshot({
      profile: { id: 'profile', partnerId: 'p', type: 'profile', schemaVersion: 1, enrollments: [], customers: {}, telemetryMonths: [], stateVersion: 1, createdAt: '', updatedAt: '', trackOverrides: { infrastructure: 'enterprise' } },
      associations: doc,
      professionals: emptyProfessionals('p'),
      telemetry: [],
    });
    expect(snap.associations[0]!.earlierPeriods).toEqual([{ startDate: '2024-06-01', endDate: '2025-05-20' }]);
    const withUsage = snapshot({
      ...snap,
      telemetry: [row('t1', '2026-02', 'azure', 'Storage', 'CSP', { acrUsd: 2000 }), row('t1', '2025-02', 'azure', 'Storage', 'CSP', { acrUsd: 2000 })],
    });
    expect(metric(area(withUsage, 'infrastructure', D), 'net-customer-adds').units).toBe(0);
    // Without its history the restarted relationship would look new.
    const forgotten = snapshot({ ...withUsage, associations: withUsage.associations.map(({ earlierPeriods: _drop, ...a }) => a) });
    expect(metric(area(forgotten, 'infrastructure', D), 'net-customer-adds').units).toBe(1);
  });

  it('refuses an earlier period that overlaps the current one, naming the field', () => {
    expect(() => snapshot({ associations: [assoc('CSP', 't1', { startDate: '2025-01-01', earlierPeriods: [{ startDate: '2024-01-01', endDate: '2025-02-01' }] })] })).toThrow(
      /associations\[0\]\.earlierPeriods\[0\]\.endDate: must not be after the startDate/,
    );
  });
});

describe('the YEAR_AGO_ASSOCIATIONS app setting', () => {
  it('maps onto the engine setting', () => {
    expect(scoringSettingsFromApp({ YEAR_AGO_ASSOCIATIONS: 'evaluation-date' })).toEqual({ yearAgoAssociations: 'evaluation-date' });
    expect(scoringSettingsFromApp({})).toEqual({});
  });
});
