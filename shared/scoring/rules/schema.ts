import { z } from 'zod';
import { AREAS, CPOR_ROLES, isoDateSchema, OFFER_TYPES, PLATFORMS, TRACKS } from '../snapshot';

/**
 * The shape of a rule set. Rule versions are data files validated against this at load, so a new
 * Microsoft page revision is a new file; the engine only knows the metric kinds below.
 */

/** A boundary with the operator the source uses ("at least" = inclusive, "more than" = exclusive). */
export const boundSchema = z.object({ value: z.number().finite(), inclusive: z.boolean() });
export const rangeSchema = z.object({ min: boundSchema.optional(), max: boundSchema.optional() });
export type Bound = z.infer<typeof boundSchema>;
export type Range = z.infer<typeof rangeSchema>;

export const ASSOCIATION_KINDS = ['CSP', 'DPOR', 'PAL', ...CPOR_ROLES.map((r) => `CPOR:${r}` as const)] as const;

export const workloadFilterSchema = z.object({
  platform: z.enum(PLATFORMS),
  /** 'all' = every workload of the platform (Azure "all Service Level 2 services"). */
  include: z.union([z.literal('all'), z.array(z.string().min(1)).min(1)]),
  exclude: z.array(z.string().min(1)).default([]),
});

/** Where a metric's telemetry comes from: which workloads, through which associations, at which MCV rate. */
export const sourceSchema = z.object({
  label: z.string().min(1),
  workloads: workloadFilterSchema,
  associations: z.array(z.enum(ASSOCIATION_KINDS)).min(1),
  excludedOffers: z.array(z.enum(OFFER_TYPES)).default(['support', 'internal', 'benefit-program', 'trial']),
  /** MCV rate card (Business Applications): MCV = units x rate. */
  mcvRates: z.record(z.string(), z.number().positive()).optional(),
});
export type Source = z.infer<typeof sourceSchema>;

export const MEASURES = ['acrUsd', 'revenueUsd', 'paidSeats', 'activeUsers', 'mcv', 'protectedUsers'] as const;
export type Measure = (typeof MEASURES)[number];

/** Months are counted back from the evaluation date's month: 1 = last month. */
export const windowSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('month'), monthsAgo: z.number().int().min(1) }),
  /** Eligible in any one of these months (Azure NCA: one of the last two months). */
  z.object({ kind: z.literal('any-month'), monthsAgo: z.array(z.number().int().min(1)).min(1) }),
  /** Sum of the twelve months ending `monthsAgo` back (trailing twelve months). */
  z.object({ kind: z.literal('ttm'), monthsAgo: z.number().int().min(1).default(1) }),
]);
export type Window = z.infer<typeof windowSchema>;

/** When a tenant (or tenant x workload) is eligible. */
export const criterionSchema = z.object({
  measure: z.enum(MEASURES),
  /**
   * 'tenant-sum': sum over the eligible workloads of a tenant; 'any-workload': some single workload meets it
   * (Modern Work "at least one workload with more than 300 seats"); 'per-workload': the unit is workload x tenant.
   */
  by: z.enum(['tenant-sum', 'any-workload', 'per-workload']),
  window: windowSchema,
  range: rangeSchema,
  /** Share of paid seats that must be active on the same workload (Modern Work 40%, Security 15%). */
  activeShare: boundSchema.optional(),
  /** A tenant above the range's maximum stays eligible if it was within the range a year earlier (2026 SMB promoted-tenant rule). */
  promotedTenantRule: z.boolean().default(false),
});
export type Criterion = z.infer<typeof criterionSchema>;

const metricBase = {
  id: z.enum(['net-customer-adds', 'intermediate-certifications', 'advanced-certifications', 'usage-growth', 'deployments']),
  name: z.string().min(1),
  family: z.enum(['performance', 'skilling', 'customer-success']),
  max: z.number().positive(),
};

const netCountPartSchema = z.object({
  label: z.string().min(1),
  sources: z.array(sourceSchema).min(1),
  criterion: criterionSchema,
  /** Net units that earn the metric's maximum; points = max x units / unitsForMax. */
  unitsForMax: z.number().positive(),
  unitLabel: z.string().min(1),
  /** Drop units associated in the last 12 months that already met the criterion when associated (Modern Work deployments). */
  excludeAlreadyMetAtAssociation: z.boolean().default(false),
});

