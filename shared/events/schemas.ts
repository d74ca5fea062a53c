import { z } from 'zod';
import { AREAS, ASSOCIATION_TYPES, CLOUDS, CPOR_ROLES, OFFER_TYPES, PLATFORMS, SEGMENTS, TRACKS, isoDateSchema, isoMonthSchema, type AreaId } from '../scoring/snapshot';
import { classifiedAreas } from '../scoring/tracks';
import { addYears } from '../lib/dates';
import { eventIdSchema, writablePartnerIdSchema } from '../lib/ids';

/**
 * The events partners' systems send, one zod schema per event type and version. These schemas are the
 * contract: docs/schemas/events/*.json and the event catalogue in docs/webhooks.md are generated from them.
 */

export const EVENT_SCHEMA_VERSION = 1;
export const MAX_EVENTS_PER_DELIVERY = 500;

const id = (what: string) => z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters').describe(what);
const tenantId = id('Customer tenant id (Microsoft Entra tenant GUID).');
const amount = z.number().finite().min(0, 'must be zero or more');
/** People and seats come whole: 2.5 seats cannot be true. The upper bound is the MAX_SEAT_COUNT setting (plausibility.ts). */
const headcount = z.number().int('must be a whole number').min(0, 'must be zero or more');

const envelope = {
  id: eventIdSchema.describe("The event's unique id in the sender's system; a repeated id is applied once."),
  version: z.literal(EVENT_SCHEMA_VERSION).default(EVENT_SCHEMA_VERSION).describe('Version of the event schema.'),
  partnerId: writablePartnerIdSchema.describe('Partner id (the Partner Center PartnerID the state belongs to): 1 to 128 characters, no / \\ ? # or control characters, not starting with _.'),
  occurredAt: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with a time zone, e.g. 2026-05-01T10:00:00Z' }).describe('When the change happened in the source system; an older event never overwrites newer state.'),
};

function event<T extends string, D extends z.ZodType>(type: T, description: string, data: D) {
  return z.object({ ...envelope, type: z.literal(type), data }).describe(description);
}

const cporData = z
  .object({
    claimId: id('The claim id in Partner Center (or the sender\'s own stable id of the claim).'),
    tenantId,
    solutionArea: z.enum(AREAS).describe('Solution area the claim is for.'),
    role: z.enum(CPOR_ROLES).describe('Partner role of the claim.'),
    workloads: z.array(id('Workload id as in the rule sets.')).min(1, 'must list at least one workload').optional().describe('Workloads claimed (Modern Work and Security claims are per workload).'),
    subscriptionId: id('Subscription id; required for Business Applications claims.').optional(),
    reason: z.string().max(1000).optional().describe('Reviewer or customer note, kept in the history.'),
  })
  .refine((d) => d.solutionArea !== 'business-applications' || d.subscriptionId !== undefined, {
    path: ['subscriptionId'],
    message: 'is required for Business Applications claims',
    // Checked even when other fields fail, so one answer lists every problem.
    when: (payload) => {
      const v = payload.value as { solutionArea?: unknown; subscriptionId?: unknown } | undefined;
      return typeof v === 'object' && v !== null && v.solutionArea === 'business-applications' && v.subscriptionId === undefined;
    },
  });

const palData = z.object({
  tenantId,
  objectId: id('Object id of the user or service principal the PartnerID is linked to.'),
  scope: z.string().min(1).max(1000).optional().describe('RBAC scope of the identity (management group, subscription, resource group...).'),
  role: z.string().min(1).max(200).optional().describe('RBAC role of the identity (e.g. Contributor).'),
});

const dporData = z.object({
  tenantId,
  subscriptionId: id('Subscription the customer set the Digital Partner of Record on.'),
  workloadFamily: z.string().min(1).max(200).optional().describe('Product family of the subscription (e.g. azure, microsoft-365, dynamics-365).'),
});

const cspData = z.object({
  tenantId,
  tier: z.union([z.literal(1), z.literal(2)]).describe('1 = direct bill, 2 = indirect provider or reseller.'),
});

const professionalData = z.object({
  learnProfileId: id('Microsoft Learn profile id of the person: the key of the professional.'),
  name: z.string().min(1).max(200).optional(),
  email: z.email({ message: 'must be an e-mail address' }).optional(),
});

const certificationBase = {
  learnProfileId: id('Microsoft Learn profile id of the person.'),
  certificationId: id("The certification: the rule sets' id, its Microsoft Learn name or an exam code that earns it (azure-administrator-associate, 'Microsoft Certified: Azure Administrator Associate' or AZ-104); stored under the rule sets' id, and refused with 422 when none of them matches."),
};

