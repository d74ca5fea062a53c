import { describe, expect, it } from 'vitest';
import { area, assoc, lines, metric, people, row, snapshot, trackMetric } from './helpers';

/** Each explanation line is true and names the condition that actually failed (issue 14, defect 6). */
describe('explanations that do not mislead', () => {
  const D = '2026-03-10';

  it('people who earn nothing because a step is not met are not shown as counted, nor in the units', () => {
    // Data & AI Enterprise: the first step needs two administrators; there is none, so the five DBAs earn nothing.
    const snap = snapshot({ trackOverrides: { 'data-ai': 'enterprise' }, professionals: people(5, ['azure-database-administrator-associate']) });
    const m = metric(area(snap, 'data-ai', D), 'intermediate-certifications');
    expect(m.points).toBe(0);
    expect(m.units).toBe(0);
    const people5 = m.explanation.filter((l) => l.subject.startsWith('person '));
    expect(people5).toHaveLength(5);
    for (const l of people5) {
      expect(l.kind).toBe('not-counted');
      expect(l.reason).toMatch(/^holds Azure Database Administrator Associate, which earns nothing until every step above is met$/);
    }
  });

  it('people earning once the steps are met are counted, and in the units', () => {
    const snap = snapshot({ trackOverrides: { 'data-ai': 'smb' }, professionals: [...people(1, ['azure-administrator-associate', 'azure-solutions-architect-expert']), ...people(2, ['azure-database-administrator-associate'])] });
    const m = metric(area(snap, 'data-ai', D), 'intermediate-certifications');
    expect(m.units).toBe(2);
    expect(m.explanation.filter((l) => l.kind === 'counted' && l.subject.startsWith('person '))).toHaveLength(2);
  });

  it('a Business Central row counted for MCV is not listed as outside the rate card', () => {
    const snap = snapshot({
      associations: [assoc('DPOR', 'bc'), assoc('PAL', 'bc')],
      telemetry: [
        row('bc', '2025-02', 'dynamics-365', 'Business Central', 'DPOR', { mcvUnits: 30 }),
        row('bc', '2026-02', 'dynamics-365', 'Business Central', 'DPOR', { mcvUnits: 40 }),
        row('bc', '2026-02', 'dynamics-365', 'Contoso Custom App', 'DPOR', { mcvUnits: 10 }),
      ],
    });
    const growth = metric(area(snap, 'business-applications', D), 'usage-growth');
    const text = lines(growth).join('\n');
    expect(text).toMatch(/tenant bc/);
    expect(text).not.toMatch(/not in the rate card or not eligible here: .*Business Central/);
    expect(text).toMatch(/not in the rate card or not eligible here: Contoso Custom App/);
  });

  it('a Modern Work deployment that has the seats but not the active share says the share failed, not the seats', () => {
    const snap = snapshot({
      associations: [assoc('CPOR', 'mw', { startDate: '2020-01-01' })],
      telemetry: [row('mw', '2026-02', 'microsoft-365', 'Teams', 'CPOR', { paidSeats: 400, activeUsers: 40 })],
    });
    const dep = trackMetric(area(snap, 'modern-work', D), 'enterprise', 'deployments');
    const line = dep.explanation.find((l) => l.kind === 'not-counted' && /tenant mw/.test(l.subject))!;
    expect(line.reason).toMatch(/paid seats on one workload 400 in 2026-02 meet more than 300, but only 10% of them are active \(needs at least 40%\)/);
    // Seats below the test are still named as the failing condition.
    const few = snapshot({ associations: [assoc('CPOR', 'mw')], telemetry: [row('mw', '2026-02', 'microsoft-365', 'Teams', 'CPOR', { paidSeats: 200, activeUsers: 150 })] });
    const fewLine = trackMetric(area(few, 'modern-work', D), 'enterprise', 'deployments').explanation.find((l) => l.kind === 'not-counted' && /tenant mw/.test(l.subject))!;
    expect(fewLine.reason).toMatch(/200 in 2026-02 does not meet more than 300/);
  });
});