export const netCountMetricSchema = z.object({
  ...metricBase,
  kind: z.literal('net-count'),
  /** 'sum': parts add up (Security Azure + Microsoft 365); 'best': best association option (Modern Work). */
  combine: z.enum(['sum', 'best']),
  parts: z.array(netCountPartSchema).min(1),
  baselineMonthsAgo: z.number().int().positive().default(12),
});

export const growthPercentMetricSchema = z.object({
  ...metricBase,
  kind: z.literal('growth-percent'),
  sources: z.array(sourceSchema).min(1),
  measure: z.enum(MEASURES),
  /** The baseline (same month last year) must reach this, or the metric earns nothing. */
  baselineMinimum: boundSchema,
  pointsPerPercent: z.number().positive(),
  /** Azure: the page defines qualifying ACR as a 12-month total; the azureUsageGrowthBasis setting picks. */
  ttmVariantAllowed: z.boolean().default(false),
});

const growthAbsolutePartSchema = z.object({
  label: z.string().min(1),
  sources: z.array(sourceSchema).min(1),
  measure: z.enum(MEASURES),
  /** Which tenants are in scope (per track), judged now. */
  scope: criterionSchema.optional(),
  /** Growth that earns the maximum; points = max x growth / unitsForMax. */
  unitsForMax: z.number().positive(),
  unitLabel: z.string().min(1),
  /** "No credit for growth that existed prior to your association": baseline is taken no earlier than the association month. */
  sinceAssociation: z.boolean().default(false),
});

export const growthAbsoluteMetricSchema = z.object({
  ...metricBase,
  kind: z.literal('growth-absolute'),
  combine: z.enum(['sum', 'best']),
  parts: z.array(growthAbsolutePartSchema).min(1),
});

export const distinctWorkloadsMetricSchema = z.object({
  ...metricBase,
  kind: z.literal('distinct-workloads'),
  sources: z.array(sourceSchema).min(1),
  measure: z.enum(MEASURES),
  window: windowSchema,
  range: rangeSchema,
  unitsForMax: z.number().positive(),
  unitLabel: z.string().min(1),
});

export const skillingGateSchema = z.object({
  label: z.string().min(1),
  certifications: z.array(z.string().min(1)).min(1),
  minPeople: z.number().int().positive(),
  /** Enterprise: 0 (a prerequisite); SMB: a flat 4 once met. */
  points: z.number().min(0),
});

export const skillingMetricSchema = z
  .object({
    ...metricBase,
    kind: z.literal('skilling'),
    gates: z.array(skillingGateSchema).default([]),
    certifications: z.array(z.string().min(1)).min(1),
    /** Either a fixed value per person, or the head-count that earns the maximum (points = max x people / peopleForMax). */
    pointsPerPerson: z.number().positive().optional(),
    peopleForMax: z.number().int().positive().optional(),
  })
  .refine((m) => (m.pointsPerPerson === undefined) !== (m.peopleForMax === undefined), 'give exactly one of pointsPerPerson and peopleForMax');

export const metricRuleSchema = z.union([
  netCountMetricSchema,
  growthPercentMetricSchema,
  growthAbsoluteMetricSchema,
  distinctWorkloadsMetricSchema,
  skillingMetricSchema,
]);
export type MetricRule = z.infer<typeof metricRuleSchema>;
export type NetCountMetric = z.infer<typeof netCountMetricSchema>;
export type GrowthPercentMetric = z.infer<typeof growthPercentMetricSchema>;
export type GrowthAbsoluteMetric = z.infer<typeof growthAbsoluteMetricSchema>;
export type DistinctWorkloadsMetric = z.infer<typeof distinctWorkloadsMetricSchema>;
export type SkillingMetric = z.infer<typeof skillingMetricSchema>;

export const trackRulesSchema = z.object({ metrics: z.array(metricRuleSchema).min(1) });
export type TrackRules = z.infer<typeof trackRulesSchema>;

