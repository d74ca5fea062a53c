import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { z } from 'zod';
import { badRequest, payloadTooLarge } from './responses';
import { invalidInput } from './request';
import { zodDetails } from '../lib/validation';

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export type BodyResult<T> = { ok: true; value: T; raw: string } | { ok: false; response: HttpResponseInit };

/** Reads the exact raw body (needed for signatures) within a size limit. */
export async function readRawBody(request: HttpRequest, limit = DEFAULT_BODY_LIMIT): Promise<BodyResult<string>> {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) return { ok: false, response: payloadTooLarge(limit) };
  const buf = Buffer.from(await request.arrayBuffer());
  if (buf.length > limit) return { ok: false, response: payloadTooLarge(limit) };
  const raw = buf.toString('utf8');
  return { ok: true, value: raw, raw };
}

/** Parses JSON text, then validates it; a failure becomes a 400 naming each failing field. */
export function parseJson<S extends z.ZodType>(raw: string, schema: S, what = 'The request body'): BodyResult<z.infer<S>> {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (e) {
    return { ok: false, response: badRequest(`${what} is not valid JSON: ${(e as Error).message}`) };
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) return { ok: false, response: invalidInput(zodDetails(parsed.error), `${what} is invalid: `) };
  return { ok: true, value: parsed.data, raw };
}

/** Reads and validates a JSON body in one step. */
export async function readJsonBody<S extends z.ZodType>(request: HttpRequest, schema: S, limit = DEFAULT_BODY_LIMIT): Promise<BodyResult<z.infer<S>>> {
  const raw = await readRawBody(request, limit);
  if (!raw.ok) return raw;
  return parseJson(raw.value, schema);
}

/** For routes whose body is optional (a POST that starts something with defaults): no body gives `undefined`. */
export async function readOptionalJsonBody<S extends z.ZodType>(request: HttpRequest, schema: S, limit = DEFAULT_BODY_LIMIT): Promise<BodyResult<z.infer<S> | undefined>> {
  // Read whatever arrived, however it was framed: a chunked body has no content-length but is a body all the same.
  const raw = await readRawBody(request, limit);
  if (!raw.ok) return raw;
  if (!raw.value.trim()) return { ok: true, value: undefined, raw: raw.value };
  return parseJson(raw.value, schema);
}
