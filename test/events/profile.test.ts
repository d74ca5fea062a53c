import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyCustomerEvents, applyProfileEvents, isCustomerEvent, isProfileEvent, type CustomerEvent, type EventOutcome, type ProfileEvent } from '../../shared/events/apply';
import { retractFromCustomers, retractFromProfile, retractionOutcomes, type RetractionEvent } from '../../shared/events/retract';
import { validateDelivery } from '../../shared/events/validate';
import type { WebhookEvent } from '../../shared/events/schemas';
import { customerShardOf, emptyCustomers, emptyProfile, type CustomersDoc, type ProfileDoc } from '../../shared/state/documents';
import { toSnapshot } from '../../shared/state/state-store';
import { emptyAssociations, emptyProfessionals } from '../../shared/state/documents';

const P = 'partner-1';
const NOW = '2026-01-01T00:00:00Z';
const CLOCK = { now: new Date('2030-01-01T00:00:00Z'), futureToleranceSeconds: 86_400 };
const parse = <T = ProfileEvent>(e: unknown): T => {
  const r = validateDelivery(e, CLOCK);
  if (!r.ok) throw new Error(JSON.stringify(r.details));
  return r.events[0] as T;
};
const ev = (id: string, type: string, at: string, data: Record<string, unknown>) => parse({ id, type, partnerId: P, occurredAt: at, data });
const customer = (id: string, at: string, data: Record<string, unknown>) => parse<CustomerEvent>({ id, type: 'customer.updated', partnerId: P, occurredAt: at, data: { tenantId: 't1', ...data } });
const retraction = (id: string, eventId: string) => parse<RetractionEvent>({ id, type: 'event.retracted', partnerId: P, occurredAt: '2026-12-20T00:00:00Z', data: { eventId } });

/** A partner's profile and customers shards, with events routed to them as shared/deliveries/process.ts does. */
interface Docs {
  profile: ProfileDoc;
  shards: Record<string, CustomersDoc>;
}
const fresh = (): Docs => ({ profile: emptyProfile(P, NOW), shards: {} });
function apply(d: Docs, events: readonly WebhookEvent[]): EventOutcome[] {
  const out = applyProfileEvents(d.profile, events.filter(isProfileEvent));
  for (const e of events.filter(isCustomerEvent)) {
    const shard = customerShardOf(e.data.tenantId);
    out.push(...applyCustomerEvents((d.shards[shard] ??= emptyCustomers(P, shard)), [e], d.profile.customers));
  }
  return out;
}
const retract = (d: Docs, r: RetractionEvent) => retractionOutcomes([r], [retractFromProfile(d.profile, [r]), ...Object.values(d.shards).map((x) => retractFromCustomers(x, [r]))]);
const customerIn = (d: Docs, tenantId: string) => d.shards[customerShardOf(tenantId)]?.customers[tenantId];
const snapshotOf = (d: Docs) => toSnapshot({ profile: d.profile, customers: Object.values(d.shards), associations: emptyAssociations(P), professionals: emptyProfessionals(P), telemetry: [] });

describe('profile event validation', () => {
  const invalid = (type: string, data: Record<string, unknown>) => {
    const r = validateDelivery({ id: 'x', type, partnerId: P, occurredAt: '2026-06-01T00:00:00Z', data }, CLOCK);
    return r.ok ? [] : r.details;
  };
  it('names the field of an unknown segment, cloud, area or track, and an event that states nothing', () => {
    expect(invalid('customer.updated', { tenantId: 't1', segment: 'mid-market' })).toMatchObject([{ path: 'data.segment', message: expect.stringMatching(/smb.*enterprise/) }]);
    expect(invalid('customer.updated', { tenantId: 't1', cloud: 'china' })).toMatchObject([{ path: 'data.cloud' }]);
    expect(invalid('customer.updated', { tenantId: 't1' })).toMatchObject([{ path: 'data', message: 'must carry at least one of name, segment, cloud' }]);
    expect(invalid('partner.updated', {})).toMatchObject([{ path: 'data', message: 'must carry at least one of name, locationIds, partnerIdAliases' }]);
    expect(invalid('partner.updated', { locationIds: ['1', '1'] })).toMatchObject([{ path: 'data.locationIds', message: 'must not list an id twice' }]);
    expect(invalid('designation.enrolled', { area: 'quantum', enrolledOn: '2026-01-01', anniversaryDate: '2027-01-01' })).toMatchObject([{ path: 'data.area' }]);
    expect(invalid('designation.enrolled', { area: 'security', enrolledOn: '2026-01-01', anniversaryDate: '2025-12-01' })).toMatchObject([{ path: 'data.anniversaryDate', message: 'must be after enrolledOn and at most two years later' }]);
    expect(invalid('designation.renewed', { area: 'security', renewedOn: '2026-02-30', anniversaryDate: '2027-01-01' })).toMatchObject([{ path: 'data.renewedOn', message: 'must be a real calendar date' }]);
    expect(invalid('track.classified', { area: 'infrastructure', track: 'mid' })).toMatchObject([{ path: 'data.track' }]);
    // Modern Work and Security score the better of both tracks in every rule version: a classification could never count.
    expect(invalid('track.classified', { area: 'modern-work', track: 'smb' })).toMatchObject([{ path: 'data.area', message: expect.stringMatching(/business-applications/) }]);
  });
});

