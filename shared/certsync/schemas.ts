import { z } from 'zod';
import { toIsoDate } from '../lib/dates';
import { DEFAULT_WARNING_DAYS } from './warnings';

/** Request schemas of the certification sync's HTTP API (validated by functions/, documented in OpenAPI). */

const calendarDate = z.string().refine((d) => toIsoDate(d) === d, 'must be a calendar date YYYY-MM-DD');

export const transcriptBodySchema = z
  .object({
    url: z
      .string({ message: 'must be the transcript share link, a string' })
      .min(1, 'must not be empty')
      .max(500, 'must be at most 500 characters')
      .describe('Public share link of the Learn transcript: https://learn.microsoft.com/<locale>/users/<name>/transcript/<shareId>'),
  })
  .strict();

export const certSourcesBodySchema = z
  .object({
    learn: z.boolean({ message: 'must be true or false' }).optional().describe('Read linked professionals\' Learn transcripts (default true).'),
    importBlob: z
      .string()
      .min(1)
      .max(1024)
      .refine((p) => !p.startsWith('/') && !p.split('/').includes('..'), 'must be a blob path inside the import container (no leading / or ..)')
      .nullable()
      .optional()
      .describe('Path of the import file in the cert-imports container; null stops reading one.'),
  })
  .strict();

export const certWarningsQuerySchema = z.object({
  days: z.coerce.number({ message: 'must be a number of days' }).int('must be a whole number of days').min(1, 'must be at least 1').max(730, 'must be at most 730').default(DEFAULT_WARNING_DAYS).describe('Horizon in days (default 90).'),
  date: calendarDate.optional().describe('Evaluation date YYYY-MM-DD (default today, UTC).'),
});

export const certSyncStartBodySchema = z.object({ date: calendarDate.optional().describe('Run date (default today, UTC); the run id is cert-sync-<date>.') }).strict();
