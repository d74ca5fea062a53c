import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, monthIndex, monthLabel, todayUtc } from '../../shared/lib/dates';
import { generateSecret } from '../../shared/lib/signing';
import { eventually, startHostProcess, type HostProcess } from '../helpers/host-process';
import { getJson } from '../helpers/http';
import { uid } from '../helpers/ids';
import { ev, postSigned } from './client';

/**
 * The partner profile events (issue 15, items 1 and 5) through the local host: signed deliveries, the queue worker,
 * the recompute they request, and the score read back. Customers classified SMB by `customer.updated` put an Azure
 * area on the SMB track; `track.classified` wins and says so; an enrolment near its anniversary is
 * `enrolled-renewal-due` until `designation.lost`; and POST /simulate speaks the same vocabulary.
 */
describe('partner profile events', () => {
  let host: HostProcess;
  const secret = generateSecret();
  const partner = uid('p-profile');
  const today = todayUtc();
  const lastMonth = monthLabel(monthIndex(today) - 1);
  const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
  const tenants = ['t-1', 't-2', 't-3'];
  let n = 0;

  beforeAll(async () => {
    host = await startHostProcess({ env: { WEBHOOK_SOURCES: 'crm', WEBHOOK_SECRET_CRM: secret, WEBHOOK_PARTNERS_CRM: '*', RECOMPUTE_COALESCE_SECONDS: '1' } });
  });
  afterAll(async () => {
    if (process.env.DEBUG_HOST) console.log(host?.output());
    await host?.stop();
  });

  /** Sends one signed delivery and waits until its events were applied; returns the delivery's status. */
  async function deliver(events: ReturnType<typeof ev>[]): Promise<{ summary: Record<string, number>; notApplied: { eventId: string; result: string }[] }> {
    const id = `m-${partner}-${++n}`;
    const res = await postSigned(host.url, 'crm', { events }, { secret, id });
    expect(res.status, JSON.stringify(res.json)).toBe(202);
    const status = await eventually(async () => {
      const r = await getJson(`${host.url}/api/webhooks/crm/deliveries/${id}`);
      return r.json.status === 'applied' ? r.json : undefined;
    }, 20_000, `delivery ${id} applied`);
    return status as { summary: Record<string, number>; notApplied: { eventId: string; result: string }[] };
  }

  type Breakdown = { track: string; trackReason: string; status: string; total: number; metrics: { id: string; explanation: { subject: string; reason: string }[] }[] };
  /** Waits for the recompute the last delivery asked for: the infrastructure breakdown once `until` holds. */
  const infrastructureWhen = (until: (b: Breakdown) => boolean, what: string) =>
    eventually(async () => {
      const r = await getJson(`${host.url}/api/partners/${partner}/scores/infrastructure`);
      const b = r.status === 200 ? (r.json.breakdown as Breakdown) : undefined;
      return b && until(b) ? b : undefined;
    }, 30_000, what);

  it('customers classified SMB by customer.updated put Infrastructure on the SMB track', async () => {
    await deliver([
      ...tenants.map((t, i) => ev(`pal-${i}`, 'pal.linked', partner, hoursAgo(24 * 60), { tenantId: t, objectId: `sp-${i}` })),
      ...tenants.map((t, i) => ev(`acr-${i}`, 'telemetry.monthly', partner, hoursAgo(24), { month: lastMonth, tenantId: t, platform: 'azure', workload: 'Storage', associationType: 'PAL', acrUsd: 500 })),
    ]);
    const before = await infrastructureWhen((b) => b.trackReason.includes('without a segment'), 'enterprise track without segments');
    expect(before.track).toBe('enterprise');
    expect(before.trackReason).toContain('3 without a segment counted as not SMB');

    const { summary } = await deliver(tenants.map((t, i) => ev(`seg-${i}`, 'customer.updated', partner, hoursAgo(20), { tenantId: t, segment: 'smb', name: `Customer ${i}` })));
    expect(summary).toEqual({ applied: 3, unchanged: 0, older: 0, refused: 0 });
    const after = await infrastructureWhen((b) => b.track === 'smb', 'SMB track');
    expect(after.trackReason).toMatch(new RegExp(`^3 of 3 customers with consumption in ${lastMonth} are SMB \\(100%`));

    const customers = await getJson(`${host.url}/api/partners/${partner}/customers?segment=smb`);
    expect(customers.status).toBe(200);
    expect((customers.json.items as { tenantId: string; name: string; segment: string; cloud: string }[]).map((c) => [c.tenantId, c.name, c.segment, c.cloud])).toEqual(tenants.map((t, i) => [t, `Customer ${i}`, 'smb', 'commercial']));
    expect((await getJson(`${host.url}/api/partners/${partner}/customers?segment=enterprise`)).json.items).toEqual([]);
    expect((await getJson(`${host.url}/api/partners/${partner}/customers?segment=mid`)).status).toBe(400);
  }, 90_000);

  it('partner.updated sets the name and PartnerID aliases shown by the profile route', async () => {
    await deliver([
      ev('name-2', 'partner.updated', partner, hoursAgo(5), { name: 'Contoso Cloud', partnerIdAliases: ['1234567'] }),
      ev('name-1', 'partner.updated', partner, hoursAgo(6), { name: 'Contoso', locationIds: ['4812346'] }),
    ]);
    const profile = await getJson(`${host.url}/api/partners/${partner}/profile`);
    expect(profile.status).toBe(200);
    expect(profile.json).toEqual({ partnerId: partner, name: 'Contoso Cloud', locationIds: ['4812346'], partnerIdAliases: ['1234567'], enrollments: [], tracks: [], customers: 3 });
    expect((await getJson(`${host.url}/api/partners/nobody-${partner}/profile`)).status).toBe(404);
  }, 60_000);

  it('a track.classified wins over the segments and shows in the explanation; track.unclassified hands it back', async () => {
    const at = hoursAgo(2);
    await deliver([ev('track-1', 'track.classified', partner, at, { area: 'infrastructure', track: 'enterprise' })]);
    const classified = await infrastructureWhen((b) => b.track === 'enterprise', 'classified Enterprise');
    expect(classified.trackReason).toBe(`track Enterprise: classified by Partner Center on ${at.slice(0, 10)}`);
    expect((await getJson(`${host.url}/api/partners/${partner}/profile`)).json.tracks).toEqual([{ area: 'infrastructure', track: 'enterprise', classifiedOn: at.slice(0, 10) }]);

    await deliver([ev('track-2', 'track.unclassified', partner, hoursAgo(1), { area: 'infrastructure' })]);
    expect((await infrastructureWhen((b) => b.track === 'smb', 'back to SMB')).trackReason).toMatch(/^3 of 3 customers/);
    // Redelivered under a new webhook-id, the classification is older than its removal: nothing changes.
    expect((await deliver([ev('track-1', 'track.classified', partner, at, { area: 'infrastructure', track: 'enterprise' })])).summary).toEqual({ applied: 0, unchanged: 1, older: 0, refused: 0 });
    expect((await getJson(`${host.url}/api/partners/${partner}/scores/infrastructure`)).json.breakdown.track).toBe('smb');
  }, 90_000);

  it('designation.enrolled with the anniversary within six months shows enrolled-renewal-due; designation.lost ends it', async () => {
    await deliver([ev('enrol-1', 'designation.enrolled', partner, hoursAgo(3), { area: 'infrastructure', enrolledOn: addDays(today, -200), anniversaryDate: addDays(today, 90) })]);
    const enrolled = await infrastructureWhen((b) => b.status.startsWith('enrolled'), 'enrolled');
    expect(enrolled.status).toBe('enrolled-renewal-due');

    await deliver([ev('lost-1', 'designation.lost', partner, hoursAgo(1), { area: 'infrastructure', lostOn: today })]);
    const lost = await infrastructureWhen((b) => !b.status.startsWith('enrolled'), 'not enrolled');
    expect(['not-started', 'in-progress', 'qualified']).toContain(lost.status);

    // The loss was sent in error: retracting it brings the enrolment back, as if it had never arrived.
    await deliver([ev('undo-lost', 'event.retracted', partner, hoursAgo(0.5), { eventId: 'lost-1', reason: 'sent for the wrong area' })]);
    expect((await infrastructureWhen((b) => b.status === 'enrolled-renewal-due', 'enrolled again')).status).toBe('enrolled-renewal-due');
    expect((await getJson(`${host.url}/api/partners/${partner}/profile`)).json.enrollments).toEqual([{ area: 'infrastructure', enrolledOn: addDays(today, -200), anniversaryDate: addDays(today, 90) }]);
  }, 90_000);

  it('refuses unknown segment, cloud, area and track values with 400 naming the field, storing nothing', async () => {
    const res = await postSigned(host.url, 'crm', {
      events: [
        ev('bad-1', 'customer.updated', partner, hoursAgo(1), { tenantId: 't-1', segment: 'mid-market' }),
        ev('bad-2', 'customer.updated', partner, hoursAgo(1), { tenantId: 't-1', cloud: 'moon' }),
        ev('bad-3', 'designation.enrolled', partner, hoursAgo(1), { area: 'azure', enrolledOn: today, anniversaryDate: addDays(today, 365) }),
        ev('bad-4', 'track.classified', partner, hoursAgo(1), { area: 'modern-work', track: 'smb' }),
      ],
    }, { secret, id: `m-${partner}-bad` });
    expect(res.status).toBe(400);
    expect((res.json.details as { path: string }[]).map((d) => d.path)).toEqual(['events[0].data.segment', 'events[1].data.cloud', 'events[2].data.area', 'events[3].data.area']);
  });

  it('simulates with the new changes: a customer segment, an enrolment, a track and a person named by exam code', async () => {
    type Sim = { status: number; json: { breakdown?: Breakdown[]; details?: { path: string; message: string; suggestions?: string[] }[]; message?: string } };
    const simulate = async (changes: unknown[]): Promise<Sim> => {
      const res = await fetch(`${host.url}/api/partners/${partner}/simulate`, { method: 'POST', body: JSON.stringify({ changes }), headers: { 'content-type': 'application/json' } });
      return { status: res.status, json: (await res.json()) as Sim['json'] };
    };
    const infra = (s: Sim) => s.json.breakdown!.find((b) => (b as unknown as { area: string }).area === 'infrastructure')!;

    const oneEnterprise = await simulate([{ op: 'update-customer', tenantId: 't-1', segment: 'enterprise' }]);
    expect(oneEnterprise.status).toBe(200);
    expect(infra(oneEnterprise)).toMatchObject({ track: 'enterprise', trackReason: expect.stringMatching(/^2 of 3 customers .* are SMB/) });

    const classified = await simulate([{ op: 'classify-track', area: 'infrastructure', track: 'enterprise', classifiedOn: today }]);
    expect(infra(classified).trackReason).toBe(`track Enterprise: classified by Partner Center on ${today}`);

    // The partner is enrolled with its anniversary in 90 days (renewal due).
    const removed = await simulate([{ op: 'remove-enrollment', area: 'infrastructure' }]);
    expect(infra(removed).status).not.toMatch(/^enrolled/);
    const renewed = await simulate([{ op: 'renew', area: 'infrastructure', anniversaryDate: addDays(today, 300) }]);
    expect(infra(renewed).status).toBe('enrolled');
    const enrolled = await simulate([{ op: 'remove-enrollment', area: 'infrastructure' }, { op: 'enroll', area: 'infrastructure', enrolledOn: addDays(today, -30), anniversaryDate: addDays(today, 60) }]);
    expect(infra(enrolled).status).toBe('enrolled-renewal-due');

    const person = await simulate([{ op: 'add-person', name: 'Sim Ada', certifications: [{ certification: 'AZ-104' }, { certification: 'Microsoft Certified: Azure Solutions Architect Expert' }] }]);
    expect(person.status).toBe(200);
    const lines = infra(person).metrics.flatMap((m) => m.explanation.map((l) => l.reason));
    expect(lines.some((l) => l.includes('Sim Ada'))).toBe(true);

    const unknown = await simulate([{ op: 'add-person', certifications: [{ certification: 'AZ-9999' }] }]);
    expect(unknown.status).toBe(422);
    expect(unknown.json.message).toContain('"AZ-9999"');
    expect(unknown.json.details![0]).toMatchObject({ path: 'changes[0].certifications[0].certification', suggestions: expect.any(Array) });
    expect(unknown.json.details![0]!.suggestions).toHaveLength(3);

    const badSegment = await simulate([{ op: 'update-customer', tenantId: 't-1', segment: 'mid' }]);
    expect(badSegment.status).toBe(400);
    expect(badSegment.json.details![0]!.path).toBe('changes[0].segment');
  }, 60_000);
});
