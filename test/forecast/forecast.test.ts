import { describe, expect, it } from 'vitest';
import { carryTelemetryForward, changeDays, forecastScores } from '../../shared/forecast/forecast';
import { parseSnapshot, scorePartner, type TelemetryRow } from '../../shared/scoring';
import { addDays } from '../../shared/lib/dates';
import { partnerSnapshot } from '../helpers/partner-snapshot';

const DATE = '2026-11-25';
const row = (month: string, tenantId = 't1'): TelemetryRow => ({ tenantId, month, platform: 'azure', workload: 'Storage', associationType: 'PAL', offer: 'standard', acrUsd: 100 });

describe('forecast', () => {
  it('repeats the latest telemetry month up to the month before the horizon', () => {
    const rows = carryTelemetryForward([row('2026-09'), row('2026-10'), row('2026-10', 't2')], '2027-02-01');
    expect(rows.filter((r) => r.month === '2026-11')).toHaveLength(2);
    expect(rows.filter((r) => r.month === '2027-01')).toHaveLength(2);
    expect(rows.some((r) => r.month === '2027-02')).toBe(false);
    expect(carryTelemetryForward([], '2027-01-01')).toEqual([]);
  });

  it('finds the days a score can change: month starts, expiries, association ends', () => {
    const snap = parseSnapshot({
      partnerId: 'p',
      professionals: [{ id: 'a', linked: true, certifications: [{ certificationId: 'AZ-104', earnedOn: '2026-01-10', expiresOn: '2027-01-10' }] }],
      associations: [{ id: 'x', type: 'PAL', tenantId: 't', startDate: '2025-01-01', endDate: '2026-12-15' }],
    });
    const days = changeDays(snap, DATE, '2027-02-28');
    expect(days).toEqual(expect.arrayContaining(['2026-12-01', '2027-01-01', '2027-02-01', '2027-01-11', '2026-12-15']));
    expect(days).toEqual([...days].sort());
    expect(days.every((d) => d > DATE && d <= '2027-02-28')).toBe(true);
  });

  it('projects six month ends and reports each loss on the first day the area stops qualifying', () => {
    let losses = 0;
    for (const seed of [3, 7, 11, 19]) {
      const snap = parseSnapshot(partnerSnapshot(`p${seed}`, DATE, 'medium', seed));
      const f = forecastScores(snap, { date: DATE });
      expect(f.monthEnds.map((m) => m.date)).toEqual(['2026-11-30', '2026-12-31', '2027-01-31', '2027-02-28', '2027-03-31', '2027-04-30']);
      expect(f.losses).toEqual([...f.losses].sort((a, b) => a.lossDate.localeCompare(b.lossDate) || a.area.localeCompare(b.area)));
      const projected = { ...snap, telemetry: carryTelemetryForward(snap.telemetry, '2027-05-01') };
      for (const loss of f.losses) {
        expect(f.today.find((a) => a.area === loss.area)?.qualifies).toBe(true);
        const at = scorePartner(projected, { date: loss.lossDate, includeGap: false }).areas.find((a) => a.area === loss.area)!;
        const dayBefore = scorePartner(projected, { date: addDays(loss.lossDate, -1), includeGap: false }).areas.find((a) => a.area === loss.area)!;
        expect(at.qualifiesToday).toBe(false);
        expect(dayBefore.qualifiesToday).toBe(true);
        expect(loss.reason).toContain('total');
        losses++;
      }
    }
    expect(losses).toBeGreaterThan(0);
  });

  it('with no new telemetry, usage metrics fall away once their window passes the last reported month', () => {
    const snap = parseSnapshot(partnerSnapshot('p', DATE, 'medium', 7));
    const carry = forecastScores(snap, { date: DATE });
    const none = forecastScores(snap, { date: DATE, telemetry: 'none' });
    const lastCarry = carry.monthEnds.at(-1)!.areas.reduce((s, a) => s + a.total, 0);
    const lastNone = none.monthEnds.at(-1)!.areas.reduce((s, a) => s + a.total, 0);
    expect(lastNone).toBeLessThan(lastCarry);
  });
});
