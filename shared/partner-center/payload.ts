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
});
export type PartnerCenterCustomer = z.infer<typeof customerSchema>;

/** The customer id of a resource path `/v1/customers/{id}[/...]`, or undefined. */
export function customerIdOf(resourcePath: string): string | undefined {
  const m = /^\/v1\/customers\/([^/?#]+)/i.exec(resourcePath);
  return m ? decodeURIComponent(m[1]!) : undefined;
}
