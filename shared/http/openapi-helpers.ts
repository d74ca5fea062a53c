import { z } from 'zod';

/** Helpers for describing routes in shared/http/openapi-paths/ (kept apart from openapi.ts, which imports those files). */

export type Operation = Record<string, unknown> & { summary: string; operationId: string; responses: Record<string, unknown> };
export type PathItem = Partial<Record<'get' | 'post' | 'put' | 'patch' | 'delete', Operation>> & { parameters?: unknown[] };
export type FeaturePaths = Record<string, PathItem>;

/** JSON Schema (2020-12, as OpenAPI 3.1 uses) of a zod schema: `input` for what callers send, `output` for what they get. */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'output'): Record<string, unknown> {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  delete out.$schema;
  return out;
}

export const jsonContent = (schema: Record<string, unknown>, example?: unknown) => ({ 'application/json': { schema, ...(example !== undefined ? { example } : {}) } });

/** Query parameters from a zod object of string inputs (what the handler parses request.query with). */
export function queryParameters(schema: z.ZodObject): Record<string, unknown>[] {
  const json = jsonSchema(schema, 'input') as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => {
    const { description, ...rest } = s;
    return { name, in: 'query', required: json.required?.includes(name) ?? false, ...(description ? { description } : {}), schema: rest };
  });
}

export const pathParameter = (name: string, description: string) => ({ name, in: 'path', required: true, description, schema: { type: 'string' } });

export const errorBodySchema = {
  type: 'object',
  required: ['error', 'message'],
  properties: {
    error: { type: 'string', description: 'Stable machine-readable code, e.g. BadRequest.' },
    message: { type: 'string', description: 'What went wrong and what to do, for a person.' },
    details: { type: 'array', items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' }, suggestions: { type: 'array', items: { type: 'string' }, description: 'For a value that did not resolve (a certification): the closest known ids.' } } } },
  },
};

const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid input; `details` lists every failing field and why.',
  401: 'Missing or invalid credentials or signature.',
  403: 'Not allowed for this caller.',
  404: 'Not found.',
  409: 'Conflicts with the current state.',
  413: 'Body larger than 1 MiB.',
  422: 'Well-formed but not processable.',
  503: 'A dependency is unavailable; retry later.',
};

/** Standard error responses, all with the shared error body. */
export function errorResponses(...codes: number[]): Record<string, unknown> {
  return Object.fromEntries(codes.map((c) => [String(c), { description: ERROR_TEXT[c] ?? 'Error.', content: jsonContent({ $ref: '#/components/schemas/Error' }) }]));
}

