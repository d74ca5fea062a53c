import { z } from 'zod';
import { AREAS } from '../scoring';
import { isCalendarDate } from '../lib/dates';


/** Inputs of the score endpoints, validated here so the function files stay adapters and OpenAPI reads the same schemas. */
export const calendarDate = z.string().refine(isCalendarDate, 'must be a calendar date YYYY-MM-DD');
export const areaSchema = z.enum(AREAS, { message: `unknown area; use one of ${AREAS.join(', ')}` });
export const breakdownQuerySchema = z.object({ date: calendarDate.optional().describe('Day of the stored score (default: the latest).') }).strict();
export const historyQuerySchema = z
  .object({
    from: calendarDate.optional().describe('First day (default: the 1st of the month five months back).'),
    to: calendarDate.optional().describe('Last day (default: today).'),
  })
  .strict();
export const forecastQuerySchema = z
  .object({
    telemetry: z.enum(['carry-forward', 'none']).default('carry-forward').describe('carry-forward: customers keep their latest monthly usage; none: no new telemetry at all.'),
  })
  .strict();
