import { PermanentMessageError } from '../deliveries/process';
import { EVENT_SCHEMAS, type WebhookEvent } from '../events/schemas';
import { zodDetails } from '../lib/validation';
import type { AssociationsDoc } from '../state/documents';
import type { PartnerCenterCustomer } from './payload';

/**
 * The nightly pull's decision (pure): Partner Center's list of the partner's customers against the CSP associations
 * the state holds. A reseller relationship the state does not hold as active starts; an active CSP association whose
 * tenant the list no longer has ends; one whose tier changed (an indirect reseller now serves the customer, or no
 * longer does) is started again with the new tier, which keeps its start date; everything else is left alone, so a pull that finds what the events already
 * recorded sends nothing at all (and the associations' histories do not grow night after night).
 */

export interface PulledRelationship {
  tenantId: string;
  tier: 1 | 2;
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
    byTenant.set(tenantId, { tenantId, tier: c.associatedPartnerId ? 2 : 1 });
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

function cspEvent(partnerId: string, change: 'start' | 'tier' | 'end', r: PulledRelationship, day: string, at: string): WebhookEvent {
  const type = change === 'end' ? 'csp.relationship.ended' : 'csp.relationship.started';
  // One id per tenant, change and day: a retried pull on the same day sends the same events, applied once.
  const raw = { id: `pc-pull-${day}-${change}-${r.tenantId}`, type, partnerId, occurredAt: at, data: { tenantId: r.tenantId, tier: r.tier } };
  const parsed = EVENT_SCHEMAS[type].safeParse(raw);
  if (!parsed.success) throw new PermanentMessageError(`Partner Center customer ${r.tenantId} cannot be an association: ${zodDetails(parsed.error).map((d) => `${d.path}: ${d.message}`).join('; ')}`);
  return parsed.data;
}

export function reconcileCsp(partnerId: string, stored: AssociationsDoc | undefined, pulled: readonly PulledRelationship[], at: Date): Reconciliation {
  const day = at.toISOString().slice(0, 10);
  const iso = at.toISOString();
  const active = new Map<string, 1 | 2>();
  for (const a of Object.values(stored?.items ?? {})) if (a.type === 'CSP' && a.lifecycle === 'active' && a.tenantId) active.set(a.tenantId, a.cspTier ?? 1);
  const events: WebhookEvent[] = [];
  let inPlace = 0;
  let tierChanged = 0;
  for (const r of pulled) {
    const tier = active.get(r.tenantId);
    if (tier === r.tier) inPlace++;
    else {
      if (tier !== undefined) tierChanged++;
      events.push(cspEvent(partnerId, tier === undefined ? 'start' : 'tier', r, day, iso));
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
