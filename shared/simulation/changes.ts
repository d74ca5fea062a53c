import { z } from 'zod';
import { describeSuggestion, resolveCertification, simulationChangeSchema, suggestCertifications, type SimulationChange } from '../scoring';
import { calendarDate } from '../score-history/http-schemas';

/** The POST /simulate body; the changes themselves and applyChanges live in the engine (shared/scoring/changes.ts), which the gap planner verifies its plans with. */
export { applyChanges, simulationChangeSchema, type ChangeProblem, type SimulationChange } from '../scoring';

export const simulationRequestSchema = z
  .object({
    /** Day to score on (default: today). */
    date: calendarDate.optional(),
    changes: z.array(simulationChangeSchema).max(500, 'at most 500 changes per simulation'),
  })
  .strict();
export type SimulationRequest = z.infer<typeof simulationRequestSchema>;

/** A certification name that matches no rule set's id, Microsoft Learn name or exam code, with the closest known ones. */
export interface UnresolvedName {
  path: string;
  message: string;
  suggestions: string[];
}

/**
 * Certifications in the changes named the way people name them (id, Learn name, exam code) become the rule sets' ids,
 * as the webhook events' do; a name that resolves to nothing is a problem, not a person who silently never counts.
 */
export function resolveCertificationNames(changes: readonly SimulationChange[]): { changes: SimulationChange[]; unresolved: UnresolvedName[] } {
  const unresolved: UnresolvedName[] = [];
  const resolve = (sent: string, path: string): string => {
    const id = resolveCertification(sent);
    if (id) return id;
    const close = suggestCertifications(sent);
    unresolved.push({
      path,
      message: `"${sent.slice(0, 100)}" is not a certification the rule sets know by id, Microsoft Learn name or exam code; closest: ${close.map(describeSuggestion).join('; ')} (GET /api/catalog/certifications lists them all)`,
      suggestions: close.map((c) => c.certificationId),
    });
    return sent;
  };
  const out = changes.map((c, i): SimulationChange => {
    const at = `changes[${i}]`;
    switch (c.op) {
      case 'add-person':
        return { ...c, certifications: c.certifications.map((h, j) => ({ ...h, certification: resolve(h.certification, `${at}.certifications[${j}].certification`) })) };
      case 'add-professional':
        return { ...c, professional: { ...c.professional, certifications: c.professional.certifications.map((h, j) => ({ ...h, certificationId: resolve(h.certificationId, `${at}.professional.certifications[${j}].certificationId`) })) } };
      case 'add-certification':
        return { ...c, certification: { ...c.certification, certificationId: resolve(c.certification.certificationId, `${at}.certification.certificationId`) } };
      default:
        return c;
    }
  });
  return { changes: out, unresolved };
}
