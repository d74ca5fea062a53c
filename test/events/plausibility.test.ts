import { describe, expect, it } from 'vitest';
import { validateDelivery } from '../../shared/events/validate';

/** Values that cannot be true are refused naming the field; unusual ones are accepted with a warning (issue 15, item 3). */
const now = new Date('2026-12-02T10:00:00Z');
const limits = { now, futureToleranceSeconds: 86_400, maxSeatCount: 1_000_000 };
const telemetry = (data: Record<string, unknown>) => ({
  id: `t-${JSON.stringify(data)}`,
  type: 'telemetry.monthly',
  partnerId: 'p1',
  occurredAt: '2026-12-01T00:00:00Z',
  data: { month: '2026-10', tenantId: 't1', platform: 'azure', workload: 'virtual-machines', associationType: 'PAL', acrUsd: 100, ...data },
});
const cert = (type: string, data: Record<string, unknown>) => ({ id: `c-${JSON.stringify(data)}`, type, partnerId: 'p1', occurredAt: '2026-12-01T00:00:00Z', data: { learnProfileId: 'lp', certificationId: 'AZ-104', ...data } });
const problems = (body: unknown) => {
  const r = validateDelivery(body, limits);
  return r.ok ? [] : r.details.map((d) => d.path);
};
const warnings = (body: unknown) => {
  const r = validateDelivery(body, limits);
  if (!r.ok) throw new Error(`refused: ${JSON.stringify(r.details)}`);
  return r.warnings.map((w) => w.path);
};

describe('impossible values are refused, naming the field', () => {
  it('a month before 2015 or one that has not begun', () => {
    expect(problems(telemetry({ month: '2014-12' }))).toEqual(['data.month']);
    expect(problems(telemetry({ month: '2027-01' }))).toEqual(['data.month']);
    expect(problems(telemetry({ month: '2026-12' }))).toEqual([]);
    expect(problems(telemetry({ month: '2015-01' }))).toEqual([]);
  });

  it('negative, fractional or absurd seat counts, and negative money', () => {
    expect(problems(telemetry({ paidSeats: -1 }))).toEqual(['data.paidSeats']);
    expect(problems(telemetry({ activeUsers: 2.5 }))).toEqual(['data.activeUsers']);
    expect(problems(telemetry({ protectedUsers: 1_000_001 }))).toEqual(['data.protectedUsers']);
    expect(problems(telemetry({ mcvUnits: 5_000_000 }))).toEqual(['data.mcvUnits']);
    expect(problems(telemetry({ acrUsd: -0.01 }))).toEqual(['data.acrUsd']);
    expect(problems(telemetry({ paidSeats: 1_000_000 }))).toEqual([]);
  });

  it('a number JSON turns into infinity (1e400) is refused, not stored as null', () => {
    const r = validateDelivery(JSON.parse(JSON.stringify(telemetry({})).replace('"acrUsd":100', '"acrUsd":1e400')), limits);
    expect(r).toMatchObject({ ok: false, details: [{ path: 'data.acrUsd' }] });
  });

  it('a date that does not exist, a certification earned in the future or before 2015, an expiry before the earning', () => {
    expect(problems(cert('certification.earned', { earnedOn: '2026-02-30' }))).toEqual(['data.earnedOn']);
    expect(problems(cert('certification.earned', { earnedOn: '2026-12-10' }))).toEqual(['data.earnedOn']);
    expect(problems(cert('certification.earned', { earnedOn: '2014-06-01' }))).toEqual(['data.earnedOn']);
    expect(problems(cert('certification.earned', { earnedOn: '2026-06-01', expiresOn: '2026-05-01' }))).toEqual(['data.expiresOn']);
    expect(problems(cert('certification.renewed', { renewedOn: '2027-01-01' }))).toEqual(['data.renewedOn']);
    expect(problems(cert('certification.expired', { expiredOn: '2030-01-01' }))).toEqual(['data.expiredOn']);
    // A day ahead is a sender's clock running fast, as for occurredAt.
    expect(problems(cert('certification.earned', { earnedOn: '2026-12-03' }))).toEqual([]);
  });

  it('a designation enrolled, renewed or lost in the future', () => {
    const designation = (type: string, data: Record<string, unknown>) => ({ id: `d-${type}`, type, partnerId: 'p1', occurredAt: '2026-12-01T00:00:00Z', data: { area: 'security', ...data } });
    expect(problems(designation('designation.enrolled', { enrolledOn: '2027-01-05', anniversaryDate: '2028-01-05' }))).toEqual(['data.enrolledOn']);
    expect(problems(designation('designation.renewed', { renewedOn: '2026-12-20', anniversaryDate: '2027-12-20' }))).toEqual(['data.renewedOn']);
    expect(problems(designation('designation.lost', { lostOn: '2026-12-31' }))).toEqual(['data.lostOn']);
    expect(problems(designation('designation.enrolled', { enrolledOn: '2026-03-01', anniversaryDate: '2027-03-01' }))).toEqual([]);
    expect(warnings(designation('designation.enrolled', { enrolledOn: '2026-03-01', anniversaryDate: '2027-09-01' }))).toEqual(['data.anniversaryDate']);
  });

  it('names the field inside a batch, and refuses the whole delivery', () => {
    const r = validateDelivery({ events: [telemetry({}), telemetry({ month: '2031-01' })] }, limits);
    expect(r).toMatchObject({ ok: false, kind: 'invalid', details: [{ path: 'events[1].data.month', message: expect.stringMatching(/has not started yet/) }] });
  });
});

describe('unusual but possible values are accepted with a warning', () => {
  it('more active users than paid seats, a very large month, a month too old to count today, a long expiry', () => {
    expect(warnings(telemetry({ paidSeats: 10, activeUsers: 12 }))).toEqual(['data.activeUsers']);
    expect(warnings(telemetry({ acrUsd: 25_000_000 }))).toEqual(['data.acrUsd']);
    expect(warnings(telemetry({ month: '2019-03' }))).toEqual(['data.month']);
    expect(warnings(cert('certification.earned', { earnedOn: '2026-01-01', expiresOn: '2030-01-01' }))).toEqual(['data.expiresOn']);
    expect(warnings({ events: [telemetry({}), telemetry({ paidSeats: 1, activeUsers: 2 })] })).toEqual(['events[1].data.activeUsers']);
    expect(warnings(telemetry({ paidSeats: 10, activeUsers: 10 }))).toEqual([]);
  });
});
