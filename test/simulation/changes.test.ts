import { describe, expect, it } from 'vitest';
import { applyChanges, resolveCertificationNames, simulationRequestSchema } from '../../shared/simulation/changes';
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

describe('simulation changes in the vocabulary of the profile events', () => {
  const parseChanges = (changes: unknown[]) => {
    const r = simulationRequestSchema.safeParse({ changes });
    if (!r.success) throw new Error(JSON.stringify(zodDetails(r.error)));
    return r.data.changes;
  };

  it("sets a customer's segment and cloud, adding the customer when unknown", () => {
    const { snapshot, problems } = applyChanges(base, parseChanges([
      { op: 'update-customer', tenantId: 't1', segment: 'smb' },
      { op: 'update-customer', tenantId: 't2', cloud: 'government', segment: 'enterprise' },
    ]));
    expect(problems).toEqual([]);
    expect(snapshot.customers).toEqual([{ tenantId: 't1', segment: 'smb', cloud: 'commercial' }, { tenantId: 't2', segment: 'enterprise', cloud: 'government' }]);
    expect(base.customers).toEqual([{ tenantId: 't1', cloud: 'commercial' }]);
    const bad = simulationRequestSchema.safeParse({ changes: [{ op: 'update-customer', tenantId: 't1' }, { op: 'update-customer', tenantId: 't1', segment: 'mid' }] });
    expect(bad.success ? [] : zodDetails(bad.error).map((d) => d.path)).toEqual(['changes[0]', 'changes[1].segment']);
  });

  it('enrols, renews and ends an enrolment, and classifies a track', () => {
    const { snapshot, problems } = applyChanges(base, parseChanges([
      { op: 'enroll', area: 'infrastructure', enrolledOn: '2026-01-01', anniversaryDate: '2027-01-01' },
      { op: 'renew', area: 'infrastructure', anniversaryDate: '2028-01-01' },
      { op: 'enroll', area: 'security', enrolledOn: '2026-01-01', anniversaryDate: '2027-01-01' },
      { op: 'remove-enrollment', area: 'security' },
      { op: 'classify-track', area: 'data-ai', track: 'smb', classifiedOn: '2026-11-03' },
    ]));
    expect(problems).toEqual([]);
    expect(snapshot.enrollments).toEqual([{ area: 'infrastructure', enrolledOn: '2026-01-01', anniversaryDate: '2028-01-01' }]);
    expect(snapshot).toMatchObject({ trackOverrides: { 'data-ai': 'smb' }, trackClassifiedOn: { 'data-ai': '2026-11-03' } });
    const back = applyChanges(snapshot, parseChanges([{ op: 'classify-track', area: 'data-ai', track: null }]));
    expect(back.snapshot.trackOverrides).toBeUndefined();
    expect(applyChanges(base, parseChanges([{ op: 'renew', area: 'security', anniversaryDate: '2027-01-01' }])).problems).toEqual([{ path: 'changes[0].area', message: 'renew: the partner is not enrolled in security; enroll first' }]);
    expect(simulationRequestSchema.safeParse({ changes: [{ op: 'classify-track', area: 'security', track: 'smb' }] }).success).toBe(false);
  });

  it('adds a person whose certifications are named by exam code or Learn name; an unknown name is refused with suggestions', () => {
    const named = resolveCertificationNames(parseChanges([
      { op: 'add-person', id: 'ada', certifications: [{ certification: 'AZ-104' }, { certification: 'Microsoft Certified: Azure Solutions Architect Expert', earnedOn: '2026-02-01' }] },
      { op: 'add-certification', professionalId: 'u1', certification: { certificationId: 'az-305', earnedOn: '2026-02-01' } },
    ]));
    expect(named.unresolved).toEqual([]);
    const { snapshot, problems } = applyChanges(base, named.changes, { date: '2026-11-10' });
    expect(problems).toEqual([]);
    expect(snapshot.professionals.find((p) => p.id === 'ada')).toEqual({
      id: 'ada',
      linked: true,
      certifications: [
        { certificationId: 'azure-administrator-associate', earnedOn: '2026-11-10' },
        { certificationId: 'azure-solutions-architect-expert', earnedOn: '2026-02-01' },
      ],
    });
    expect(snapshot.professionals[0]!.certifications.map((c) => c.certificationId)).toEqual(['AZ-104', 'azure-solutions-architect-expert']);

    const unknown = resolveCertificationNames(parseChanges([{ op: 'add-person', certifications: [{ certification: 'AZ-9999' }] }, { op: 'add-certification', professionalId: 'u1', certification: { certificationId: 'Azure Admin Associate', earnedOn: '2026-02-01' } }]));
    expect(unknown.unresolved.map((u) => u.path)).toEqual(['changes[0].certifications[0].certification', 'changes[1].certification.certificationId']);
    expect(unknown.unresolved[0]!.message).toMatch(/^"AZ-9999" is not a certification .*closest: /);
    expect(unknown.unresolved[1]!.suggestions[0]).toBe('azure-administrator-associate');
  });
});
