import { z } from 'zod';

/**
 * A Partner Center webhook event as Microsoft documents it: thin, naming the resource to read. Unknown fields
 * are tolerated (Microsoft adds them), unknown event names too: they are recorded as information.
 */
export const partnerCenterEventSchema = z.looseObject({
  EventName: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  ResourceUri: z.url({ message: 'must be an absolute URL' }).max(2000, 'must be at most 2000 characters'),
  ResourceName: z.string().max(200).nullish(),
  AuditUri: z.string().max(2000).nullish(),
  ResourceChangeUtcDate: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with a time zone' }),
});
export type PartnerCenterEvent = z.infer<typeof partnerCenterEventSchema>;

/** What the queue step does with an event name. */
export type EventHandling =
  | { kind: 'test' }
  | { kind: 'csp-relationship'; tier: 1 | 2 }
  | { kind: 'customer' }
  | { kind: 'information' };

export function handlingOf(eventName: string): EventHandling {
  const name = eventName.toLowerCase();
  if (name === 'test-created') return { kind: 'test' };
  if (name === 'reseller-relationship-accepted-by-customer') return { kind: 'csp-relationship', tier: 1 };
  if (name === 'indirect-reseller-relationship-accepted-by-customer') return { kind: 'csp-relationship', tier: 2 };
  if (name === 'customer-created' || name === 'subscription-created' || name === 'subscription-updated') return { kind: 'customer' };
  // DAP and GDAP relationships grant admin access; they are not associations. Anything else: information.
  return { kind: 'information' };
}

/** A Partner Center customer as GET /v1/customers/{id} returns it (the parts used). */
export const customerSchema = z.looseObject({
  id: z.string().min(1).max(200),
  companyProfile: z.looseObject({ tenantId: z.string().min(1).max(200).optional(), companyName: z.string().max(500).optional() }).optional(),
  relationshipToPartner: z.string().max(100).optional(),
  /** The indirect reseller's PartnerID, on a customer an indirect provider serves through one (a tier 2 relationship). */
  associatedPartnerId: z.string().max(200).nullish(),
});
export type PartnerCenterCustomer = z.infer<typeof customerSchema>;

/** The customer id of a resource path `/v1/customers/{id}[/...]`, or undefined. */
export function customerIdOf(resourcePath: string): string | undefined {
  const m = /^\/v1\/customers\/([^/?#]+)/i.exec(resourcePath);
  return m ? decodeURIComponent(m[1]!) : undefined;
}

/**
 * A page of GET /v1/customers?size=N: the customers, and while more follow, `links.next` with the URI to read next
 * and the `MS-ContinuationToken` header to send with it.
 */
export const customerPageSchema = z.looseObject({
  totalCount: z.number().int().nonnegative().optional(),
  items: z.array(customerSchema),
  links: z
    .looseObject({
      next: z.looseObject({ uri: z.string().min(1).max(4000), headers: z.array(z.looseObject({ key: z.string().max(200), value: z.string().max(8000) })).max(20).optional() }).optional(),
    })
    .optional(),
});
export type CustomerPage = z.infer<typeof customerPageSchema>;

/** A page of GET /v1/customers/{id}/subscriptions: each subscription's creation date is what the pull reads. */
export const subscriptionPageSchema = z.looseObject({
  items: z.array(z.looseObject({ id: z.string().max(200).optional(), creationDate: z.iso.datetime({ offset: true }).optional() })).max(100_000),
});
