import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { z } from 'zod';
import { badRequest, payloadTooLarge } from './responses';
import { invalidInput } from './request';
import { zodDetails } from '../lib/validation';
import { decodeUtf8, parseJsonText } from '../lib/json-text';

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export type BodyResult<T> = { ok: true; value: T; raw: string } | { ok: false; response: HttpResponseInit };

/** Reads the exact raw body (needed for signatures) within a size limit; bytes that are not UTF-8 are refused, not replaced. */
export async function readRawBody(request: HttpRequest, limit = DEFAULT_BODY_LIMIT): Promise<BodyResult<string>> {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) return { ok: false, response: payloadTooLarge(limit) };
  const buf = Buffer.from(await request.arrayBuffer());
  if (buf.length > limit) return { ok: false, response: payloadTooLarge(limit) };
  const text = decodeUtf8(buf);
  if (!text.ok) return { ok: false, response: badRequest(text.message, [{ path: text.path, message: text.reason }]) };
  return { ok: true, value: text.value, raw: text.value };
}

/** Parses JSON text, then validates it; a failure becomes a 400 naming each failing field. */
export function parseJson<S extends z.ZodType>(raw: string, schema: S, what = 'The request body'): BodyResult<z.infer<S>> {
  const json = parseJsonText(raw, what);
  if (!json.ok) return { ok: false, response: badRequest(json.message, [{ path: json.path, message: json.reason }]) };
  const parsed = schema.safeParse(json.value);
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
