import { z } from 'zod';
import { simulationChangeSchema } from '../scoring';
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

