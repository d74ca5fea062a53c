import { z } from 'zod';
import { AREAS, CLOUDS, SEGMENTS, TRACKS, associationSchema, certificationHoldingSchema, customerSchema, isoDateSchema, professionalSchema, telemetryRowSchema, type AreaId, type PartnerSnapshot } from './snapshot';
import { classifiedAreas } from './tracks';

/**
 * What-if changes to a partner snapshot: what POST /simulate applies to the stored state, and what a gap plan is made
 * of, so a plan is verified through exactly the function the simulation uses. Each change names what it adds or removes
 * with the same schemas the webhook events and the engine use, so a simulated customer is exactly what a real one would be.
 */
const id = z.string().min(1, 'must not be empty');
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM');
const CLASSIFIED = classifiedAreas() as [AreaId, ...AreaId[]];

/** A certification as people name it: the rule sets' id, its Microsoft Learn name or an exam code (resolved before applying, see shared/simulation). */
const certificationName = z.string().trim().min(1, 'must not be empty').max(200).describe("The rule sets' id, the Microsoft Learn name or an exam code (AZ-104).");

export const simulationChangeSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('add-customer'), customer: customerSchema }).strict(),
  z.object({ op: z.literal('remove-customer'), tenantId: id }).strict(),
  z.object({ op: z.literal('add-association'), association: associationSchema }).strict(),
  z.object({ op: z.literal('remove-association'), id }).strict(),
  z.object({ op: z.literal('add-telemetry'), rows: z.array(telemetryRowSchema).min(1).max(5000) }).strict(),
  z.object({ op: z.literal('remove-telemetry'), tenantId: id, workload: id.optional(), month: month.optional() }).strict(),
  z.object({ op: z.literal('add-professional'), professional: professionalSchema }).strict(),
  z.object({ op: z.literal('remove-professional'), id }).strict(),
  z.object({ op: z.literal('add-certification'), professionalId: id, certification: certificationHoldingSchema }).strict(),
  z.object({ op: z.literal('remove-certification'), professionalId: id, certificationId: id }).strict(),
  // The vocabulary of the profile events (customer.updated, designation.*, track.*) and of the people who hold a certification.
  z
    .object({ op: z.literal('update-customer'), tenantId: id, name: z.string().min(1).optional(), segment: z.enum(SEGMENTS).optional(), cloud: z.enum(CLOUDS).optional() })
    .strict()
    .refine((c) => c.name !== undefined || c.segment !== undefined || c.cloud !== undefined, { message: 'must set at least one of name, segment, cloud' })
    .describe("Sets a customer's segment, cloud or name, adding the customer if the partner has none with that tenant id (as customer.updated does)."),
  z
    .object({ op: z.literal('enroll'), area: z.enum(AREAS), enrolledOn: isoDateSchema, anniversaryDate: isoDateSchema })
    .strict()
    .refine((c) => c.anniversaryDate > c.enrolledOn, { path: ['anniversaryDate'], message: 'must be after enrolledOn' })
    .describe("Enrols the partner in the area's designation, replacing an enrolment in place (as designation.enrolled does)."),
  z.object({ op: z.literal('renew'), area: z.enum(AREAS), anniversaryDate: isoDateSchema }).strict().describe("Moves the anniversary of the area's enrolment (as designation.renewed does)."),
  z.object({ op: z.literal('remove-enrollment'), area: z.enum(AREAS) }).strict().describe('Ends the enrolment of the area (as designation.lost does).'),
  z
    .object({ op: z.literal('classify-track'), area: z.enum(CLASSIFIED), track: z.enum(TRACKS).nullable(), classifiedOn: isoDateSchema.optional() })
    .strict()
    .describe("Sets the track Partner Center shows for the area (from classifiedOn, default every day), or with track null hands it back to the engine's reading (as track.classified and track.unclassified do)."),
  z
    .object({
      op: z.literal('add-person'),
      id: id.optional().describe('Default: simulated-person-<index of the change>.'),
      name: z.string().min(1).optional(),
      linkedOn: isoDateSchema.optional().describe('Default: linked on every day.'),
      certifications: z
        .array(z.object({ certification: certificationName, earnedOn: isoDateSchema.optional().describe('Default: the simulated day.'), expiresOn: isoDateSchema.optional() }).strict())
        .min(1, 'must hold at least one certification')
        .max(50),
    })
    .strict()
    .describe('Adds a linked person holding certifications named by id, Microsoft Learn name or exam code.'),
]);
export type SimulationChange = z.infer<typeof simulationChangeSchema>;

