import { associationSchema, customerSchema, enrollmentSchema, professionalSchema, telemetryRowSchema } from '../../scoring/snapshot';
import { associationFilterSchema, customerFilterSchema, professionalFilterSchema, telemetryFilterSchema } from '../../state/queries';
import { errorResponses, jsonContent, jsonSchema, pathParameter, queryParameters, type FeaturePaths } from '../openapi-helpers';
import type { z } from 'zod';

/**
 * A page of stored items: each item is its snapshot schema with the fields the store adds merged into the same
 * object (not an `allOf` of two schemas: a closed schema inside `allOf` refuses the other one's fields).
 */
const page = (item: Record<string, unknown>, extra: Record<string, unknown>) => ({
  type: 'object',
  required: ['partnerId', 'items'],
  additionalProperties: false,
  properties: {
    partnerId: { type: 'string' },
    items: { type: 'array', items: { ...item, properties: { ...((item.properties as Record<string, unknown> | undefined) ?? {}), ...extra } } },
    continuationToken: { type: 'string', description: 'Present when there are more items: pass it back with the same filters.' },
  },
});

const versioned = { updatedAt: { type: 'string', description: 'occurredAt of the newest event in effect.' }, lastEventId: { type: 'string' } };

function reader(what: string, operationId: string, filter: z.ZodObject, body: Record<string, unknown>) {
  return {
    get: {
      summary: `A partner's ${what}, filtered and paged`,
      operationId,
      tags: ['partner state'],
      parameters: [pathParameter('partnerId', 'Partner id.'), ...queryParameters(filter)],
      responses: { '200': { description: `A page of ${what}.`, content: jsonContent(body) }, ...errorResponses(400, 404) },
    },
  };
}

export const partnerStatePaths: FeaturePaths = {
  '/partners/{partnerId}/associations': reader(
    'customer associations (CPOR, PAL, DPOR, CSP) with lifecycle and history',
    'listPartnerAssociations',
    associationFilterSchema,
    page(jsonSchema(associationSchema), {
      ...versioned,
      lifecycle: { type: 'string' },
      details: { type: 'object', additionalProperties: { type: 'string' } },
      history: {
        type: 'array',
        description: 'Every event seen for the association, in the order they happened.',
        items: { type: 'object', properties: { state: { type: 'string' }, at: { type: 'string' }, eventId: { type: 'string' }, refused: { type: 'string' }, note: { type: 'string' }, v: { type: 'string', description: 'Key in `variants` of the fields this event stated.' } } },
      },
      variants: {
        type: 'object',
        description: 'The descriptive fields (tenant, subscription, workloads, area, role, CSP tier) and details as each event stated them, keyed by the `v` of history entries; the newest event in effect decides the fields shown.',
        additionalProperties: { type: 'object', properties: { fields: { type: 'object' }, details: { type: 'object', additionalProperties: { type: 'string' } } } },
      },
    }),
  ),
  '/partners/{partnerId}/professionals': reader(
    'certified professionals with link history and certifications',
    'listPartnerProfessionals',
    professionalFilterSchema as unknown as z.ZodObject,
    page({ type: 'object', properties: { ...(jsonSchema(professionalSchema).properties as object), certifications: { type: 'object', additionalProperties: { type: 'object' } } } }, { ...versioned, email: { type: 'string' }, linkHistory: { type: 'array', items: { type: 'string' } } }),
  ),
  '/partners/{partnerId}/telemetry': reader('monthly telemetry rows', 'listPartnerTelemetry', telemetryFilterSchema as unknown as z.ZodObject, page(jsonSchema(telemetryRowSchema), versioned)),
  '/partners/{partnerId}/customers': reader('customer tenants with segment and cloud (customer.updated)', 'listPartnerCustomers', customerFilterSchema, page(jsonSchema(customerSchema), versioned)),
  '/partners/{partnerId}/profile': {
    get: {
      summary: "A partner's name, PartnerID aliases, enrolments and Partner Center tracks, as the profile events set them",
      operationId: 'getPartnerProfile',
      tags: ['partner state'],
      parameters: [pathParameter('partnerId', 'Partner id.')],
      responses: {
        '200': {
          description: 'The profile.',
          content: jsonContent({
            type: 'object',
            required: ['partnerId', 'enrollments', 'tracks', 'customers'],
            properties: {
              partnerId: { type: 'string' },
              name: { type: 'string' },
              locationIds: { type: 'array', items: { type: 'string' } },
              partnerIdAliases: { type: 'array', items: { type: 'string' } },
              enrollments: { type: 'array', items: jsonSchema(enrollmentSchema) },
              tracks: { type: 'array', items: { type: 'object', required: ['area', 'track'], properties: { area: { type: 'string' }, track: { enum: ['smb', 'enterprise'] }, classifiedOn: { type: 'string', format: 'date' } } } },
              customers: { type: 'integer', description: 'Number of customer tenants (GET .../customers lists them).' },
            },
          }),
        },
        ...errorResponses(400, 404),
      },
    },
  },
};
