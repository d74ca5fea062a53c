import { describe, expect, it } from 'vitest';
import { nextPageUri } from '../../shared/partner-center/pull';
import { reconcileCsp, relationshipsOf } from '../../shared/partner-center/reconcile';
import { emptyAssociations, type AssociationsDoc, type StoredAssociation } from '../../shared/state/documents';

const P = 'p1';
const AT = new Date('2026-12-03T03:00:00Z');
const csp = (tenantId: string, lifecycle: 'active' | 'ended', tier: 1 | 2 = 1): StoredAssociation =>
  ({ id: `csp:${tenantId}`, type: 'CSP', tenantId, cspTier: tier, status: lifecycle, startDate: '2026-01-01', lifecycle, history: [], updatedAt: '2026-01-01T00:00:00Z', lastEventId: 'e' }) as StoredAssociation;
const doc = (...items: StoredAssociation[]): AssociationsDoc => ({ ...emptyAssociations(P), items: Object.fromEntries(items.map((a) => [a.id, a])) });

describe('the nightly pull\'s reconciliation', () => {
  it('starts what the state lacks, ends what the list lacks, and leaves what both hold alone', () => {
    const stored = doc(csp('t-kept', 'active'), csp('t-left', 'active', 2), csp('t-back', 'ended'), csp('t-tier', 'active', 1));
    const pulled = [{ tenantId: 't-kept', tier: 1 as const }, { tenantId: 't-new', tier: 2 as const }, { tenantId: 't-back', tier: 1 as const }, { tenantId: 't-tier', tier: 2 as const }];
    const r = reconcileCsp(P, stored, pulled, AT);
    expect(r.events.map((e) => [e.type, e.id])).toEqual([
      ['csp.relationship.started', 'pc-pull-2026-12-03-start-t-new'],
      ['csp.relationship.started', 'pc-pull-2026-12-03-start-t-back'],
      ['csp.relationship.started', 'pc-pull-2026-12-03-tier-t-tier'],
      ['csp.relationship.ended', 'pc-pull-2026-12-03-end-t-left'],
    ]);
    expect(r.events[2]).toMatchObject({ data: { tenantId: 't-tier', tier: 2 } });
    expect(r.events[0]).toMatchObject({ partnerId: P, occurredAt: AT.toISOString(), data: { tenantId: 't-new', tier: 2 } });
    expect(r.events[3]).toMatchObject({ data: { tenantId: 't-left', tier: 2 } });
    expect(r).toMatchObject({ inPlace: 1, tierChanged: 1, endsWithheld: 0 });
    // The same pull again the same day: the same ids, which the apply step applies once.
    expect(reconcileCsp(P, stored, pulled, AT).events.map((e) => e.id)).toEqual(r.events.map((e) => e.id));
  });

  it('dates a start by the date given for its tenant, everything else by the pull', () => {
    const r = reconcileCsp(P, doc(csp('t-tier', 'active', 1)), [{ tenantId: 't-new', tier: 1 }, { tenantId: 't-tier', tier: 2 }, { tenantId: 't-undated', tier: 1 }], AT, new Map([['t-new', '2025-03-02T08:30:00.000Z'], ['t-tier', '2020-01-01T00:00:00.000Z']]));
    expect(r.events.map((e) => [e.id, e.occurredAt])).toEqual([
      ['pc-pull-2026-12-03-start-t-new', '2025-03-02T08:30:00.000Z'],
      ['pc-pull-2026-12-03-tier-t-tier', AT.toISOString()],
      ['pc-pull-2026-12-03-start-t-undated', AT.toISOString()],
    ]);
  });

  it('ends nothing when the list comes back empty while relationships are active', () => {
    expect(reconcileCsp(P, doc(csp('a', 'active'), csp('b', 'active')), [], AT)).toEqual({ events: [], endsWithheld: 2, inPlace: 0, tierChanged: 0 });
    expect(reconcileCsp(P, undefined, [], AT)).toEqual({ events: [], endsWithheld: 0, inPlace: 0, tierChanged: 0 });
  });

  it('reads reseller relationships from the customer list: advisors are not CSP, an indirect reseller makes tier 2', () => {
    expect(
      relationshipsOf([
        { id: 'c1', companyProfile: { tenantId: 't1' }, relationshipToPartner: 'reseller' },
        { id: 'c2', companyProfile: { tenantId: 't2' }, relationshipToPartner: 'advisor' },
        { id: 't3', relationshipToPartner: 'Reseller', associatedPartnerId: '4812345' },
        { id: 't4' },
      ]),
    ).toEqual([{ tenantId: 't1', tier: 1, customerId: 'c1' }, { tenantId: 't3', tier: 2 }, { tenantId: 't4', tier: 1 }]);
  });

  it('reads the next page under /v1, as Partner Center\'s links are relative to the version', () => {
    expect(nextPageUri('/customers?size=500&seekOperation=Next')).toBe('/v1/customers?size=500&seekOperation=Next');
    expect(nextPageUri('/v1/customers?size=500')).toBe('/v1/customers?size=500');
    expect(nextPageUri('https://api.partnercenter.microsoft.com/v1/customers?size=5')).toBe('https://api.partnercenter.microsoft.com/v1/customers?size=5');
  });
});
