import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { z } from 'zod';
import { partnerIdSchema } from '../lib/ids';
import { zodDetails } from '../lib/validation';
import { badRequest, type ErrorBody } from './responses';

/**
 * Parsing of route parameters and query strings. Each step gives the value or the 400 to return as is, so a function
 * file reads `if (!x.ok) return x.response;` and every route names a failing field the same way.
 */

export type Parsed<T> = { ok: true; value: T } | { ok: false; response: HttpResponseInit };

export type Details = NonNullable<ErrorBody['details']>;

/** The message repeats the details, so a client that logs only the message still learns which field failed. */
export const describeDetails = (details: Details): string => details.map((d) => `${d.path}: ${d.message}`).join('; ');

export const invalidInput = (details: Details, lead = ''): HttpResponseInit => badRequest(`${lead}${describeDetails(details)}`, details);

/** Validates one part of a request; each failing field is named under `where` (`partnerId`, `query.date`). */
export function parsePart<S extends z.ZodType>(schema: S, input: unknown, where: string, lead = ''): Parsed<z.output<S>> {
  const r = schema.safeParse(input);
  if (r.success) return { ok: true, value: r.data };
  const details = zodDetails(r.error).map((d) => ({ path: d.path === '(body)' ? where : `${where}.${d.path}`, message: d.message }));
  return { ok: false, response: invalidInput(details, lead) };
}

export const routeParam = <S extends z.ZodType>(request: HttpRequest, name: string, schema: S): Parsed<z.output<S>> => parsePart(schema, request.params[name], name);

/** Every `{partnerId}` route checks it with the same rule before it touches a store. */
export const partnerIdParam = (request: HttpRequest): Parsed<string> => routeParam(request, 'partnerId', partnerIdSchema);

export const queryOf = (request: HttpRequest): Record<string, string> => Object.fromEntries(request.query.entries());

const QUERY_LEAD = 'Invalid query: ';

export const parseQuery = <S extends z.ZodType>(request: HttpRequest, schema: S): Parsed<z.output<S>> => parsePart(schema, queryOf(request), 'query', QUERY_LEAD);

/** A query failure found after parsing (a range, a stale continuation token), worded like a parse failure. */
export const invalidQuery = (param: string, message: string): HttpResponseInit => invalidInput([{ path: `query.${param}`, message }], QUERY_LEAD);
