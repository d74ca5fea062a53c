import { z } from 'zod';
import { associationSchema, certificationHoldingSchema, customerSchema, professionalSchema, telemetryRowSchema, type PartnerSnapshot } from './snapshot';

/**
 * What-if changes to a partner snapshot: what POST /simulate applies to the stored state, and what a gap plan is made
 * of, so a plan is verified through exactly the function the simulation uses. Each change names what it adds or removes
 * with the same schemas the webhook events and the engine use, so a simulated customer is exactly what a real one would be.
 */
const id = z.string().min(1, 'must not be empty');
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM');

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
export function applyChanges(base: PartnerSnapshot, changes: readonly SimulationChange[]): { snapshot: PartnerSnapshot; problems: ChangeProblem[] } {
  const s: PartnerSnapshot = {
    ...base,
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
    }
  });
  return { snapshot: s, problems };
}
