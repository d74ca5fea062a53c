import { z } from 'zod';

/**
 * The partner snapshot: everything the engine needs to score one partner, as plain JSON
 * (ISO date strings, no Date objects) so it can be stored in Cosmos and sent over HTTP unchanged.
 *
 * Ingestion builds it from stored associations, professionals and telemetry; the engine never
 * reads anything else. Unknown workloads and certification ids are allowed on purpose: rule sets
 * change over time, and the engine explains why such an item did not count instead of rejecting it.
 */

export const SNAPSHOT_SCHEMA_VERSION = 1;

export const AREAS = [
  'data-ai',
  'infrastructure',
  'digital-app-innovation',
  'business-applications',
  'modern-work',
  'security',
] as const;
export type AreaId = (typeof AREAS)[number];

export const AREA_NAMES: Record<AreaId, string> = {
  'data-ai': 'Data & AI',
  infrastructure: 'Infrastructure',
  'digital-app-innovation': 'Digital & App Innovation',
  'business-applications': 'Business Applications',
  'modern-work': 'Modern Work',
  security: 'Security',
};

export const ASSOCIATION_TYPES = ['CPOR', 'PAL', 'DPOR', 'CSP'] as const;
export type AssociationType = (typeof ASSOCIATION_TYPES)[number];

/** Partner roles of a CPOR claim (Partner Center "Customer claims"); they decide which metrics a claim feeds. */
export const CPOR_ROLES = [
  'use-or-consume', // Modern Work & Security usage
  'osa', // Business Applications: Build intent - Advisor
  'osu', // Business Applications: Usage recognition - Non-Incentivized
  'revrec', // Business Applications: Influenced Revenue recognition - Non-Incentivized
  'revrec-performance', // Business Applications NCA lists it; no matching claim role on the CPOR page
] as const;
export type CporRole = (typeof CPOR_ROLES)[number];

/** Only `active` associations earn points; the others are kept so explanations can say why. */
export const ASSOCIATION_STATUSES = ['pending', 'active', 'rejected', 'ended'] as const;

/** Which product telemetry a row describes; rule sets pick workloads within a platform. */
export const PLATFORMS = ['azure', 'microsoft-365', 'dynamics-365', 'power-platform'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** Offer types of a consumption row; rule sets exclude support, internal, benefit-program and trial. */
export const OFFER_TYPES = ['standard', 'support', 'internal', 'benefit-program', 'trial'] as const;

export const CLOUDS = ['commercial', 'government', 'sovereign'] as const;
export const SEGMENTS = ['smb', 'enterprise'] as const;
export const TRACKS = ['enterprise', 'smb'] as const;
export type Track = (typeof TRACKS)[number];

const isoDate = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be a date YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'must be a real calendar date');
const isoMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM');
const id = z.string().min(1, 'must not be empty');
const amount = z.number().finite().min(0, 'must be zero or more');
const count = z.number().finite().min(0, 'must be zero or more');

export const isoDateSchema = isoDate;
export const isoMonthSchema = isoMonth;

export const customerSchema = z
  .object({
    tenantId: id,
    name: z.string().optional(),
    /** Microsoft's customer segment; drives the Azure SMB/Enterprise track (80% rule). */
    segment: z.enum(SEGMENTS).optional(),
    /** Sovereign clouds (Azure China, isolated government clouds) are not scored; government tenants in commercial clouds are. */
    cloud: z.enum(CLOUDS).default('commercial'),
  })
  .describe('A customer tenant known to the partner.');

export const associationSchema = z
  .object({
    id: id.describe('Stable id of the association in the partner record.'),
    type: z.enum(ASSOCIATION_TYPES),
    tenantId: id,
    /** Business Applications CPOR claims and DPOR are per subscription. */
    subscriptionId: z.string().min(1).optional(),
    /** Workloads the association covers (CPOR claims are per workload); absent = every workload of the tenant. */
    workloads: z.array(id).optional(),
    solutionArea: z.enum(AREAS).optional(),
    /** Partner role of a CPOR claim. */
    role: z.enum(CPOR_ROLES).optional(),
    cspTier: z.union([z.literal(1), z.literal(2)]).optional(),
    status: z.enum(ASSOCIATION_STATUSES).default('active'),
    /** First day the association is in place (claim approved, PAL linked, DPOR set, CSP relationship). */
    startDate: isoDate,
    /** First day it is no longer in place (disassociated, subscription expired, link removed). */
    endDate: isoDate.optional(),
    /**
     * Earlier periods in place, oldest first, when the association ended and started again: the year-ago side of
     * net customer adds and growth baselines use the associations in place in that month.
     */
    earlierPeriods: z.array(z.object({ startDate: isoDate, endDate: isoDate })).optional(),
  })
  .superRefine((a, ctx) => {
    if (a.type === 'CPOR' && !a.role) ctx.addIssue({ code: 'custom', path: ['role'], message: 'a CPOR association needs its partner role' });
    if (a.type !== 'CPOR' && a.role) ctx.addIssue({ code: 'custom', path: ['role'], message: 'only CPOR associations have a partner role' });
    if (a.endDate && a.endDate < a.startDate) ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'must not be before startDate' });
    for (const [i, p] of (a.earlierPeriods ?? []).entries()) {
      if (p.endDate < p.startDate) ctx.addIssue({ code: 'custom', path: ['earlierPeriods', i, 'endDate'], message: 'must not be before startDate' });
      if (p.endDate > a.startDate) ctx.addIssue({ code: 'custom', path: ['earlierPeriods', i, 'endDate'], message: 'must not be after the startDate of the current period' });
    }
  })
  .describe('A customer association: CPOR claim, Partner Admin Link, Digital Partner of Record or CSP relationship.');

