import { describe, expect, it } from 'vitest';
import { parseSnapshot, scorePartner, scoreQualificationWindow, SnapshotError, withEligibility } from '../../shared/scoring';
import { area, assoc, lines, metric, people, person, qualifyingInfrastructure as qualifying, row, snapshot, trackMetric } from './helpers';

const D = '2026-03-10'; // last month = 2026-02, the month before = 2026-01, a year earlier = 2025-02 / 2025-01

describe('Azure net customer adds', () => {
  const snap = snapshot({
    trackOverrides: { infrastructure: 'enterprise' },
    associations: [assoc('PAL', 'new'), assoc('CSP', 'old'), assoc('PAL', 'small'), assoc('DPOR', 'jan'), assoc('PAL', 'lost')],
    telemetry: [
      row('new', '2026-02', 'azure', 'Storage', 'PAL', { acrUsd: 1200 }),
      row('old', '2026-02', 'azure', 'Storage', 'CSP', { acrUsd: 5000 }),
      row('old', '2025-01', 'azure', 'Storage', 'CSP', { acrUsd: 5000 }),
      row('small', '2026-02', 'azure', 'Storage', 'PAL', { acrUsd: 800 }),
      row('small', '2026-01', 'azure', 'Storage', 'PAL', { acrUsd: 700 }),
      row('jan', '2026-01', 'azure', 'Key Vault', 'DPOR', { acrUsd: 600 }),
      row('jan', '2026-01', 'azure', 'Storage', 'DPOR', { acrUsd: 400 }),
      row('lost', '2025-02', 'azure', 'Storage', 'PAL', { acrUsd: 3000 }),
    ],
  });
  const m = metric(area(snap, 'infrastructure', D), 'net-customer-adds');
  it('counts tenants with at least 1,000 USD in one of the last two months, minus those eligible a year earlier', () => {
    // now: new, old, jan (600 + 400 in January) = 3; a year ago: old, lost = 2
    expect(m.units).toBe(1);
    expect(m.points).toBe(10);
  });
  it('explains each tenant in plain words', () => {
    const text = lines(m).join('\n');
    expect(text).toMatch(/not-counted\|tenant small \(Azure customers\)\|ACR USD 800 in 2026-02 or 2026-01 does not meet at least 1,000/);
    expect(text).toMatch(/counted\|tenant new \(Azure customers\)\|ACR USD 1,200/);
    expect(text).toMatch(/not-counted\|tenant lost \(Azure customers\)\|lost: eligible in 2025-02 or 2025-01 but not/);
    expect(text).toMatch(/note\|1 existing tenants \(Azure customers\)\|.*so no net add: old/);
  });
  it('never goes below zero when more customers were lost than added', () => {
    const lossy = snapshot({ trackOverrides: { infrastructure: 'enterprise' }, associations: [assoc('PAL', 'x')], telemetry: [row('x', '2025-02', 'azure', 'Storage', 'PAL', { acrUsd: 5000 })] });
    expect(metric(area(lossy, 'infrastructure', D), 'net-customer-adds').points).toBe(0);
  });
  it('the SMB track needs only 500 USD', () => {
    const smb = snapshot({ ...snap, trackOverrides: { infrastructure: 'smb' } });
    // small (800) now counts too
    expect(metric(area(smb, 'infrastructure', D), 'net-customer-adds').units).toBe(2);
  });
});

