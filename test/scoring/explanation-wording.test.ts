import { describe, expect, it } from 'vitest';
import { area, assoc, lines, metric, people, row, snapshot } from './helpers';

/** Every line of an explanation and every gap step is true English with the names partners know. */
describe('explanation wording', () => {
  const months = ['2025-10', '2025-11', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11'];
  const usage = (tenant: string, workload: string, acrUsd: number, from = 0) => months.slice(from).map((m) => row(tenant, m, 'azure', workload, 'PAL', { acrUsd }));

  it('names Azure services as the telemetry spells them, not by their internal key', () => {
    const snap = snapshot({ associations: [assoc('PAL', 't1')], telemetry: [...usage('t1', 'Azure SQL Database', 900), ...usage('t1', 'Virtual Machines', 900)] });
    const text = lines(metric(area(snap, 'infrastructure', '2026-12-01'), 'deployments')).join('\n');
    expect(text).toMatch(/service Azure SQL Database/);
    expect(text).not.toMatch(/azure-sql-database/);
    expect(text).toMatch(/1 Azure service deployed;/);
  });

  it('says "1 net new customer" and "add 2 people"', () => {
    const snap = snapshot({ associations: [assoc('PAL', 'old'), assoc('PAL', 'new')], telemetry: [...usage('old', 'Storage', 2000), ...usage('new', 'Storage', 2000, 2)] });
    const infra = area(snap, 'infrastructure', '2026-12-01');
    expect(lines(metric(infra, 'net-customer-adds')).join('\n')).toMatch(/= 1 net new customer;/);
    const steps = infra.gap!.steps.map((s) => `${s.add} ${s.what}`);
    for (const s of steps) expect(s).not.toMatch(/^(?:[2-9]|\d{2,}) (?:person|net new customer |Azure service )/);
    expect(steps.some((s) => /^[2-9] people certified in one of/.test(s)) || steps.some((s) => /^1 person certified in one of/.test(s))).toBe(true);
  });

  it('the gap merges additions to one metric into one step, worded for its count', () => {
    const snap = snapshot({ professionals: people(1, ['azure-administrator-associate']) });
    const gap = area(snap, 'infrastructure', '2026-12-01').gap!;
    const perMetric = new Map<string, number>();
    for (const s of gap.steps) if (!/prerequisite/.test(s.what)) perMetric.set(s.metricId, (perMetric.get(s.metricId) ?? 0) + 1);
    for (const n of perMetric.values()) expect(n).toBe(1);
    for (const s of gap.steps) if (s.add > 1) expect(s.what).not.toMatch(/^(person|net new customer |Azure service )/);
  });
});
