import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyAssociationEvents, applyProfessionalEvents, applyTelemetryEvents, type AssociationEvent, type ProfessionalEvent, type TelemetryEvent } from '../../shared/events/apply';
import { retractFromAssociations, retractFromProfessionals, retractFromTelemetry, retractionOutcomes, type RetractionEvent } from '../../shared/events/retract';
import { validateDelivery } from '../../shared/events/validate';
import { emptyAssociations, emptyProfessionals, emptyTelemetry, type AssociationsDoc, type ProfessionalsDoc } from '../../shared/state/documents';
import { toSnapshot } from '../../shared/state/state-store';
import { emptyProfile } from '../../shared/state/documents';

const P = 'partner-1';
const CLOCK = { now: new Date('2100-01-01T00:00:00Z'), futureToleranceSeconds: 86_400 };
const parse = <T>(e: unknown): T => {
  const r = validateDelivery(e, CLOCK);
  if (!r.ok) throw new Error(JSON.stringify(r.details));
  return r.events[0] as T;
};
const pal = (id: string, linked: boolean, at: string, objectId = 'o1') =>
  parse<AssociationEvent>({ id, type: linked ? 'pal.linked' : 'pal.unlinked', partnerId: P, occurredAt: at, data: { tenantId: 't1', objectId } });
const cpor = (id: string, kind: string, at: string, workloads = ['teams']) =>
  parse<AssociationEvent>({ id, type: `cpor.claim.${kind}`, partnerId: P, occurredAt: at, data: { claimId: 'c1', tenantId: 't1', solutionArea: 'modern-work', role: 'use-or-consume', workloads } });
const retraction = (id: string, eventId: string, at = '2026-12-01T00:00:00Z') => parse<RetractionEvent>({ id, type: 'event.retracted', partnerId: P, occurredAt: at, data: { eventId, reason: 'sent in error' } });
const link = (id: string, linked: boolean, at: string, contact: { name?: string; email?: string } = {}) =>
  parse<ProfessionalEvent>({ id, type: linked ? 'professional.linked' : 'professional.unlinked', partnerId: P, occurredAt: at, data: { learnProfileId: 'learn-1', ...contact } });
const telemetry = (id: string, at: string, acrUsd: number) =>
  parse<TelemetryEvent>({ id, type: 'telemetry.monthly', partnerId: P, occurredAt: at, data: { month: '2026-10', tenantId: 't1', platform: 'azure', workload: 'Virtual Machines', associationType: 'PAL', acrUsd } });

/** A document as it would be had only `events` ever arrived, in that order and in those batches. */
function withoutTombstones<D extends { retracted?: unknown }>(doc: D): Omit<D, 'retracted'> {
  const { retracted: _, ...rest } = structuredClone(doc);
  return rest;
}

