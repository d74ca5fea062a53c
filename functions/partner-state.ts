import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import type { z } from 'zod';
import { notFound, ok } from '../shared/http/responses';
import { invalidQuery, parseQuery, partnerIdParam } from '../shared/http/request';
import {
  associationFilterSchema,
  customerFilterSchema,
  queryCustomers,
  readPartnerProfile,
  InvalidTokenError,
  professionalFilterSchema,
  queryAssociations,
  queryProfessionals,
  queryTelemetry,
  telemetryFilterSchema,
  type Page,
} from '../shared/state/queries';

/** GET /api/partners/{partnerId}/associations|professionals|telemetry with filters and continuation tokens. */
function reader<S extends z.ZodType>(schema: S, query: (partnerId: string, filter: z.output<S>) => Promise<Page<unknown> | undefined>) {
  return async (request: HttpRequest): Promise<HttpResponseInit> => {
    const partnerId = partnerIdParam(request);
    if (!partnerId.ok) return partnerId.response;
    const filter = parseQuery(request, schema);
    if (!filter.ok) return filter.response;
    try {
      const page = await query(partnerId.value, filter.value);
      if (!page) return notFound(`No partner ${partnerId.value}: nothing was submitted for it yet.`);
      return ok({ partnerId: partnerId.value, ...page });
    } catch (e) {
      if (e instanceof InvalidTokenError) return invalidQuery('continuationToken', e.message);
      throw e;
    }
  };
}

export const getAssociations = reader(associationFilterSchema, queryAssociations);
export const getProfessionals = reader(professionalFilterSchema, queryProfessionals);
export const getTelemetry = reader(telemetryFilterSchema, queryTelemetry);
export const getCustomers = reader(customerFilterSchema, queryCustomers);

/** GET /api/partners/{partnerId}/profile: name, PartnerID aliases, enrolments and tracks as the profile events set them. */
export async function getProfile(request: HttpRequest): Promise<HttpResponseInit> {
  const partnerId = partnerIdParam(request);
  if (!partnerId.ok) return partnerId.response;
  const profile = await readPartnerProfile(partnerId.value);
  return profile ? ok(profile) : notFound(`No partner ${partnerId.value}: nothing was submitted for it yet.`);
}

app.http('partnerAssociations', { route: 'partners/{partnerId}/associations', methods: ['GET'], authLevel: 'anonymous', handler: getAssociations });
app.http('partnerProfessionals', { route: 'partners/{partnerId}/professionals', methods: ['GET'], authLevel: 'anonymous', handler: getProfessionals });
app.http('partnerTelemetry', { route: 'partners/{partnerId}/telemetry', methods: ['GET'], authLevel: 'anonymous', handler: getTelemetry });
app.http('partnerCustomers', { route: 'partners/{partnerId}/customers', methods: ['GET'], authLevel: 'anonymous', handler: getCustomers });
app.http('partnerProfile', { route: 'partners/{partnerId}/profile', methods: ['GET'], authLevel: 'anonymous', handler: getProfile });