const telemetryData = z
  .object({
    month: isoMonthSchema.describe('The month the figures are for (YYYY-MM): from 2015-01 up to the current month.'),
    tenantId,
    platform: z.enum(PLATFORMS),
    workload: id('Azure service (Service Level 2), Microsoft 365, Dynamics 365 or Power Platform workload.'),
    associationType: z.enum(ASSOCIATION_TYPES).describe('Association through which the usage is attributed.'),
    subscriptionId: id('Subscription, when figures are per subscription.').optional(),
    offer: z.enum(OFFER_TYPES).optional(),
    acrUsd: amount.optional().describe('Azure consumed revenue in the month, USD.'),
    revenueUsd: amount.optional().describe('Billed revenue in the month, USD.'),
    paidSeats: headcount.optional().describe('Paid seats.'),
    activeUsers: headcount.optional().describe('Monthly active users.'),
    mcvUnits: amount.optional().describe('Business Applications MCV input: active users, capacity units or Customer Insights profiles.'),
    protectedUsers: headcount.optional().describe('Security: active paid seats on eligible workloads.'),
  })
  .refine((d) => ['acrUsd', 'revenueUsd', 'paidSeats', 'activeUsers', 'mcvUnits', 'protectedUsers'].some((k) => d[k as keyof typeof d] !== undefined), {
    message: 'must carry at least one figure: acrUsd, revenueUsd, paidSeats, activeUsers, mcvUnits or protectedUsers',
  });

const displayName = (what: string) => z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters').describe(what);
const partnerIdList = (what: string) =>
  z
    .array(id('A PartnerID (formerly MPN id).'))
    .max(500, 'must list at most 500 ids')
    .refine((ids) => new Set(ids).size === ids.length, 'must not list an id twice')
    .describe(what);

/** At least one of `keys` is given: an event that states nothing would be stored and never change anything. */
const statesOne = <T extends Record<string, unknown>>(keys: readonly (keyof T & string)[]) => [
  (d: T) => keys.some((k) => d[k] !== undefined),
  { message: `must carry at least one of ${keys.join(', ')}` },
] as const;

const partnerData = z
  .object({
    name: displayName("The partner's display name."),
    locationIds: partnerIdList('PartnerIDs of the partner\'s Partner Center location accounts: the full list, replacing the one stored.'),
    partnerIdAliases: partnerIdList('Other PartnerIDs (formerly MPN ids) the partner is known by, e.g. after a merger: the full list, replacing the one stored.'),
  })
  .partial()
  .refine(...statesOne<{ name?: string; locationIds?: string[]; partnerIdAliases?: string[] }>(['name', 'locationIds', 'partnerIdAliases']));

const customerData = z
  .object({
    tenantId,
    name: displayName("The customer's display name.").optional(),
    segment: z.enum(SEGMENTS).optional().describe("Microsoft's segment of the customer (smb or enterprise): the Azure areas' SMB track needs 80% of customers with consumption to be SMB."),
    cloud: z.enum(CLOUDS).optional().describe('Cloud of the tenant: commercial (default), government, or sovereign (Azure operated by 21Vianet and other sovereign clouds, not scored).'),
  })
  .refine(...statesOne<{ name?: string; segment?: string; cloud?: string }>(['name', 'segment', 'cloud']));

const designationArea = z.enum(AREAS).describe('Solution area of the Solutions Partner designation.');
/** An anniversary follows the day it is stated on, at most two years later (a renewal early in its window sets the next year's). */
const anniversaryAfter = (dateField: 'enrolledOn' | 'renewedOn'): [(d: Record<string, string>) => boolean, { path: string[]; message: string }] => [
  (d) => d.anniversaryDate! > d[dateField]! && d.anniversaryDate! <= addYears(d[dateField]!, 2),
  { path: ['anniversaryDate'], message: `must be after ${dateField} and at most two years later` },
];
const anniversaryDate = isoDateSchema.describe("The designation's next anniversary date: the renewal window is its month and the five months before.");

const CLASSIFIED_AREAS = classifiedAreas() as [AreaId, ...AreaId[]];
const classifiedArea = z.enum(CLASSIFIED_AREAS).describe(`Solution area whose track Partner Center classifies: ${CLASSIFIED_AREAS.join(', ')} (the other areas score the better of both tracks).`);

