import { describe, expect, it } from 'vitest';
import { applyChanges, simulationRequestSchema } from '../../shared/simulation/changes';
import { parseSnapshot } from '../../shared/scoring';
import { zodDetails } from '../../shared/lib/validation';

const base = parseSnapshot({
  partnerId: 'p',
  customers: [{ tenantId: 't1' }],
  associations: [{ id: 'a1', type: 'PAL', tenantId: 't1', startDate: '2025-01-01' }],
  professionals: [{ id: 'u1', linked: true, certifications: [{ certificationId: 'AZ-104', earnedOn: '2026-01-01' }] }],
  telemetry: [{ tenantId: 't1', month: '2026-10', platform: 'azure', workload: 'Storage', associationType: 'PAL', acrUsd: 10 }],
});

describe('simulation changes', () => {
  it('applies additions and removals to a copy, never to the stored snapshot', () => {
    const { snapshot, problems } = applyChanges(base, [
      { op: 'add-customer', customer: { tenantId: 't2', cloud: 'commercial' } },
      { op: 'add-certification', professionalId: 'u1', certification: { certificationId: 'AZ-305', earnedOn: '2026-02-01' } },
      { op: 'remove-customer', tenantId: 't1' },
    ]);
    expect(problems).toEqual([]);
    expect(snapshot.customers.map((c) => c.tenantId)).toEqual(['t2']);
    // A customer that leaves takes its associations and usage with it.
    expect(snapshot.associations).toEqual([]);
    expect(snapshot.telemetry).toEqual([]);
    expect(snapshot.professionals[0]!.certifications).toHaveLength(2);
    expect(base.customers).toHaveLength(1);
    expect(base.professionals[0]!.certifications).toHaveLength(1);
  });

  it('names each change that does not fit the state, by index and field', () => {
    const { problems } = applyChanges(base, [
      { op: 'remove-association', id: 'a1' },
      { op: 'remove-association', id: 'a1' },
      { op: 'add-professional', professional: { id: 'u1', linked: true, certifications: [] } },
      { op: 'remove-certification', professionalId: 'u1', certificationId: 'SC-100' },
      { op: 'remove-telemetry', tenantId: 't9' },
    ]);
    expect(problems.map((p) => p.path)).toEqual(['changes[1].id', 'changes[2].professional.id', 'changes[3].certificationId', 'changes[4].tenantId']);
    expect(problems[0]!.message).toBe('remove-association: no association a1');
  });

  it('rejects a malformed change with the path of the failing field', () => {
    const r = simulationRequestSchema.safeParse({ changes: [{ op: 'add-customer', customer: { tenantId: 'x' } }, { op: 'add-telemetry', rows: [{ tenantId: 't', month: '2026-13' }] }] });
    expect(r.success).toBe(false);
    const paths = zodDetails(r.error!).map((d) => d.path);
    expect(paths.every((p) => p.startsWith('changes[1].rows[0]'))).toBe(true);
    expect(paths).toContain('changes[1].rows[0].month');
    const extra = simulationRequestSchema.safeParse({ changes: [], surprise: 1 });
    expect(extra.success).toBe(false);
  });
});
