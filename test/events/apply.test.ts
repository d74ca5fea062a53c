import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyAssociationEvents, applyProfessionalEvents, applyTelemetryEvents, linkLimitProblem, type AssociationEvent, type ProfessionalEvent, type TelemetryEvent } from '../../shared/events/apply';
import { checkTransition } from '../../shared/events/lifecycle';
import { EVENT_SCHEMAS } from '../../shared/events/schemas';
import { validateDelivery } from '../../shared/events/validate';
import { emptyAssociations, emptyProfessionals, emptyTelemetry } from '../../shared/state/documents';
import { toSnapshot } from '../../shared/state/state-store';

const P = 'partner-1';
const parse = (e: unknown) => {
  // The reducer cases run into 2029; they are validated as of a clock past them (future dates: future-events.test.ts).
  const r = validateDelivery(e, { now: new Date('2030-01-01T00:00:00Z'), futureToleranceSeconds: 86_400 });
  if (!r.ok) throw new Error(JSON.stringify(r.details));
  return r.events[0]!;
};
const cpor = (id: string, kind: string, at: string, extra: Record<string, unknown> = {}) =>
  parse({ id, type: `cpor.claim.${kind}`, partnerId: P, occurredAt: at, data: { claimId: 'c1', tenantId: 't1', solutionArea: 'modern-work', role: 'use-or-consume', workloads: ['teams'], ...extra } }) as AssociationEvent;