export const EVENT_SCHEMAS = {
  'cpor.claim.submitted': event('cpor.claim.submitted', 'A CPOR claim was submitted in Partner Center.', cporData),
  'cpor.claim.approved': event('cpor.claim.approved', 'A CPOR claim was approved: the association is in place from occurredAt.', cporData),
  'cpor.claim.rejected': event('cpor.claim.rejected', 'A CPOR claim was rejected by the reviewer.', cporData),
  'cpor.claim.disputed': event('cpor.claim.disputed', 'A rejected CPOR claim was disputed (once, within 30 days of the rejection).', cporData),
  'cpor.claim.declined': event('cpor.claim.declined', 'The customer declined the CPOR association.', cporData),
  'cpor.claim.disassociated': event('cpor.claim.disassociated', 'The partner disassociated the CPOR claim; it ends on occurredAt.', cporData),
  'pal.linked': event('pal.linked', 'A Partner Admin Link was set on a user or service principal in a customer tenant.', palData),
  'pal.unlinked': event('pal.unlinked', 'A Partner Admin Link was removed (or its identity deleted or disabled).', palData),
  'dpor.attached': event('dpor.attached', 'The customer set the partner as Digital Partner of Record on a subscription.', dporData),
  'dpor.detached': event('dpor.detached', 'The Digital Partner of Record was removed from the subscription or changed to another partner.', dporData),
  'csp.relationship.started': event('csp.relationship.started', 'A CSP reseller relationship with a customer started.', cspData),
  'csp.relationship.ended': event('csp.relationship.ended', 'A CSP reseller relationship with a customer ended.', cspData),
  'professional.linked': event('professional.linked', "A certified professional associated their Microsoft Learn profile with the partner (at most three links a year, 30 days apart).", professionalData),
  'professional.unlinked': event('professional.unlinked', 'A certified professional was unlinked (left, or linked to another organisation).', professionalData),
  'certification.earned': event(
    'certification.earned',
    'A professional earned a certification.',
    z.object({ ...certificationBase, earnedOn: isoDateSchema, expiresOn: isoDateSchema.optional().describe('Expiry shown on the transcript; default one year after earning.') }),
  ),
  'certification.renewed': event(
    'certification.renewed',
    'A professional renewed a certification.',
    z.object({ ...certificationBase, renewedOn: isoDateSchema, expiresOn: isoDateSchema.optional().describe('New expiry after the renewal.') }),
  ),
  'certification.expired': event('certification.expired', 'A certification expired.', z.object({ ...certificationBase, expiredOn: isoDateSchema })),
  'event.retracted': event(
    'event.retracted',
    "Withdraws an event sent in error: the event named leaves its record's history, the record is replayed as if it had never arrived, and a later delivery of the same event id is refused. Any event type can be retracted (a certification record only while the Learn sync or an import has not changed it since); send it after the event's delivery was applied.",
    z
      .object({
        eventId: eventIdSchema.describe('Id of the event to withdraw (an event of the same partner).'),
        reason: z.string().max(1000, 'must be at most 1000 characters').optional().describe('Why it is withdrawn, kept with the record.'),
      }),
  ).refine((e) => e.data.eventId !== e.id, { path: ['data', 'eventId'], message: 'names the retraction itself; name the event to withdraw' }),
  'partner.updated': event('partner.updated', "The partner's profile changed: display name, location accounts or PartnerID aliases. Each field given replaces the stored one; fields left out stay as they are.", partnerData),
  'customer.updated': event('customer.updated', "A customer tenant's profile as Microsoft classifies it: segment (drives the Azure SMB track), cloud, display name. Fields left out stay as they are.", customerData),
  'designation.enrolled': event(
    'designation.enrolled',
    'The partner enrolled in the Solutions Partner designation of an area.',
    z.object({ area: designationArea, enrolledOn: isoDateSchema.describe('Day of the enrolment.'), anniversaryDate }).refine(...anniversaryAfter('enrolledOn')),
  ),
  'designation.renewed': event(
    'designation.renewed',
    'The partner renewed the designation of an area: its anniversary moves to the date given.',
    z.object({ area: designationArea, renewedOn: isoDateSchema.describe('Day of the renewal.'), anniversaryDate: anniversaryDate.describe('The anniversary after the renewal.') }).refine(...anniversaryAfter('renewedOn')),
  ),
  'designation.lost': event('designation.lost', 'The partner no longer holds the designation of an area (not renewed, or removed).', z.object({ area: designationArea, lostOn: isoDateSchema.describe('First day without the designation.') })),
  'track.classified': event(
    'track.classified',
    "Partner Center shows the partner's track for an area: it wins over the engine's own reading from the event's day on.",
    z.object({ area: classifiedArea, track: z.enum(TRACKS).describe('The track as Partner Center shows it: smb or enterprise.') }),
  ),
  'track.unclassified': event('track.unclassified', "Partner Center no longer shows a track for the area: the engine's own reading applies again.", z.object({ area: classifiedArea })),
  'telemetry.monthly': event('telemetry.monthly', 'Monthly usage figures of one workload in one customer tenant through one association type; a later report for the same key replaces the earlier one.', telemetryData),
} as const;

export type EventType = keyof typeof EVENT_SCHEMAS;
export const EVENT_TYPES = Object.keys(EVENT_SCHEMAS) as EventType[];
export type WebhookEvent = { [K in EventType]: z.output<(typeof EVENT_SCHEMAS)[K]> }[EventType];
export type EventOf<K extends EventType> = z.output<(typeof EVENT_SCHEMAS)[K]>;

export function isEventType(t: unknown): t is EventType {
  return typeof t === 'string' && Object.prototype.hasOwnProperty.call(EVENT_SCHEMAS, t);
}

/** The schema of any event, as one union (for OpenAPI and JSON Schema). */
export const anyEventSchema = z.discriminatedUnion('type', Object.values(EVENT_SCHEMAS) as unknown as [(typeof EVENT_SCHEMAS)[EventType], ...(typeof EVENT_SCHEMAS)[EventType][]]);

/** A delivery body: one event, or a batch of up to 500 for bulk imports. */
export const deliverySchema = z.union([
  anyEventSchema,
  z.object({ events: z.array(anyEventSchema).min(1, 'must hold at least one event').max(MAX_EVENTS_PER_DELIVERY, `must hold at most ${MAX_EVENTS_PER_DELIVERY} events`) }),
]);