describe('associations decide what counts', () => {
  it('usage attributed through an association the metric does not accept is explained and ignored', () => {
    const snap = snapshot({
      trackOverrides: { infrastructure: 'enterprise' },
      associations: [assoc('CPOR', 't1')],
      telemetry: [row('t1', '2026-02', 'azure', 'Storage', 'CPOR', { acrUsd: 9000 })],
    });
    const m = metric(area(snap, 'infrastructure', D), 'net-customer-adds');
    expect(m.units).toBe(0);
    expect(lines(m).join('\n')).toMatch(/tenant t1\|usage attributed through CPOR, which this metric does not accept \(accepts CSP, DPOR, PAL\)/);
  });
  it('telemetry counts only while an active association of its type is in place', () => {
    const base = {
      trackOverrides: { infrastructure: 'enterprise' as const },
      telemetry: [row('t1', '2026-02', 'azure', 'Storage', 'PAL', { acrUsd: 9000 })],
    };
    const none = metric(area(snapshot({ ...base, associations: [] }), 'infrastructure', D), 'net-customer-adds');
    expect(none.units).toBe(0);
    expect(lines(none).join('\n')).toMatch(/no active PAL association on the tenant/);
    const ended = snapshot({ ...base, associations: [assoc('PAL', 't1', { endDate: '2026-03-01' })] });
    expect(metric(area(ended, 'infrastructure', D), 'net-customer-adds').units).toBe(0);
    const pending = snapshot({ ...base, associations: [assoc('PAL', 't1', { status: 'pending' })] });
    expect(metric(area(pending, 'infrastructure', D), 'net-customer-adds').units).toBe(0);
    const relaxed = area(snapshot({ ...base, associations: [] }), 'infrastructure', D, { settings: { requireActiveAssociation: false } });
    expect(metric(relaxed, 'net-customer-adds').units).toBe(1);
  });
  it('a CPOR claim counts only with the partner role the metric accepts', () => {
    const rows = [
      row('t1', '2026-02', 'dynamics-365', 'Sales', 'CPOR', { revenueUsd: 2000 }),
      row('t1', '2026-02', 'dynamics-365', 'Finance', 'CPOR', { revenueUsd: 2000 }),
    ];
    const osu = snapshot({ trackOverrides: { 'business-applications': 'enterprise' }, associations: [assoc('CPOR', 't1', { role: 'osu' })], telemetry: rows });
    expect(metric(area(osu, 'business-applications', D), 'net-customer-adds').units).toBe(0);
    const revrec = snapshot({ trackOverrides: { 'business-applications': 'enterprise' }, associations: [assoc('CPOR', 't1', { role: 'revrec', workloads: ['Sales'] })], telemetry: rows });
    // Business Applications counts workload x tenant; the claim covers Sales only.
    expect(metric(area(revrec, 'business-applications', D), 'net-customer-adds').units).toBe(1);
  });
  it('sovereign-cloud tenants and excluded offers do not count', () => {
    const snap = snapshot({
      trackOverrides: { infrastructure: 'enterprise' },
      customers: [{ tenantId: 'cn', cloud: 'sovereign' }],
      associations: [assoc('PAL', 'cn'), assoc('PAL', 'trial')],
      telemetry: [row('cn', '2026-02', 'azure', 'Storage', 'PAL', { acrUsd: 9000 }), row('trial', '2026-02', 'azure', 'Storage', 'PAL', { acrUsd: 9000, offer: 'trial' })],
    });
    const text = lines(metric(area(snap, 'infrastructure', D), 'net-customer-adds')).join('\n');
    expect(text).toMatch(/tenant cn\|tenant is in a sovereign cloud/);
    expect(text).toMatch(/tenant trial\|trial offers are excluded/);
  });
});