describe('event.retracted', () => {
  it('is validated: the event to withdraw is required and cannot be the retraction itself', () => {
    const r = validateDelivery({ id: 'r1', type: 'event.retracted', partnerId: P, occurredAt: '2026-12-01T00:00:00Z', data: { eventId: 'r1' } }, CLOCK);
    expect(r).toMatchObject({ ok: false, kind: 'invalid', details: [{ path: 'data.eventId', message: expect.stringMatching(/retraction itself/) }] });
    const missing = validateDelivery({ id: 'r1', type: 'event.retracted', partnerId: P, occurredAt: '2026-12-01T00:00:00Z', data: {} }, CLOCK);
    expect(missing).toMatchObject({ ok: false, details: [{ path: 'data.eventId' }] });
  });

  it('undoes a far-future pal.unlinked stored before the tolerance existed, and the correction then applies', () => {
    const doc = emptyAssociations(P);
    applyAssociationEvents(doc, [pal('link', true, '2026-01-05T00:00:00Z')]);
    const expected = structuredClone(doc);
    applyAssociationEvents(doc, [pal('bad', false, '2099-06-01T00:00:00Z')]);
    expect(doc.items['pal:t1:o1']).toMatchObject({ status: 'ended', endDate: '2099-06-01' });
    // The wrong event outranks any correction dated now...
    expect(applyAssociationEvents(structuredClone(doc), [pal('fix', true, '2026-12-01T00:00:00Z')])[0]).toMatchObject({ result: 'older' });

    const found = retractFromAssociations(doc, [retraction('r1', 'bad')]);
    expect(retractionOutcomes([retraction('r1', 'bad')], [found])).toMatchObject([{ eventId: 'r1', result: 'applied' }]);
    expect(withoutTombstones(doc)).toEqual(withoutTombstones(expected));
    expect(doc.retracted).toEqual({ bad: { by: 'r1', at: '2026-12-01T00:00:00Z', reason: 'sent in error' } });
  });

  it('refuses the retracted event when it comes again, and says a repeated retraction changed nothing', () => {
    const doc = emptyAssociations(P);
    applyAssociationEvents(doc, [pal('link', true, '2026-01-05T00:00:00Z'), pal('bad', false, '2026-03-01T00:00:00Z')]);
    retractFromAssociations(doc, [retraction('r1', 'bad')]);
    const before = structuredClone(doc);
    expect(applyAssociationEvents(doc, [pal('bad', false, '2026-03-01T00:00:00Z')])).toMatchObject([{ result: 'refused', reason: expect.stringMatching(/retracted by r1/) }]);
    const again = retractFromAssociations(doc, [retraction('r2', 'bad')]);
    expect(retractionOutcomes([retraction('r2', 'bad')], [again])).toMatchObject([{ result: 'unchanged', reason: expect.stringMatching(/already retracted/) }]);
    expect(doc).toEqual(before);
  });

  it('removes an association known only through the withdrawn event', () => {
    const doc = emptyAssociations(P);
    applyAssociationEvents(doc, [pal('only', true, '2026-01-05T00:00:00Z', 'o9')]);
    retractFromAssociations(doc, [retraction('r1', 'only')]);
    expect(doc.items).toEqual({});
  });

  it('refuses a retraction of an event no document holds, saying why', () => {
    const none = [retractFromAssociations(emptyAssociations(P), [retraction('r1', 'nope')]), retractFromProfessionals(emptyProfessionals(P), [retraction('r1', 'nope')])];
    expect(retractionOutcomes([retraction('r1', 'nope')], none)).toMatchObject([{ result: 'refused', reason: expect.stringMatching(/not in partner partner-1's state/) }]);
  });

  const cert = (id: string, type: 'earned' | 'renewed' | 'expired', at: string, data: Record<string, string>) =>
    parse<ProfessionalEvent>({ id, type: `certification.${type}`, partnerId: P, occurredAt: at, data: { learnProfileId: 'learn-1', certificationId: 'AZ-104', ...data } });

  it('certifications: retracting any webhook event replays the record from the others (property)', () => {
    const pool = [
      cert('k-1', 'earned', '2025-02-03T00:00:00Z', { earnedOn: '2025-02-03', expiresOn: '2026-02-03' }),
      cert('k-2', 'renewed', '2026-01-10T00:00:00Z', { renewedOn: '2026-01-10', expiresOn: '2027-02-03' }),
      cert('k-3', 'earned', '2025-03-01T00:00:00Z', { earnedOn: '2025-02-01' }),
      cert('k-4', 'expired', '2027-02-04T00:00:00Z', { expiredOn: '2027-02-03' }),
      cert('k-5', 'renewed', '2099-01-01T00:00:00Z', { renewedOn: '2099-01-01', expiresOn: '2100-01-01' }),
    ];
    fc.assert(
      fc.property(fc.shuffledSubarray(pool, { minLength: 1 }), fc.nat(), (order, pick) => {
        const target = order[pick % order.length]!;
        const actual = emptyProfessionals(P);
        for (const e of order) applyProfessionalEvents(actual, [e], 'crm');
        const found = retractFromProfessionals(actual, [retraction('r', target.id)]);
        expect(found.get('r')).toEqual({ found: 'removed' });
        const expected = emptyProfessionals(P);
        for (const e of order.filter((x) => x !== target)) applyProfessionalEvents(expected, [e], 'crm');
        const view = (d: ProfessionalsDoc) => toSnapshot({ profile: emptyProfile(P, '2026-01-01T00:00:00Z'), associations: emptyAssociations(P), professionals: d, telemetry: [] }).professionals;
        expect(view(actual)).toEqual(view(expected));
      }),
      { seed: 3, numRuns: 200 },
    );
  });

  it('refuses to retract a certification event once the Learn sync or an import changed the record, naming where to correct it', () => {
    const doc = emptyProfessionals(P);
    applyProfessionalEvents(doc, [cert('k-1', 'earned', '2026-02-03T00:00:00Z', { earnedOn: '2026-02-03' })], 'crm');
    doc.items['learn-1']!.certifications['azure-administrator-associate']!.source = 'learn';
    const before = structuredClone(doc);
    const found = retractFromProfessionals(doc, [retraction('r1', 'k-1')]);
    expect(retractionOutcomes([retraction('r1', 'k-1')], [found])).toMatchObject([{ result: 'refused', reason: expect.stringMatching(/updated by learn since/) }]);
    expect(doc).toEqual(before);
  });

  it('association histories: retracting any event gives exactly the state had it never arrived (property)', () => {
    const pool = [
      cpor('c-1', 'submitted', '2026-01-01T00:00:00Z'),
      cpor('c-2', 'rejected', '2026-01-05T00:00:00Z'),
      cpor('c-3', 'disputed', '2026-01-06T00:00:00Z'),
      cpor('c-4', 'approved', '2026-01-09T00:00:00Z', ['teams', 'exchange']),
      cpor('c-5', 'declined', '2026-02-01T00:00:00Z'),
      cpor('c-6', 'approved', '2026-02-02T00:00:00Z'),
      pal('p-1', true, '2026-01-05T00:00:00Z'),
      pal('p-2', false, '2026-04-01T00:00:00Z'),
      pal('p-3', true, '2026-05-01T00:00:00Z'),
      pal('p-4', false, '2099-06-01T00:00:00Z'),
      pal('p-5', true, '2026-02-01T00:00:00Z', 'o2'),
    ];
    fc.assert(
      fc.property(fc.shuffledSubarray(pool, { minLength: 1 }), fc.nat(), fc.integer({ min: 1, max: 4 }), (order, pick, chunk) => {
        const target = order[pick % order.length]!;
        const rest = order.filter((e) => e !== target);
        const feed = (doc: AssociationsDoc, events: AssociationEvent[]) => {
          for (let i = 0; i < events.length; i += chunk) applyAssociationEvents(doc, events.slice(i, i + chunk));
        };
        const actual = emptyAssociations(P);
        feed(actual, order);
        retractFromAssociations(actual, [retraction('r', target.id)]);
        const expected = emptyAssociations(P);
        feed(expected, rest);
        expect(withoutTombstones(actual)).toEqual(withoutTombstones(expected));
      }),
      { seed: 12, numRuns: 300 },
    );
  });

  it('professional links: retracting a link event replays the links and the contact it carried (property)', () => {
    const pool = [
      link('l-1', true, '2026-01-05T00:00:00Z', { name: 'Ada', email: 'ada@example.com' }),
      link('l-2', false, '2026-03-01T00:00:00Z'),
      link('l-3', true, '2026-04-15T00:00:00Z', { name: 'Ada Lovelace' }),
      link('l-4', true, '2026-04-20T00:00:00Z'),
      link('l-5', false, '2026-09-01T00:00:00Z', { email: 'ada@contoso.example' }),
    ];
    fc.assert(
      fc.property(fc.subarray(pool, { minLength: 1 }), fc.nat(), (inTime, pick) => {
        // Contact fields are taken from the newest event carrying them, so the sequence is fed in time order.
        const target = inTime[pick % inTime.length]!;
        const actual = emptyProfessionals(P);
        for (const e of inTime) applyProfessionalEvents(actual, [e], 'crm');
        retractFromProfessionals(actual, [retraction('r', target.id)]);
        const expected: ProfessionalsDoc = emptyProfessionals(P);
        for (const e of inTime.filter((x) => x !== target)) applyProfessionalEvents(expected, [e], 'crm');
        expect(withoutTombstones(actual)).toEqual(withoutTombstones(expected));
      }),
      { seed: 7, numRuns: 200 },
    );
  });

  it('telemetry: retracting the report in effect brings back the one before it, and the snapshot is as without it', () => {
    const doc = emptyTelemetry(P, '2026-10');
    applyTelemetryEvents(doc, [telemetry('t-2', '2026-11-02T00:00:00Z', 200)]);
    // An older report arriving late is kept as an earlier report, not dropped.
    expect(applyTelemetryEvents(doc, [telemetry('t-1', '2026-11-01T00:00:00Z', 100)])).toMatchObject([{ result: 'older' }]);
    applyTelemetryEvents(doc, [telemetry('t-3', '2026-11-03T00:00:00Z', 999_999)]);
    const snapshot = (d: typeof doc) => toSnapshot({ profile: { ...emptyProfile(P, '2026-01-01T00:00:00Z'), telemetryMonths: ['2026-10'] }, associations: emptyAssociations(P), professionals: emptyProfessionals(P), telemetry: [d] }).telemetry;
    expect(snapshot(doc)).toMatchObject([{ acrUsd: 999_999 }]);

    retractFromTelemetry(doc, [retraction('r3', 't-3')]);
    const only12 = emptyTelemetry(P, '2026-10');
    applyTelemetryEvents(only12, [telemetry('t-1', '2026-11-01T00:00:00Z', 100), telemetry('t-2', '2026-11-02T00:00:00Z', 200)]);
    expect(snapshot(doc)).toEqual(snapshot(only12));
    expect(applyTelemetryEvents(doc, [telemetry('t-3', '2026-11-03T00:00:00Z', 999_999)])).toMatchObject([{ result: 'refused' }]);

    retractFromTelemetry(doc, [retraction('r1', 't-1')]);
    expect(snapshot(doc)).toMatchObject([{ acrUsd: 200 }]);
    expect(Object.values(doc.rows)[0]!.superseded).toBeUndefined();
    retractFromTelemetry(doc, [retraction('r2', 't-2')]);
    expect(doc.rows).toEqual({});
  });
});