export const classificationSchema = z.discriminatedUnion('kind', [
  /** Azure 2026: SMB if at least `smbShare` of customers (with usage last month) are in Microsoft's SMB segment. */
  z.object({
    kind: z.literal('customer-segment-share'),
    smbShare: boundSchema,
    sources: z.array(sourceSchema).min(1),
    /** Community reading: also under USD 1M ACR in 12 months (azureSmbRule setting). */
    acrCeilingUsd: z.number().positive(),
  }),
  /** Business Applications: Enterprise with at least `minWorkloads` workloads earning more than the revenue bound in a tenant in both months. */
  z.object({
    kind: z.literal('workload-revenue'),
    minWorkloads: z.number().int().positive(),
    revenue: boundSchema,
    monthsAgo: z.array(z.number().int().min(1)).min(1),
    sources: z.array(sourceSchema).min(1),
  }),
]);

export const areaRulesSchema = z
  .object({
    /** 'single': one track; 'classified': the partner is put in one track; 'best-of': both computed, higher total taken. */
    trackMode: z.enum(['single', 'classified', 'best-of']),
    classification: classificationSchema.optional(),
    tracks: z.object({ enterprise: trackRulesSchema, smb: trackRulesSchema.optional() }),
  })
  .superRefine((a, ctx) => {
    if (a.trackMode === 'classified' && !a.classification) ctx.addIssue({ code: 'custom', message: 'a classified area needs a classification rule' });
    if (a.trackMode !== 'single' && !a.tracks.smb) ctx.addIssue({ code: 'custom', message: `trackMode ${a.trackMode} needs an smb track` });
  });
export type AreaRules = z.infer<typeof areaRulesSchema>;

export const certificationDefSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/, 'kebab-case id'),
  name: z.string().min(1),
  /** Exam codes; the reference marks the mapping unconfirmed. */
  exams: z.array(z.string()).default([]),
  level: z.enum(['fundamentals', 'associate', 'expert', 'specialty', 'assessment', 'other']),
  /** Fundamentals (and Partner University assessments) never expire. */
  neverExpires: z.boolean().default(false),
  retiredOn: isoDateSchema.optional(),
  /** Last day it still counts; default: one year after retirement (earned before retirement). Per-page overrides exist (BA23). */
  eligibleUntil: isoDateSchema.optional(),
  note: z.string().optional(),
});
export type CertificationDef = z.infer<typeof certificationDefSchema>;

export const ruleSetSchema = z
  .object({
    version: z.string().regex(/^[a-z0-9-]+$/),
    name: z.string().min(1),
    /** First day the rules apply; a rule set applies until the next one's effectiveFrom. */
    effectiveFrom: isoDateSchema,
    effectiveFromNote: z.string().min(1),
    sources: z.array(z.string()).default([]),
    certifications: z.array(certificationDefSchema).min(1),
    areas: z.object(Object.fromEntries(AREAS.map((a) => [a, areaRulesSchema])) as Record<(typeof AREAS)[number], typeof areaRulesSchema>),
  })
  .superRefine((rs, ctx) => {
    const ids = new Set<string>();
    for (const c of rs.certifications) {
      if (ids.has(c.id)) ctx.addIssue({ code: 'custom', path: ['certifications'], message: `duplicate certification id ${c.id}` });
      ids.add(c.id);
    }
    for (const area of AREAS) {
      const rules = rs.areas[area];
      for (const track of TRACKS) {
        const t = rules.tracks[track];
        if (!t) continue;
        const seen = new Set<string>();
        for (const [i, m] of t.metrics.entries()) {
          const path = ['areas', area, 'tracks', track, 'metrics', i];
          if (seen.has(m.id)) ctx.addIssue({ code: 'custom', path, message: `duplicate metric ${m.id}` });
          seen.add(m.id);
          if (m.kind === 'skilling') {
            for (const cid of [...m.certifications, ...m.gates.flatMap((g) => g.certifications)]) {
              if (!ids.has(cid)) ctx.addIssue({ code: 'custom', path, message: `unknown certification ${cid}` });
            }
          }
        }
      }
    }
  });
export type RuleSet = z.infer<typeof ruleSetSchema>;
export type RuleSetInput = z.input<typeof ruleSetSchema>;

/** Input shapes (defaults optional) for the data files. */
export type AreaRulesInput = z.input<typeof areaRulesSchema>;
export type SourceInput = z.input<typeof sourceSchema>;