describe('Business Applications', () => {
  it('counts net adds per workload and tenant, at 1,500 USD (Enterprise) and 250 USD (SMB)', () => {
    const telemetry = [
      row('t1', '2026-02', 'dynamics-365', 'Sales', 'CSP', { revenueUsd: 1600 }),
      row('t1', '2026-02', 'dynamics-365', 'Customer Service', 'CSP', { revenueUsd: 300 }),
      row('t1', '2026-02', 'power-platform', 'Power Apps', 'CSP', { revenueUsd: 1500 }),
      row('t2', '2026-02', 'dynamics-365', 'Sales', 'DPOR', { revenueUsd: 1600 }),
      row('t2', '2025-02', 'dynamics-365', 'Sales', 'DPOR', { revenueUsd: 1600 }),
    ];
    const associations = [assoc('CSP', 't1'), assoc('DPOR', 't2')];
    const ent = metric(area(snapshot({ trackOverrides: { 'business-applications': 'enterprise' }, associations, telemetry }), 'business-applications', D), 'net-customer-adds');
    expect(ent.units).toBe(2); // t1 Sales + t1 Power Apps; t2 Sales existed a year ago
    expect(ent.points).toBe(6);
    const smb = metric(area(snapshot({ trackOverrides: { 'business-applications': 'smb' }, associations, telemetry }), 'business-applications', D), 'net-customer-adds');
    expect(smb.units).toBe(3);
  });
  it('classifies Enterprise with five workloads earning more than 5,000 USD in a tenant in both months', () => {
    const workloads = ['Sales', 'Customer Service', 'Finance', 'Field Service', 'Business Central'];
    const telemetry = workloads.flatMap((w) => [
      row('t1', '2026-02', 'dynamics-365', w, 'CSP', { revenueUsd: 6000 }),
      row('t1', '2025-02', 'dynamics-365', w, 'CSP', { revenueUsd: 6000 }),
    ]);
    const five = area(snapshot({ associations: [assoc('CSP', 't1')], telemetry }), 'business-applications', D);
    expect(five.track).toBe('enterprise');
    const four = area(snapshot({ associations: [assoc('CSP', 't1')], telemetry: telemetry.slice(2) }), 'business-applications', D);
    expect(four.track).toBe('smb');
    expect(four.trackReason).toMatch(/4 workloads .* Enterprise needs 5/);
  });
});

describe('Azure track classification (2026)', () => {
  const customers = (smb: number, ent: number) => [
    ...Array.from({ length: smb }, (_, i) => ({ tenantId: `s${i}`, segment: 'smb' as const })),
    ...Array.from({ length: ent }, (_, i) => ({ tenantId: `e${i}`, segment: 'enterprise' as const })),
  ];
  const build = (smb: number, ent: number) => {
    const cs = customers(smb, ent);
    return snapshot({ customers: cs, associations: cs.map((c) => assoc('PAL', c.tenantId)), telemetry: cs.map((c) => row(c.tenantId, '2026-02', 'azure', 'Storage', 'PAL', { acrUsd: 100 })) });
  };
  it('SMB when 80% or more of customers with consumption last month are SMB', () => {
    expect(area(build(8, 2), 'data-ai', D).track).toBe('smb');
    expect(area(build(7, 2), 'data-ai', D).track).toBe('enterprise');
  });
  it('the azureSmbRule setting adds the community reading (under USD 1M ACR)', () => {
    const cs = customers(1, 0);
    const big = snapshot({ customers: cs, associations: [assoc('PAL', 's0')], telemetry: [row('s0', '2026-02', 'azure', 'Storage', 'PAL', { acrUsd: 2_000_000 })] });
    expect(area(big, 'data-ai', D).track).toBe('smb');
    expect(area(big, 'data-ai', D, { settings: { azureSmbRule: 'customer-share-and-acr' } }).track).toBe('enterprise');
  });
});

describe('Modern Work and Security compute both tracks and take the higher total', () => {
  it('uses the track with the higher area total, not the best metric of each', () => {
    const snap = snapshot({ professionals: [person(['microsoft-365-enterprise-administrator-expert'])] });
    const a = area(snap, 'modern-work', D);
    // one advanced person: Enterprise 7.5 (of 2), SMB 15 (of 1)
    expect(trackMetric(a, 'enterprise', 'advanced-certifications').points).toBe(7.5);
    expect(trackMetric(a, 'smb', 'advanced-certifications').points).toBe(15);
    expect(a.track).toBe('smb');
    expect(a.total).toBe(15);
  });
  it('Security sums Azure and Microsoft 365 net adds and caps at the maximum', () => {
    const n = 12;
    const telemetry = Array.from({ length: n }, (_, i) => [
      row(`a${i}`, '2026-01', 'azure', 'Sentinel', 'PAL', { acrUsd: 700 }),
      row(`m${i}`, '2026-02', 'microsoft-365', 'Intune', 'CPOR', { paidSeats: 400 }),
    ]).flat();
    const associations = Array.from({ length: n }, (_, i) => [assoc('PAL', `a${i}`), assoc('CPOR', `m${i}`)]).flat();
    const m = trackMetric(area(snapshot({ associations, telemetry }), 'security', D), 'enterprise', 'net-customer-adds');
    expect(m.units).toBe(24);
    expect(m.points).toBe(20);
    const few = snapshot({ associations: [assoc('PAL', 'a0'), assoc('CPOR', 'm0')], telemetry: telemetry.slice(0, 2) });
    expect(trackMetric(area(few, 'security', D), 'enterprise', 'net-customer-adds').points).toBe(4);
  });
  it('Modern Work usage growth gives no credit for growth before the association', () => {
    const telemetry = [
      row('t', '2025-02', 'microsoft-365', 'Teams', 'CPOR', { paidSeats: 1000, activeUsers: 100 }),
      row('t', '2025-08', 'microsoft-365', 'Teams', 'CPOR', { paidSeats: 1000, activeUsers: 600 }),
      row('t', '2026-02', 'microsoft-365', 'Teams', 'CPOR', { paidSeats: 1000, activeUsers: 700 }),
    ];
    const since = snapshot({ associations: [assoc('CPOR', 't', { startDate: '2025-08-10' })], telemetry });
    const m = trackMetric(area(since, 'modern-work', D), 'enterprise', 'usage-growth');
    expect(m.units).toBe(100);
    expect(lines(m).join('\n')).toMatch(/600 active users in 2025-08 \(association month: earlier growth is not credited\)/);
  });
});

