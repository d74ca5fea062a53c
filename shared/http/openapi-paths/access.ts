import { z } from 'zod';
import { auditEntrySchema, auditQuerySchema } from '../../access/audit';
import { grantInputSchema, partnerGroupInputSchema } from '../../access/grants';
import { errorResponses, jsonContent, jsonSchema, pathParameter, queryParameters, type FeaturePaths, type PathItem } from '../openapi-helpers';

const stamp = { updatedAt: z.string(), updatedBy: z.string().describe('Who last changed it.') };
const grantSchema = z.object({ id: z.string(), kind: z.literal('grant'), subject: z.object({ kind: z.enum(['user', 'app', 'group', 'app-role']), id: z.string() }), role: z.enum(['partner.reader', 'partner.editor', 'operator']), partners: z.array(z.string()).optional(), partnerGroups: z.array(z.string()).optional(), ...stamp });
const groupSchema = z.object({ id: z.string(), kind: z.literal('partner-group'), name: z.string().optional(), partnerIds: z.array(z.string()), ...stamp });
const auditPage = z.object({ items: z.array(auditEntrySchema), continuationToken: z.string().optional() });

function managed(what: string, idName: string, opId: string, input: z.ZodType, output: z.ZodType): PathItem {
  const params = [pathParameter(idName, `${what} id: 1 to 63 lower-case letters, digits or hyphens.`)];
  return {
    get: { summary: `Read a ${what}`, operationId: `get${opId}`, tags: ['access'], parameters: params, responses: { '200': { description: `The ${what}.`, content: jsonContent(jsonSchema(output)) }, ...errorResponses(400, 404) } },
    put: {
      summary: `Create or replace a ${what}`,
      operationId: `put${opId}`,
      tags: ['access'],
      parameters: params,
      requestBody: { required: true, content: jsonContent(jsonSchema(input, 'input')) },
      responses: { '200': { description: 'Replaced.', content: jsonContent(jsonSchema(output)) }, '201': { description: 'Created.', content: jsonContent(jsonSchema(output)) }, ...errorResponses(400) },
    },
    delete: { summary: `Delete a ${what}`, operationId: `delete${opId}`, tags: ['access'], parameters: params, responses: { '200': { description: 'Deleted.', content: jsonContent(jsonSchema(z.object({ deleted: z.string() }))) }, ...errorResponses(400, 404) } },
  };
}

export const accessPaths: FeaturePaths = {
  '/access/me': {
    get: {
      summary: 'Who the caller is and which partners it may read and edit',
      operationId: 'getAccessMe',
      tags: ['access'],
      responses: {
        '200': {
          description: 'The caller and its access; `all` for an operator.',
          content: jsonContent(jsonSchema(z.object({ caller: z.object({ kind: z.string(), id: z.string(), name: z.string(), via: z.string(), roles: z.array(z.string()), groups: z.array(z.string()) }), operator: z.boolean(), read: z.union([z.literal('all'), z.array(z.string())]), edit: z.union([z.literal('all'), z.array(z.string())]) }))),
        },
      },
    },
  },
  '/partners': {
    get: {
      summary: 'The partners the caller may read (the portfolio)',
      operationId: 'listPartners',
      tags: ['access'],
      responses: { '200': { description: 'Only permitted partners are listed.', content: jsonContent(jsonSchema(z.object({ partners: z.array(z.object({ partnerId: z.string(), access: z.enum(['read', 'edit']) })) }))) } },
    },
  },
  '/access/grants': {
    get: { summary: 'Every grant', operationId: 'listGrants', tags: ['access'], responses: { '200': { description: 'All grants.', content: jsonContent(jsonSchema(z.object({ grants: z.array(grantSchema) }))) } } },
  },
  '/access/grants/{grantId}': managed('grant', 'grantId', 'Grant', grantInputSchema, grantSchema),
  '/access/partner-groups': {
    get: { summary: 'Every partner group', operationId: 'listPartnerGroups', tags: ['access'], responses: { '200': { description: 'All partner groups.', content: jsonContent(jsonSchema(z.object({ partnerGroups: z.array(groupSchema) }))) } } },
  },
  '/access/partner-groups/{groupId}': managed('partner group', 'groupId', 'PartnerGroup', partnerGroupInputSchema, groupSchema),
  '/partners/{partnerId}/audit': {
    get: {
      summary: "Who changed the partner's settings, sources and transcripts through the API, and when (newest first)",
      operationId: 'listPartnerAudit',
      tags: ['access'],
      parameters: [pathParameter('partnerId', 'Partner id.'), ...queryParameters(auditQuerySchema)],
      responses: { '200': { description: 'A page of audit entries.', content: jsonContent(jsonSchema(auditPage)) }, ...errorResponses(400) },
    },
  },
  '/audit': {
    get: {
      summary: 'Who changed the service (runs, dead letters, grants) through the API, and when (newest first)',
      operationId: 'listServiceAudit',
      tags: ['access'],
      parameters: queryParameters(auditQuerySchema),
      responses: { '200': { description: 'A page of audit entries.', content: jsonContent(jsonSchema(auditPage)) }, ...errorResponses(400) },
    },
  },
};
