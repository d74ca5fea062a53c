import { parseSnapshot, type PartnerSnapshotInput } from '../scoring';
import { emptyAssociations, emptyProfessionals, emptyProfile, emptyTelemetry, telemetryRowKey, type StateDoc } from '../state/documents';
import { partnersContainer, type Usage } from '../state/store';
import { registerPartner } from './directory';

/**
 * Writes a whole partner snapshot as state documents, replacing what was there. For benchmarks and tests that
 * need many partners fast; the product's own way in is the webhook path, which validates every event.
 */
export function snapshotToStateDocs(input: PartnerSnapshotInput, opts: { now?: string; notificationUrl?: string } = {}): StateDoc[] {
  const s = parseSnapshot(input);
  const now = opts.now ?? new Date().toISOString();
  const stamp = { updatedAt: now, lastEventId: 'import' };
  const profile = emptyProfile(s.partnerId, now);
  if (s.name) profile.name = s.name;
  profile.enrollments = s.enrollments;
  if (s.trackOverrides) profile.trackOverrides = s.trackOverrides;
  for (const c of s.customers) profile.customers[c.tenantId] = { ...c, ...stamp };
  if (opts.notificationUrl) profile.notificationUrl = opts.notificationUrl;
  profile.stateVersion = 1;
  const associations = emptyAssociations(s.partnerId);
  for (const a of s.associations) {
    const lifecycle = a.status === 'active' ? 'active' : a.status === 'ended' ? 'ended' : a.status === 'rejected' ? 'rejected' : 'submitted';
    associations.items[a.id] = { ...a, ...stamp, lifecycle, history: [] };
  }
  const professionals = emptyProfessionals(s.partnerId);
  for (const p of s.professionals) {
    const { certifications, ...person } = p;
    professionals.items[p.id] = {
      ...person,
      ...stamp,
      linkHistory: p.linkedOn ? [p.linkedOn] : [],
      certifications: Object.fromEntries(certifications.map((c) => [c.certificationId, { ...c, updatedAt: now }])),
    };
  }
  const months = new Map<string, ReturnType<typeof emptyTelemetry>>();
  for (const r of s.telemetry) {
    let doc = months.get(r.month);
    if (!doc) months.set(r.month, (doc = emptyTelemetry(s.partnerId, r.month)));
    doc.rows[telemetryRowKey(r)] = { ...r, ...stamp };
  }
  profile.telemetryMonths = [...months.keys()].sort();
  return [profile, associations, professionals, ...months.values()];
}

export async function importSnapshotAsState(input: PartnerSnapshotInput, opts: { now?: string; notificationUrl?: string; usage?: Usage } = {}): Promise<void> {
  const container = partnersContainer();
  const docs = snapshotToStateDocs(input, opts);
  // The profile goes last: a partner is listed (and loaded) only once all of its documents are in place.
  const [profile, ...rest] = docs;
  await Promise.all(
    rest.map(async (d) => {
      const res = await container.items.upsert(d);
      opts.usage?.add('write', res.requestCharge);
    }),
  );
  const res = await container.items.upsert(profile!);
  opts.usage?.add('write', res.requestCharge);
  // A bulk import is in the nightly run at once, without waiting for a first recompute.
  await registerPartner(profile!.partnerId, opts.usage);
}

