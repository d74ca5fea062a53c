import { z } from 'zod';
import { deadLetterQuerySchema, deadLetterSchema, replayQuerySchema } from '../../deadletters/http';
import { errorResponses, jsonContent, jsonSchema, pathParameter, queryParameters, type FeaturePaths } from '../openapi-helpers';

export const deadLetterPaths: FeaturePaths = {
  '/dead-letters': {
    get: {
      summary: 'List messages that kept failing on any queue',
      operationId: 'listDeadLetters',
      tags: ['operations'],
      parameters: queryParameters(deadLetterQuerySchema),
      responses: {
        '200': { description: 'A page of dead letters.', content: jsonContent(jsonSchema(z.object({ items: z.array(deadLetterSchema), continuationToken: z.string().optional() }))) },
        ...errorResponses(400),
      },
    },
  },
  '/dead-letters/{id}/replay': {
    post: {
      summary: 'Send a dead letter back to its queue',
      operationId: 'replayDeadLetter',
      tags: ['operations'],
      parameters: [pathParameter('id', 'Dead letter id.'), ...queryParameters(replayQuerySchema)],
      responses: {
        '200': { description: 'Sent back to its queue.', content: jsonContent(jsonSchema(z.object({ status: z.literal('replayed'), deadLetter: deadLetterSchema }))) },
        ...errorResponses(400, 404, 409),
      },
    },
  },
};