describe('customer.updated', () => {
  it('sets segment, cloud and name field by field; an older event fills only what no newer one stated', () => {
    const doc = fresh();
    expect(apply(doc, [customer('c2', '2026-03-01T00:00:00Z', { segment: 'enterprise' })])).toMatchObject([{ result: 'applied' }]);
    const out = apply(doc, [customer('c1', '2026-02-01T00:00:00Z', { segment: 'smb', name: 'Fabrikam' })]);
    // Older, but the name it carries is news.
    expect(out).toMatchObject([{ result: 'applied' }]);
    expect(customerIn(doc, 't1')).toMatchObject({ tenantId: 't1', segment: 'enterprise', name: 'Fabrikam', cloud: 'commercial', lastEventId: 'c2' });
    expect(apply(doc, [customer('c0', '2026-01-01T00:00:00Z', { segment: 'smb' })])).toMatchObject([{ result: 'older', reason: expect.stringMatching(/customer t1 already reflects a newer event \(c2/) }]);
    expect(apply(doc, [customer('c2', '2026-03-01T00:00:00Z', { segment: 'enterprise' })])).toMatchObject([{ result: 'unchanged' }]);
    expect(snapshotOf(doc).customers).toEqual([{ tenantId: 't1', name: 'Fabrikam', segment: 'enterprise', cloud: 'commercial' }]);
  });

  it('starts from the record a profile written before the customers shards held, as its first fact', () => {
    const doc = fresh();
    doc.profile.customers = { t1: { tenantId: 't1', segment: 'smb', cloud: 'government', updatedAt: NOW, lastEventId: 'import' } };
    expect(snapshotOf(doc).customers).toEqual([{ tenantId: 't1', segment: 'smb', cloud: 'government' }]);
    apply(doc, [customer('c1', '2026-02-01T00:00:00Z', { name: 'Contoso' })]);
    expect(snapshotOf(doc).customers).toEqual([{ tenantId: 't1', name: 'Contoso', segment: 'smb', cloud: 'government' }]);
  });
});

describe('partner.updated', () => {
  it('replaces the fields it carries and leaves the others', () => {
    const doc = fresh();
    apply(doc, [ev('p1', 'partner.updated', '2026-01-02T00:00:00Z', { name: 'Contoso', locationIds: ['11', '12'] }), ev('p2', 'partner.updated', '2026-01-03T00:00:00Z', { partnerIdAliases: ['99'], locationIds: ['12'] })]);
    expect(doc.profile).toMatchObject({ name: 'Contoso', locationIds: ['12'], partnerIdAliases: ['99'] });
    expect(snapshotOf(doc).name).toBe('Contoso');
  });
});

describe('designation events', () => {
  it('enrol, renew and lose: the snapshot holds the enrolment in place', () => {
    const doc = fresh();
    apply(doc, [ev('d1', 'designation.enrolled', '2026-03-01T00:00:00Z', { area: 'infrastructure', enrolledOn: '2026-03-01', anniversaryDate: '2027-03-01' })]);
    expect(snapshotOf(doc).enrollments).toEqual([{ area: 'infrastructure', enrolledOn: '2026-03-01', anniversaryDate: '2027-03-01' }]);
    apply(doc, [ev('d2', 'designation.renewed', '2026-12-01T00:00:00Z', { area: 'infrastructure', renewedOn: '2026-12-01', anniversaryDate: '2028-03-01' })]);
    expect(snapshotOf(doc).enrollments).toEqual([{ area: 'infrastructure', enrolledOn: '2026-03-01', anniversaryDate: '2028-03-01' }]);
    apply(doc, [ev('d3', 'designation.lost', '2028-03-02T00:00:00Z', { area: 'infrastructure', lostOn: '2028-03-02' })]);
    expect(snapshotOf(doc).enrollments).toEqual([]);
  });
});

describe('track events', () => {
  it('classify and unclassify: the override and its day reach the snapshot', () => {
    const doc = fresh();
    apply(doc, [ev('t1', 'track.classified', '2026-11-03T08:00:00Z', { area: 'infrastructure', track: 'smb' })]);
    expect(snapshotOf(doc)).toMatchObject({ trackOverrides: { infrastructure: 'smb' }, trackClassifiedOn: { infrastructure: '2026-11-03' } });
    // Shown again later, the track keeps the day Partner Center started showing it.
    apply(doc, [ev('t1b', 'track.classified', '2026-11-20T08:00:00Z', { area: 'infrastructure', track: 'smb' })]);
    expect(snapshotOf(doc).trackClassifiedOn).toEqual({ infrastructure: '2026-11-03' });
    apply(doc, [ev('t2', 'track.unclassified', '2026-12-01T00:00:00Z', { area: 'infrastructure' })]);
    expect(snapshotOf(doc).trackOverrides).toBeUndefined();
    expect(snapshotOf(doc).trackClassifiedOn).toBeUndefined();
  });
});

const mixed = [
  customer('c1', '2026-01-01T00:00:00Z', { segment: 'smb', name: 'Fabrikam' }),
  customer('c2', '2026-02-01T00:00:00Z', { segment: 'enterprise' }),
  customer('c3', '2026-02-01T00:00:00Z', { cloud: 'government' }),
  ev('p1', 'partner.updated', '2026-01-02T00:00:00Z', { name: 'Contoso', locationIds: ['11'] }),
  ev('p2', 'partner.updated', '2026-04-02T00:00:00Z', { name: 'Contoso Ltd' }),
  ev('d1', 'designation.enrolled', '2026-03-01T00:00:00Z', { area: 'infrastructure', enrolledOn: '2026-03-01', anniversaryDate: '2027-03-01' }),
  ev('d2', 'designation.lost', '2026-06-01T00:00:00Z', { area: 'infrastructure', lostOn: '2026-06-01' }),
  ev('d3', 'designation.enrolled', '2026-07-01T00:00:00Z', { area: 'infrastructure', enrolledOn: '2026-07-01', anniversaryDate: '2027-07-01' }),
  ev('d4', 'designation.renewed', '2027-05-01T00:00:00Z', { area: 'infrastructure', renewedOn: '2027-05-01', anniversaryDate: '2028-07-01' }),
  ev('d5', 'designation.enrolled', '2026-05-01T00:00:00Z', { area: 'security', enrolledOn: '2026-05-01', anniversaryDate: '2027-05-01' }),
  ev('t1', 'track.classified', '2026-11-03T00:00:00Z', { area: 'data-ai', track: 'smb' }),
  ev('t2', 'track.unclassified', '2026-10-01T00:00:00Z', { area: 'data-ai' }),
  ev('t3', 'track.classified', '2026-09-01T00:00:00Z', { area: 'business-applications', track: 'enterprise' }),
];

describe('profile events in any order', () => {
  it('end in the same profile for every arrival order and batching; a redelivery changes nothing (property)', () => {
    const reference = fresh();
    apply(reference, mixed);
    expect(snapshotOf(reference)).toMatchObject({
      name: 'Contoso Ltd',
      customers: [{ tenantId: 't1', name: 'Fabrikam', segment: 'enterprise', cloud: 'government' }],
      enrollments: [
        { area: 'infrastructure', enrolledOn: '2026-07-01', anniversaryDate: '2028-07-01' },
        { area: 'security', enrolledOn: '2026-05-01', anniversaryDate: '2027-05-01' },
      ],
      trackOverrides: { 'data-ai': 'smb', 'business-applications': 'enterprise' },
      trackClassifiedOn: { 'data-ai': '2026-11-03', 'business-applications': '2026-09-01' },
    });
    fc.assert(
      fc.property(fc.shuffledSubarray(mixed, { minLength: mixed.length }), fc.integer({ min: 1, max: 5 }), (order, chunk) => {
        const doc = fresh();
        for (let i = 0; i < order.length; i += chunk) apply(doc, order.slice(i, i + chunk));
        const settled = JSON.stringify(doc);
        const again = apply(doc, order);
        expect(again.every((o) => o.result === 'unchanged')).toBe(true);
        expect(JSON.stringify(doc)).toBe(settled);
        expect(doc).toEqual(reference);
      }),
      { numRuns: 150 },
    );
  });

  it('a retraction leaves the profile the events without it would have made, and refuses the event later', () => {
    for (const withdrawn of mixed) {
      const doc = fresh();
      apply(doc, mixed);
      const r = retraction(`r-${withdrawn.id}`, withdrawn.id);
      expect(retract(doc, r)).toMatchObject([{ result: 'applied' }]);
      const expected = fresh();
      apply(expected, mixed.filter((e) => e !== withdrawn));
      // The tombstone is in the document that held the event, and nothing else differs.
      const tombstones = [doc.profile, ...Object.values(doc.shards)].flatMap((x) => (x.retracted ? [x.retracted] : []));
      expect(tombstones).toMatchObject([{ [withdrawn.id]: { by: r.id } }]);
      const without = structuredClone(doc);
      for (const x of [without.profile, ...Object.values(without.shards)]) delete x.retracted;
      expect(without, withdrawn.id).toEqual(expected);
      expect(apply(doc, [withdrawn])).toMatchObject([{ result: 'refused', reason: expect.stringMatching(/was retracted/) }]);
    }
  });
});
