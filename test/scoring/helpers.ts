import type { AreaId, AreaScore, AssociationType, CporRole, MetricId, MetricScore, PartnerSnapshotInput, Platform, Professional, ScoringSettingsInput } from '../../shared/scoring';
import { parseSnapshot, scoreArea } from '../../shared/scoring';

/** Builders that keep the worked examples readable: people with certifications, tenants with monthly usage. */

export type Row = NonNullable<PartnerSnapshotInput['telemetry']>[number];
export type Assoc = NonNullable<PartnerSnapshotInput['associations']>[number];
/** Fully populated (the parsed shape), so it fits both a snapshot being built and a parsed one. */
export type Person = Professional;

let seq = 0;

export function person(certs: string[], opts: { earnedOn?: string; linked?: boolean; id?: string } = {}): Person {
  const id = opts.id ?? `p${++seq}`;
  return {
    id,
    name: id,
    linked: opts.linked ?? true,
    certifications: certs.map((c) => ({ certificationId: c, earnedOn: opts.earnedOn ?? '2023-03-01', expiresOn: '2027-09-01' })),
  };
}

/** n people holding the same certifications. */
export function people(n: number, certs: string[], prefix = 'x'): Person[] {
  return Array.from({ length: n }, () => person(certs, { id: `${prefix}${++seq}` }));
}

export function assoc(type: AssociationType, tenantId: string, extra: Partial<Assoc> = {}): Assoc {
  return { id: `a${++seq}`, type, tenantId, startDate: '2020-01-01', ...(type === 'CPOR' && !extra.role ? { role: 'use-or-consume' as CporRole } : {}), ...extra };
}

export function row(tenantId: string, month: string, platform: Platform, workload: string, associationType: AssociationType, measures: Partial<Row>): Row {
  return { tenantId, month, platform, workload, associationType, ...measures };
}

export function snapshot(parts: Partial<PartnerSnapshotInput>): ReturnType<typeof parseSnapshot> {
  return parseSnapshot({ partnerId: 'test-partner', ...parts });
}

export function area(snap: PartnerSnapshotInput, id: AreaId, date: string, opts: { ruleVersion?: string; settings?: ScoringSettingsInput } = {}): AreaScore {
  return scoreArea(snap, id, { date, ...opts });
}

export function metric(a: AreaScore | { metrics: MetricScore[] }, id: MetricId): MetricScore {
  const m = a.metrics.find((x) => x.id === id);
  if (!m) throw new Error(`metric ${id} not in area`);
  return m;
}

export function trackMetric(a: AreaScore, track: 'enterprise' | 'smb', id: MetricId): MetricScore {
  const t = a.tracks?.find((x) => x.track === track);
  if (!t) throw new Error(`track ${track} not computed`);
  return metric(t, id);
}

export function lines(m: MetricScore): string[] {
  return m.explanation.map((l) => `${l.kind}|${l.subject}|${l.reason}`);
}

/** Infrastructure (Enterprise) at exactly 70 on 2026-03-10: three PAL customers, five certified people. */
export function qualifyingInfrastructure(): ReturnType<typeof parseSnapshot> {
  const tenants = ['a', 'b', 'c'];
  return snapshot({
    trackOverrides: { infrastructure: 'enterprise' },
    associations: tenants.map((t) => assoc('PAL', t)),
    telemetry: tenants.flatMap((t, i) => [
      row(t, '2026-02', 'azure', ['Storage', 'App Service', 'Key Vault'][i]!, 'PAL', { acrUsd: 3000 }),
      row(t, '2026-02', 'azure', 'Azure Monitor', 'PAL', { acrUsd: 1000 }),
      row(t, '2025-02', 'azure', 'Azure Monitor', 'PAL', { acrUsd: 800 }),
    ]),
    professionals: [...people(2, ['azure-administrator-associate', 'azure-solutions-architect-expert']), ...people(2, ['azure-network-engineer-associate']), ...people(1, ['azure-virtual-desktop-specialty'])],
  });
}
