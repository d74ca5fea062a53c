import { PermanentMessageError } from '../deliveries/process';
import { EVENT_SCHEMAS, type WebhookEvent } from '../events/schemas';
import { zodDetails } from '../lib/validation';
import type { AssociationsDoc } from '../state/documents';
import type { PartnerCenterCustomer } from './payload';

/**
 * The nightly pull's decision (pure): Partner Center's list of the partner's customers against the CSP associations
 * the state holds. A reseller relationship the state does not hold as active starts; an active CSP association whose
 * tenant the list no longer has ends; one whose tier changed (an indirect reseller now serves the customer, or no
 * longer does) is started again with the new tier, which keeps its start date; everything else is left alone, so a
 * pull that finds what the events already recorded sends nothing at all (and the associations' histories do not
 * grow night after night).
 */

export interface PulledRelationship {
  tenantId: string;
  tier: 1 | 2;
  /** Partner Center's customer id (the path of its resources), usually the tenant id. */
  customerId?: string;
}

/**
 * The CSP relationships in a customer list: the customers whose relationship to the partner is `reseller` (an
 * `advisor` relationship is not a CSP one). Tier 2 when the customer is served through an indirect reseller
 * (`associatedPartnerId`), as the indirect-reseller event is; otherwise tier 1.
 */
export function relationshipsOf(customers: readonly PartnerCenterCustomer[]): PulledRelationship[] {
  const byTenant = new Map<string, PulledRelationship>();
  for (const c of customers) {
    if (c.relationshipToPartner !== undefined && c.relationshipToPartner.toLowerCase() !== 'reseller') continue;
    const tenantId = c.companyProfile?.tenantId ?? c.id;
    byTenant.set(tenantId, { tenantId, tier: c.associatedPartnerId ? 2 : 1, ...(c.id !== tenantId ? { customerId: c.id } : {}) });
  }
  return [...byTenant.values()];
}

export interface Reconciliation {
  events: WebhookEvent[];
  /** Active CSP associations the list lacks that were left active: the list came back empty (see below). */
  endsWithheld: number;
  /** Relationships the state already holds as active, with the same tier. */
  inPlace: number;
  /** Active relationships whose tier the list gives differently: started again with the new one. */
  tierChanged: number;
}

function cspEvent(partnerId: string, change: 'start' | 'tier' | 'end', r: Pick<PulledRelationship, 'tenantId' | 'tier'>, day: string, at: string): WebhookEvent {
  const type = change === 'end' ? 'csp.relationship.ended' : 'csp.relationship.started';
  // One id per tenant, change and day: a retried pull on the same day sends the same events, applied once.
  const raw = { id: `pc-pull-${day}-${change}-${r.tenantId}`, type, partnerId, occurredAt: at, data: { tenantId: r.tenantId, tier: r.tier } };
  const parsed = EVENT_SCHEMAS[type].safeParse(raw);
  if (!parsed.success) throw new PermanentMessageError(`Partner Center customer ${r.tenantId} cannot be an association: ${zodDetails(parsed.error).map((d) => `${d.path}: ${d.message}`).join('; ')}`);
  return parsed.data;
}

/**
 * The relationships of `pulled` the state has never held: those a pull starts and may date by their subscriptions
 * (pull.ts). One the state holds as ended starts again at the pull's time: dated earlier, its start would sort
 * before its end and leave it ended.
 */
export function firstSeenRelationships(stored: AssociationsDoc | undefined, pulled: readonly PulledRelationship[]): PulledRelationship[] {
  const known = new Set(Object.values(stored?.items ?? {}).flatMap((a) => (a.type === 'CSP' && a.tenantId ? [a.tenantId] : [])));
  return pulled.filter((r) => !known.has(r.tenantId));
}

function activeCsp(stored: AssociationsDoc | undefined): Map<string, 1 | 2> {
  const active = new Map<string, 1 | 2>();
  for (const a of Object.values(stored?.items ?? {})) if (a.type === 'CSP' && a.lifecycle === 'active' && a.tenantId) active.set(a.tenantId, a.cspTier ?? 1);
  return active;
}

/**
 * `startedOn` dates the relationships that start (ISO date-times by tenant id, from their subscriptions); one
 * without a date is dated `at`, the pull.
 */
export function reconcileCsp(partnerId: string, stored: AssociationsDoc | undefined, pulled: readonly PulledRelationship[], at: Date, startedOn: ReadonlyMap<string, string> = new Map()): Reconciliation {
  const day = at.toISOString().slice(0, 10);
  const iso = at.toISOString();
  const active = activeCsp(stored);
  const events: WebhookEvent[] = [];
  let inPlace = 0;
  let tierChanged = 0;
  for (const r of pulled) {
    const tier = active.get(r.tenantId);
    if (tier === r.tier) inPlace++;
    else {
      if (tier !== undefined) tierChanged++;
      events.push(cspEvent(partnerId, tier === undefined ? 'start' : 'tier', r, day, tier === undefined ? (startedOn.get(r.tenantId) ?? iso) : iso));
    }
  }
  const listed = new Set(pulled.map((r) => r.tenantId));
  const gone = [...active].filter(([tenantId]) => !listed.has(tenantId));
  // An empty list against active relationships is far likelier a wrong account or an API fault than every customer
  // leaving overnight: ending them all would take the partner's CSP points away. Left for a person to check.
  if (!pulled.length && gone.length) return { events, endsWithheld: gone.length, inPlace, tierChanged };
  for (const [tenantId, tier] of gone) events.push(cspEvent(partnerId, 'end', { tenantId, tier }, day, iso));
  return { events, endsWithheld: 0, inPlace, tierChanged };
}
