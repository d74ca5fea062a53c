import { z } from 'zod';
import { AREAS, certificationCatalogQuerySchema } from '../../scoring';
import { errorResponses, jsonContent, jsonSchema, queryParameters, type FeaturePaths } from '../openapi-helpers';

/** The rule data's catalogues (docs/webhooks.md, "Naming a certification"). */

const catalogSchema = z.object({
  date: z.string(),
  ruleVersion: z.string().describe('The rule version in effect on the date.'),
  certifications: z.array(
    z.object({
      id: z.string().describe("The rule sets' id, the one stored."),
      name: z.string(),
      level: z.enum(['fundamentals', 'associate', 'expert', 'specialty', 'assessment', 'other']),
      aliases: z.object({
        names: z.array(z.string()).describe('Microsoft Learn names, current first (the "Microsoft Certified:" prefix may be sent or left out).'),
        exams: z.array(z.string()).describe('Exam codes that earn it, current first, then retired ones.'),
        formerIds: z.array(z.string()).describe('Ids older rule versions gave it.'),
      }),
      retiredOn: z.string().optional(),
      eligibleUntil: z.string().optional().describe('Last day it counts for PCS.'),
      countsOnDate: z.boolean(),
      countsFor: z.array(z.object({ area: z.enum(AREAS), areaName: z.string(), track: z.string(), metric: z.string(), role: z.enum(['points', 'gate']) })),
    }),
  ),
});

export const catalogPaths: FeaturePaths = {
  '/catalog/certifications': {
    get: {
      summary: 'Every certification of the rule version in effect on a date, the names and exam codes it may be sent by, and where it counts',
      operationId: 'listCertifications',
      tags: ['catalog'],
      parameters: queryParameters(certificationCatalogQuerySchema),
      responses: { '200': { description: 'The catalogue.', content: jsonContent(jsonSchema(catalogSchema)) }, ...errorResponses(400) },
    },
  },
};
