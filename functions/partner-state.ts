import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import type { z } from 'zod';
import { badRequest, notFound, ok } from '../shared/http/responses';
import {
  associationFilterSchema,
  InvalidTokenError,
  professionalFilterSchema,
  queryAssociations,
  queryProfessionals,
  queryTelemetry,
  telemetryFilterSchema,
  type Page,
} from '../shared/state/queries';
import { zodDetails } from '../shared/lib/validation';

/** GET /api/partners/{partnerId}/associations|professionals|telemetry with filters and continuation tokens. */
function reader<S extends z.ZodType>(schema: S, query: (partnerId: string, filter: z.output<S>) => Promise<Page<unknown> | undefined>) {
  return async (request: HttpRequest): Promise<HttpResponseInit> => {
    const partnerId = request.params.partnerId ?? '';
    const parsed = schema.safeParse(Object.fromEntries(request.query.entries()));
    if (!parsed.success) {
      const details = zodDetails(parsed.error).map((d) => ({ path: `query.${d.path}`, message: d.message }));
      return badRequest(`Invalid query: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, details);
    }
    try {
      const page = await query(partnerId, parsed.data);
      if (!page) return notFound(`No partner ${partnerId}: nothing was submitted for it yet.`);
      return ok({ partnerId, ...page });
    } catch (e) {
      if (e instanceof InvalidTokenError) return badRequest(`Invalid query: query.continuationToken: ${e.message}`, [{ path: 'query.continuationToken', message: e.message }]);
      throw e;
    }
  };
}

export const getAssociations = reader(associationFilterSchema, queryAssociations);
export const getProfessionals = reader(professionalFilterSchema, queryProfessionals);
export const getTelemetry = reader(telemetryFilterSchema, queryTelemetry);

app.http('partner-associations', { route: 'partners/{partnerId}/associations', methods: ['GET'], authLevel: 'function', handler: getAssociations });
app.http('partner-professionals', { route: 'partners/{partnerId}/professionals', methods: ['GET'], authLevel: 'function', handler: getProfessionals });
app.http('partner-telemetry', { route: 'partners/{partnerId}/telemetry', methods: ['GET'], authLevel: 'function', handler: getTelemetry });