export interface ChangeProblem {
  path: string;
  message: string;
}

/** The items that do not match, or undefined when none matched (a removal of something that is not there). */
function without<T>(items: T[], matches: (item: T) => boolean): T[] | undefined {
  const kept = items.filter((x) => !matches(x));
  return kept.length === items.length ? undefined : kept;
}

/**
 * Applies the changes in order; a change that does not fit the state is a problem naming it. The base is never
 * modified: the result shares the base's unchanged items and copies only the lists and the professionals it changes
 * (a deep copy of a large partner costs more than scoring it, and the gap planner applies a plan several times).
 */
export function applyChanges(base: PartnerSnapshot, changes: readonly SimulationChange[], opts: { date?: string } = {}): { snapshot: PartnerSnapshot; problems: ChangeProblem[] } {
  const s: PartnerSnapshot = {
    ...base,
    // A snapshot scored as given (not parsed) may omit enrolments: the schema only defaults them.
    enrollments: [...(base.enrollments ?? [])],
    customers: [...base.customers],
    associations: [...base.associations],
    professionals: [...base.professionals],
    telemetry: [...base.telemetry],
  };
  const problems: ChangeProblem[] = [];
  const professional = (pid: string): number => s.professionals.findIndex((x) => x.id === pid);
  changes.forEach((c, i) => {
    const at = `changes[${i}]`;
    const fail = (field: string, message: string) => problems.push({ path: `${at}.${field}`, message: `${c.op}: ${message}` });
    switch (c.op) {
      case 'add-customer':
        if (s.customers.some((x) => x.tenantId === c.customer.tenantId)) return fail('customer.tenantId', `customer ${c.customer.tenantId} already exists`);
        s.customers.push(c.customer);
        return;
      case 'remove-customer': {
        const kept = without(s.customers, (x) => x.tenantId === c.tenantId);
        if (!kept) return fail('tenantId', `no customer ${c.tenantId}`);
        s.customers = kept;
        // A customer that leaves takes its associations and usage with it.
        s.associations = s.associations.filter((a) => a.tenantId !== c.tenantId);
        s.telemetry = s.telemetry.filter((t) => t.tenantId !== c.tenantId);
        return;
      }
      case 'add-association':
        if (s.associations.some((x) => x.id === c.association.id)) return fail('association.id', `association ${c.association.id} already exists`);
        s.associations.push(c.association);
        return;
      case 'remove-association': {
        const kept = without(s.associations, (x) => x.id === c.id);
        if (!kept) return fail('id', `no association ${c.id}`);
        s.associations = kept;
        return;
      }
      case 'add-telemetry':
        for (const r of c.rows) s.telemetry.push(r);
        return;
      case 'remove-telemetry': {
        const match = (t: PartnerSnapshot['telemetry'][number]) => t.tenantId === c.tenantId && (!c.workload || t.workload === c.workload) && (!c.month || t.month === c.month);
        const kept = without(s.telemetry, match);
        if (!kept) return fail('tenantId', `no telemetry of tenant ${c.tenantId}${c.workload ? `, workload ${c.workload}` : ''}${c.month ? `, month ${c.month}` : ''}`);
        s.telemetry = kept;
        return;
      }
      case 'add-professional':
        if (s.professionals.some((x) => x.id === c.professional.id)) return fail('professional.id', `professional ${c.professional.id} already exists`);
        s.professionals.push(c.professional);
        return;
      case 'remove-professional': {
        const kept = without(s.professionals, (x) => x.id === c.id);
        if (!kept) return fail('id', `no professional ${c.id}`);
        s.professionals = kept;
        return;
      }
      case 'add-certification': {
        const k = professional(c.professionalId);
        if (k < 0) return fail('professionalId', `no professional ${c.professionalId}`);
        const p = s.professionals[k]!;
        if (p.certifications.some((h) => h.certificationId === c.certification.certificationId)) return fail('certification.certificationId', `${c.professionalId} already holds ${c.certification.certificationId}`);
        s.professionals[k] = { ...p, certifications: [...p.certifications, c.certification] };
        return;
      }
      case 'remove-certification': {
        const k = professional(c.professionalId);
        if (k < 0) return fail('professionalId', `no professional ${c.professionalId}`);
        const p = s.professionals[k]!;
        const kept = without(p.certifications, (h) => h.certificationId === c.certificationId);
        if (!kept) return fail('certificationId', `${c.professionalId} does not hold ${c.certificationId}`);
        s.professionals[k] = { ...p, certifications: kept };
        return;
      }
      case 'update-customer': {
        const k = s.customers.findIndex((x) => x.tenantId === c.tenantId);
        const fields = { ...(c.name !== undefined ? { name: c.name } : {}), ...(c.segment ? { segment: c.segment } : {}), ...(c.cloud ? { cloud: c.cloud } : {}) };
        if (k < 0) s.customers.push({ tenantId: c.tenantId, cloud: 'commercial', ...fields });
        else s.customers[k] = { ...s.customers[k]!, ...fields };
        return;
      }
      case 'enroll':
        s.enrollments = [...s.enrollments.filter((e) => e.area !== c.area), { area: c.area, enrolledOn: c.enrolledOn, anniversaryDate: c.anniversaryDate }];
        return;
      case 'renew': {
        const e = s.enrollments.find((x) => x.area === c.area);
        if (!e) return fail('area', `the partner is not enrolled in ${c.area}; enroll first`);
        if (c.anniversaryDate <= e.enrolledOn) return fail('anniversaryDate', `must be after the enrolment date ${e.enrolledOn}`);
        s.enrollments = s.enrollments.map((x) => (x === e ? { ...e, anniversaryDate: c.anniversaryDate } : x));
        return;
      }
      case 'remove-enrollment': {
        const kept = without(s.enrollments, (x) => x.area === c.area);
        if (!kept) return fail('area', `the partner is not enrolled in ${c.area}`);
        s.enrollments = kept;
        return;
      }
      case 'classify-track': {
        const overrides = { ...(s.trackOverrides ?? {}) };
        const on = { ...(s.trackClassifiedOn ?? {}) };
        delete on[c.area];
        if (c.track) overrides[c.area] = c.track;
        else delete overrides[c.area];
        if (c.track && c.classifiedOn) on[c.area] = c.classifiedOn;
        s.trackOverrides = Object.keys(overrides).length ? overrides : undefined;
        s.trackClassifiedOn = Object.keys(on).length ? on : undefined;
        return;
      }
      case 'add-person': {
        const pid = c.id ?? `simulated-person-${i}`;
        if (s.professionals.some((x) => x.id === pid)) return fail('id', `professional ${pid} already exists`);
        const certifications = [];
        for (const [j, h] of c.certifications.entries()) {
          const earnedOn = h.earnedOn ?? opts.date;
          if (!earnedOn) return fail(`certifications[${j}].earnedOn`, 'is required when the simulation has no date');
          certifications.push({ certificationId: h.certification, earnedOn, ...(h.expiresOn ? { expiresOn: h.expiresOn } : {}) });
        }
        s.professionals.push({ id: pid, ...(c.name ? { name: c.name } : {}), linked: true, ...(c.linkedOn ? { linkedOn: c.linkedOn } : {}), certifications });
        return;
      }
    }
  });
  return { snapshot: s, problems };
}