export const certificationHoldingSchema = z
  .object({
    /** Id from listCertifications(); unknown ids are kept and explained as not recognised. */
    certificationId: id,
    earnedOn: isoDate,
    /** Expiry as shown on the Learn transcript (after renewals). Absent: one year after earning, extended by renewals; Fundamentals never expire. */
    expiresOn: isoDate.optional(),
    renewals: z.array(z.object({ renewedOn: isoDate, expiresOn: isoDate.optional() })).optional(),
  })
  .describe('A certification a professional holds.');

export const professionalSchema = z
  .object({
    id: id.describe('Stable id of the person in the partner record.'),
    learnProfileId: z.string().min(1).optional(),
    name: z.string().optional(),
    /** Whether the Learn profile is associated with the partner organisation; unlinked people earn nothing. */
    linked: z.boolean(),
    linkedOn: isoDate.optional(),
    unlinkedOn: isoDate.optional(),
    certifications: z.array(certificationHoldingSchema).default([]),
  })
  .describe('A certified professional.');

export const telemetryRowSchema = z
  .object({
    tenantId: id,
    month: isoMonth,
    platform: z.enum(PLATFORMS),
    /** Azure Service Level 2 name, Microsoft 365 workload or Dynamics 365 / Power Platform workload (ids as in the rule set). */
    workload: id,
    /** The association through which Microsoft attributes this usage to the partner. */
    associationType: z.enum(ASSOCIATION_TYPES),
    subscriptionId: z.string().min(1).optional(),
    offer: z.enum(OFFER_TYPES).default('standard'),
    /** Azure consumed revenue in the month, USD. */
    acrUsd: amount.optional(),
    /** Billed revenue in the month, USD (Business Applications net customer adds and track). */
    revenueUsd: amount.optional(),
    paidSeats: count.optional(),
    /** Monthly active users (Modern Work usage and deployments). */
    activeUsers: count.optional(),
    /** Business Applications MCV input: monthly active users or capacity units (profiles for Customer Insights). */
    mcvUnits: count.optional(),
    /** Security: active paid seats on eligible workloads. */
    protectedUsers: count.optional(),
  })
  .describe('One month of usage of one workload in one customer tenant, attributed through one association type.');

export const enrollmentSchema = z
  .object({
    area: z.enum(AREAS),
    enrolledOn: isoDate,
    /** Next anniversary date; the renewal window is the anniversary month and the five months before. */
    anniversaryDate: isoDate,
  })
  .describe('A Solutions Partner designation the partner is enrolled in.');

export const partnerSnapshotSchema = z
  .object({
    schemaVersion: z.literal(SNAPSHOT_SCHEMA_VERSION).default(SNAPSHOT_SCHEMA_VERSION),
    partnerId: id,
    name: z.string().optional(),
    /** Track as shown in Partner Center, overriding the engine's classification for Azure areas and Business Applications. */
    trackOverrides: z.partialRecord(z.enum(AREAS), z.enum(TRACKS)).optional(),
    /**
     * The day Partner Center showed each track of trackOverrides (a `track.classified` event): the override wins from
     * that day on and the explanation names the date. Without a date the override holds on every day.
     */
    trackClassifiedOn: z.partialRecord(z.enum(AREAS), isoDate).optional(),
    enrollments: z.array(enrollmentSchema).default([]),
    customers: z.array(customerSchema).default([]),
    associations: z.array(associationSchema).default([]),
    professionals: z.array(professionalSchema).default([]),
    telemetry: z.array(telemetryRowSchema).default([]),
  })
  .describe('Everything needed to score one partner for all six solution areas.');

/** The snapshot after parsing (defaults filled in). */
export type PartnerSnapshot = z.output<typeof partnerSnapshotSchema>;
/** The snapshot as stored or sent (defaults optional). */
export type PartnerSnapshotInput = z.input<typeof partnerSnapshotSchema>;
export type Customer = z.output<typeof customerSchema>;
export type Association = z.output<typeof associationSchema>;
export type Professional = z.output<typeof professionalSchema>;
export type CertificationHolding = z.output<typeof certificationHoldingSchema>;
export type TelemetryRow = z.output<typeof telemetryRowSchema>;
export type Enrollment = z.output<typeof enrollmentSchema>;

export class SnapshotError extends Error {
  constructor(readonly issues: { path: string; message: string }[]) {
    super(`Invalid partner snapshot:\n${issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n')}`);
    this.name = 'SnapshotError';
  }
}

/** Validates a snapshot; throws SnapshotError naming each bad field (e.g. `telemetry[3].month`) and why. */
export function parseSnapshot(input: unknown): PartnerSnapshot {
  const parsed = partnerSnapshotSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new SnapshotError(parsed.error.issues.map((i) => ({ path: formatPath(i.path) || '(root)', message: i.message })));
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}