describe('association lifecycle', () => {
  it('follows the CPOR lifecycle and maps it to snapshot status and dates', () => {
    const doc = emptyAssociations(P);
    const out = applyAssociationEvents(doc, [cpor('1', 'submitted', '2026-01-01T10:00:00Z'), cpor('2', 'approved', '2026-01-10T10:00:00Z')]);
    expect(out.map((o) => o.result)).toEqual(['applied', 'applied']);
    expect(doc.items['cpor:c1']).toMatchObject({ lifecycle: 'approved', status: 'active', startDate: '2026-01-10' });
    applyAssociationEvents(doc, [cpor('3', 'disassociated', '2026-03-01T23:30:00-05:00')]);
    expect(doc.items['cpor:c1']).toMatchObject({ lifecycle: 'disassociated', status: 'ended', startDate: '2026-01-10', endDate: '2026-03-02' });
  });

  it('refuses an illegal transition naming the current state, and a second dispute', () => {
    const doc = emptyAssociations(P);
    const out = applyAssociationEvents(doc, [
      cpor('1', 'submitted', '2026-01-01T00:00:00Z'),
      cpor('2', 'rejected', '2026-01-05T00:00:00Z'),
      cpor('3', 'disputed', '2026-01-06T00:00:00Z'),
      cpor('4', 'rejected', '2026-01-08T00:00:00Z'),
      cpor('5', 'disputed', '2026-01-09T00:00:00Z'),
    ]);
    expect(out.map((o) => o.result)).toEqual(['applied', 'applied', 'applied', 'applied', 'refused']);
    expect(out[4]!.reason).toMatch(/is rejected and was already disputed once/);
    expect(checkTransition('CPOR', 'disassociated', 'approved').ok).toBe(false);
    expect(checkTransition('CPOR', 'rejected', 'disputed', [{ state: 'rejected', at: '2026-01-01T00:00:00Z' }], '2026-02-15T00:00:00Z')).toMatchObject({ ok: false, reason: expect.stringMatching(/within 30 days/) });
  });

  it('ends in the same state for every arrival order of the same events (property)', () => {
    const events = [
      cpor('1', 'submitted', '2026-01-01T00:00:00Z'),
      cpor('2', 'rejected', '2026-01-05T00:00:00Z'),
      cpor('3', 'disputed', '2026-01-06T00:00:00Z'),
      cpor('4', 'approved', '2026-01-09T00:00:00Z', { workloads: ['teams', 'exchange'] }),
      cpor('5', 'declined', '2026-02-01T00:00:00Z'),
      cpor('6', 'approved', '2026-02-02T00:00:00Z'),
    ];
    const reference = emptyAssociations(P);
    applyAssociationEvents(reference, events);
    fc.assert(
      fc.property(fc.shuffledSubarray(events, { minLength: events.length }), fc.integer({ min: 1, max: 6 }), (order, chunk) => {
        const doc = emptyAssociations(P);
        for (let i = 0; i < order.length; i += chunk) applyAssociationEvents(doc, order.slice(i, i + chunk));
        applyAssociationEvents(doc, order); // redelivery of everything changes nothing
        expect(doc).toEqual(reference);
      }),
      { numRuns: 200 },
    );
    expect(reference.items['cpor:c1']).toMatchObject({ lifecycle: 'declined', status: 'rejected', workloads: ['teams'] });
  });

  it('takes descriptive fields from the newest event in effect, whatever arrived when (property)', () => {
    // Arriving alone, the approval after a rejection is refused; the dispute arriving later makes it legal again.
    const events = [
      cpor('1', 'submitted', '2026-01-01T00:00:00Z'),
      cpor('2', 'rejected', '2026-01-05T00:00:00Z', { reason: 'no proof of execution' }),
      cpor('3', 'disputed', '2026-01-06T00:00:00Z'),
      cpor('4', 'approved', '2026-01-09T00:00:00Z', { workloads: ['teams', 'exchange'] }),
    ];
    fc.assert(
      fc.property(fc.shuffledSubarray(events, { minLength: events.length }), (order) => {
        const doc = emptyAssociations(P);
        for (const e of order) applyAssociationEvents(doc, [e]);
        const a = doc.items['cpor:c1']!;
        expect(a).toMatchObject({ lifecycle: 'approved', status: 'active', startDate: '2026-01-09', workloads: ['teams', 'exchange'], details: { claimId: 'c1' } });
        expect(a.details).not.toHaveProperty('reason');
        expect(a.history.map((h) => h.eventId)).toEqual(['1', '2', '3', '4']);
        expect(a.history.every((h) => !h.refused)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});

describe('professionals and certifications', () => {
  const link = (id: string, at: string, linked = true) => parse({ id, type: linked ? 'professional.linked' : 'professional.unlinked', partnerId: P, occurredAt: at, data: { learnProfileId: 'lp1', name: `n${id}` } }) as ProfessionalEvent;
  const cert = (id: string, kind: 'earned' | 'renewed' | 'expired', at: string, data: Record<string, string>) => parse({ id, type: `certification.${kind}`, partnerId: P, occurredAt: at, data: { learnProfileId: 'lp1', certificationId: 'AZ-104', ...data } }) as ProfessionalEvent;

  it('enforces three links a year and 30 days between links with a clear refusal', () => {
    expect(linkLimitProblem(['2026-01-01'], '2026-01-20')).toMatch(/last linked on 2026-01-01.*from 2026-01-31/);
    expect(linkLimitProblem(['2026-01-01', '2026-03-01', '2026-05-01'], '2026-07-01')).toMatch(/already linked 3 times.*next link is possible from 2027-01-01/);
    expect(linkLimitProblem(['2025-01-01', '2026-03-01', '2026-05-01'], '2026-07-01')).toBeUndefined();
    const doc = emptyProfessionals(P);
    const out = applyProfessionalEvents(doc, [link('1', '2026-01-01T00:00:00Z'), link('2', '2026-01-05T00:00:00Z', false), link('3', '2026-01-15T00:00:00Z')], 'hr');
    expect(out.map((o) => o.result)).toEqual(['applied', 'applied', 'refused']);
    expect(doc.items.lp1).toMatchObject({ linked: false, linkedOn: '2026-01-01', unlinkedOn: '2026-01-05', linkHistory: ['2026-01-01'] });
  });

  it('keeps certification facts from any arrival order and feeds the snapshot', () => {
    const events = [
      link('1', '2026-01-01T00:00:00Z'),
      cert('2', 'earned', '2026-01-02T00:00:00Z', { earnedOn: '2026-01-02' }),
      cert('3', 'renewed', '2026-12-01T00:00:00Z', { renewedOn: '2026-12-01', expiresOn: '2028-01-02' }),
      cert('4', 'expired', '2029-01-02T00:00:00Z', { expiredOn: '2028-01-02' }),
    ];
    const reference = emptyProfessionals(P);
    applyProfessionalEvents(reference, events, 'hr');
    fc.assert(
      fc.property(fc.shuffledSubarray(events, { minLength: events.length }), (order) => {
        const doc = emptyProfessionals(P);
        for (const e of order) applyProfessionalEvents(doc, [e], 'hr');
        expect(doc).toEqual(reference);
      }),
      { numRuns: 100 },
    );
    const snap = toSnapshot({ profile: { id: 'profile', partnerId: P, type: 'profile', schemaVersion: 1, enrollments: [], customers: {}, telemetryMonths: [], stateVersion: 1, createdAt: '', updatedAt: '' }, associations: emptyAssociations(P), professionals: reference, telemetry: [] });
    expect(snap.professionals[0]).toMatchObject({ id: 'lp1', linked: true, certifications: [{ certificationId: 'azure-administrator-associate', earnedOn: '2026-01-02', expiresOn: '2028-01-02', renewals: [{ renewedOn: '2026-12-01', expiresOn: '2028-01-02' }] }] });
  });
});

describe('telemetry', () => {
  const row = (id: string, at: string, acrUsd: number) => parse({ id, type: 'telemetry.monthly', partnerId: P, occurredAt: at, data: { month: '2026-01', tenantId: 't', platform: 'azure', workload: 'vm', associationType: 'PAL', acrUsd } }) as TelemetryEvent;

  it('upserts per tenant, month, workload and association type; a late older report changes nothing', () => {
    const doc = emptyTelemetry(P, '2026-01');
    expect(applyTelemetryEvents(doc, [row('a', '2026-02-01T00:00:00Z', 10), row('b', '2026-02-03T00:00:00Z', 20)]).map((o) => o.result)).toEqual(['applied', 'applied']);
    expect(applyTelemetryEvents(doc, [row('c', '2026-02-02T00:00:00Z', 15)])[0]!.result).toBe('older');
    expect(applyTelemetryEvents(doc, [row('b', '2026-02-03T00:00:00Z', 20)])[0]!.result).toBe('unchanged');
    expect(Object.values(doc.rows)).toEqual([expect.objectContaining({ acrUsd: 20, lastEventId: 'b', offer: 'standard' })]);
  });
});

describe('delivery validation', () => {
  it('knows every event type and has a schema per type', () => {
    expect(Object.keys(EVENT_SCHEMAS)).toHaveLength(26);
  });

  it('stores a certification under the rule sets\' id whatever name it was sent by, and refuses one it cannot resolve (422)', () => {
    const cert = (id: string, certificationId: string) => ({ id, type: 'certification.earned', partnerId: P, occurredAt: '2026-01-01T00:00:00Z', data: { learnProfileId: 'lp', certificationId, earnedOn: '2026-01-01' } });
    const ok = validateDelivery({ events: [cert('a', 'AZ-104'), cert('b', 'Microsoft Certified: Azure Solutions Architect Expert'), cert('c', ' Azure-Developer-Associate '), cert('d', 'az 103')] });
    expect(ok.ok && ok.events.map((e) => (e.data as { certificationId: string }).certificationId)).toEqual(['azure-administrator-associate', 'azure-solutions-architect-expert', 'azure-developer-associate', 'azure-administrator-associate']);
    const bad = validateDelivery({ events: [cert('a', 'AZ-104'), cert('b', 'AZ-9999')] });
    expect(bad).toMatchObject({ ok: false, kind: 'unresolved', details: [{ path: 'events[1].data.certificationId', suggestions: expect.any(Array) }] });
    expect((bad as { details: { message: string }[] }).details[0]!.message).toContain('"AZ-9999" is not a certification');
    // A malformed field elsewhere makes it a 400 that still lists the unresolved certification.
    const mixed = validateDelivery({ events: [cert('a', 'AZ-9999'), { ...cert('b', 'AZ-104'), occurredAt: 'now' }] });
    expect(mixed).toMatchObject({ ok: false, kind: 'invalid' });
    expect((mixed as { details: { path: string }[] }).details.map((d) => d.path)).toEqual(['events[1].occurredAt', 'events[0].data.certificationId']);
  });

  it('separates unknown types (422) from invalid fields (400) and lists every problem', () => {
    expect(validateDelivery({ events: [{ id: 'a', type: 'x.y', partnerId: P, occurredAt: '2026-01-01T00:00:00Z', data: {} }] })).toMatchObject({ ok: false, kind: 'unknown-type' });
    const r = validateDelivery([{ id: 'a', type: 'pal.linked', partnerId: '', occurredAt: 'now', data: {} }, 'x']);
    expect(r).toMatchObject({ ok: false, kind: 'invalid' });
    const paths = (r as { details: { path: string }[] }).details.map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['[0].partnerId', '[0].occurredAt', '[0].data.tenantId', '[0].data.objectId', '[1]']));
    expect(validateDelivery({ events: [] })).toMatchObject({ ok: false, details: [{ path: 'events' }] });
    expect(validateDelivery(42)).toMatchObject({ ok: false, details: [{ path: '(body)' }] });
  });

  it('parses a business applications claim only with its subscription', () => {
    const base = { id: 'a', type: 'cpor.claim.submitted', partnerId: P, occurredAt: '2026-01-01T00:00:00+02:00', data: { claimId: 'c', tenantId: 't', solutionArea: 'business-applications', role: 'osu' } };
    expect(validateDelivery(base)).toMatchObject({ ok: false, details: [{ path: 'data.subscriptionId', message: expect.stringMatching(/Business Applications/) }] });
    expect(validateDelivery({ ...base, data: { ...base.data, subscriptionId: 's' } })).toMatchObject({ ok: true });
  });
});