describe('designation', () => {
  it('qualifies with at least 70 points and points in every metric', () => {
    const a = area(qualifying(), 'infrastructure', D);
    // 30 + 8 + 4 + 20 + 8
    expect(a.total).toBe(70);
    expect(a.qualifiesToday).toBe(true);
    expect(a.status).toBe('qualified');
    expect(a.gap).toBeUndefined();
  });
  it('85 points with a zero metric does not qualify, and the gap names the metric', () => {
    const snap = qualifying();
    snap.professionals = snap.professionals.filter((p) => !p.certifications.some((c) => c.certificationId === 'azure-virtual-desktop-specialty'));
    snap.professionals.push(...people(5, ['azure-network-engineer-associate']));
    const a = area(snap, 'infrastructure', D);
    expect(metric(a, 'advanced-certifications').points).toBe(0);
    expect(a.qualifiesToday).toBe(false);
    expect(a.status).toBe('in-progress');
    expect(a.zeroMetrics).toEqual(['advanced-certifications']);
    expect(a.gap?.steps[0]).toMatchObject({ metricId: 'advanced-certifications', add: 1 });
    expect(a.gap?.reachable).toBe(true);
  });
  it('the gte1 setting (QUALIFY_METRIC_TEST) rejects a metric below one point', () => {
    const snap = qualifying();
    const mw = snapshot({
      associations: [assoc('CPOR', 'm')],
      telemetry: [row('m', '2025-02', 'microsoft-365', 'Teams', 'CPOR', { paidSeats: 400, activeUsers: 100 }), row('m', '2026-02', 'microsoft-365', 'Teams', 'CPOR', { paidSeats: 400, activeUsers: 110 })],
    });
    const gt0 = trackMetric(area(mw, 'modern-work', D), 'enterprise', 'usage-growth');
    expect(gt0.points).toBeCloseTo(0.3, 9);
    expect(area(mw, 'modern-work', D).zeroMetrics).not.toContain('usage-growth');
    expect(area(mw, 'modern-work', D, { settings: { qualifyMetricTest: 'gte1' } }).zeroMetrics).toContain('usage-growth');
    expect(area(snap, 'infrastructure', D, { settings: { qualifyMetricTest: 'gte1' } }).qualifiesToday).toBe(true);
  });
  it('an enrolled area reports enrolled, and renewal due in the anniversary month and the five before', () => {
    const snap = qualifying();
    snap.enrollments = [{ area: 'infrastructure', enrolledOn: '2025-06-15', anniversaryDate: '2026-10-15' }];
    expect(area(snap, 'infrastructure', D).status).toBe('enrolled');
    expect(area(snap, 'infrastructure', '2026-05-02').status).toBe('enrolled-renewal-due');
  });
  it('the qualification window reports whether the area qualified on any day of it', () => {
    const snap = qualifying();
    // The architect certifications lapse on 2026-03-20: the gates close and the area stops qualifying.
    for (const p of snap.professionals) for (const c of p.certifications) c.expiresOn = '2026-03-20';
    const [w] = scoreQualificationWindow(snap, { date: '2026-04-05', areas: ['infrastructure'] });
    expect(w!.window).toEqual({ start: '2025-11-01', end: '2026-04-05', kind: 'new' });
    expect(w!.qualifiedOnAnyDay).toBe(true);
    expect(w!.lastQualifiedOn).toBe('2026-03-20');
    expect(w!.days.find((d) => d.date === '2026-03-21')?.qualified).toBe(false);
    expect(w!.days).toHaveLength(156);
  });
  it('an area below 70 that qualified on a day of its window is eligible to enrol, until the window leaves that day', () => {
    const snap = qualifying();
    for (const p of snap.professionals) for (const c of p.certifications) c.expiresOn = '2026-03-20';
    const [w] = scoreQualificationWindow(snap, { date: '2026-04-05', areas: ['infrastructure'] });
    const today = area(snap, 'infrastructure', '2026-04-05');
    expect(today.status).toBe('in-progress');
    expect(withEligibility(today, w!.lastQualifiedOn, '2026-04-05')).toMatchObject({ status: 'eligible-to-enroll', eligibility: { qualifiedOn: '2026-03-20', eligibleUntil: '2026-08-31' } });
    expect(withEligibility(area(snap, 'infrastructure', '2026-08-31'), '2026-03-20', '2026-08-31').status).toBe('eligible-to-enroll');
    expect(withEligibility(area(snap, 'infrastructure', '2026-09-01'), '2026-03-20', '2026-09-01').status).toBe('in-progress');
    // Qualified and enrolled areas keep their own status.
    const ok = area(qualifying(), 'infrastructure', D);
    expect(withEligibility(ok, '2026-03-01', D).status).toBe('qualified');
  });
});

describe('the gap when no plan exists', () => {
  it('says which metric cannot be raised by additions and why, and gives no steps', () => {
    const a = area(snapshot({ trackOverrides: { infrastructure: 'enterprise' } }), 'infrastructure', D);
    const gap = a.gap!;
    expect(gap.qualifies).toBe(false);
    expect(gap.zeroMetrics).toHaveLength(5);
    expect(gap.reachable).toBe(false);
    expect(gap.steps).toEqual([]);
    expect(gap.notes.join(' ')).toMatch(/Usage growth: the baseline .* below the minimum/);
    expect(gap.notes.join(' ')).toMatch(/no plan within the caps: .* Usage growth still has no points/);
  });
});

describe('snapshot validation', () => {
  it('names the field and the reason', () => {
    try {
      parseSnapshot({ partnerId: 'p', telemetry: [{ tenantId: 't', month: '2026-13', platform: 'azure', workload: 'x', associationType: 'PAL' }] });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SnapshotError);
      expect((e as SnapshotError).issues).toContainEqual({ path: 'telemetry[0].month', message: 'must be a month YYYY-MM' });
    }
    expect(() => parseSnapshot({ partnerId: 'p', associations: [{ id: 'a', type: 'CPOR', tenantId: 't', startDate: '2026-01-01' }] })).toThrow(/associations\[0\]\.role: a CPOR association needs its partner role/);
    expect(() => parseSnapshot({ partnerId: 'p', professionals: [{ id: 'x', linked: true, certifications: [{ certificationId: 'c', earnedOn: '2026-02-30' }] }] })).toThrow(/professionals\[0\]\.certifications\[0\]\.earnedOn: must be a real calendar date/);
  });
  it('scorePartner returns the six areas in order, and rejects a malformed date', () => {
    const r = scorePartner(snapshot({}), { date: D });
    expect(r.areas.map((a) => a.area)).toEqual(['data-ai', 'infrastructure', 'digital-app-innovation', 'business-applications', 'modern-work', 'security']);
    expect(r.areas.every((a) => a.status === 'not-started')).toBe(true);
    expect(() => scorePartner(snapshot({}), { date: '2026-3-1' })).toThrow(/YYYY-MM-DD/);
  });
});
