import type { HttpResponseInit } from '@azure/functions';

/**
 * Every error the API returns has this shape: a stable machine code, a sentence a person can act on,
 * and where it applies the failing fields with their reasons.
 */
export interface ErrorBody {
  error: string;
  message: string;
  details?: { path: string; message: string }[];
  [key: string]: unknown;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponseInit => ({
  status,
  jsonBody: body,
  headers: { 'cache-control': 'no-store', ...headers },
});

export const ok = (body: unknown, headers?: Record<string, string>) => json(200, body, headers);
export const created = (body: unknown, location?: string) => json(201, body, location ? { location } : {});
export const accepted = (body: unknown, location?: string) => json(202, body, location ? { location } : {});
export const errorResponse = (status: number, error: string, message: string, extra: Omit<ErrorBody, 'error' | 'message'> = {}, headers?: Record<string, string>) =>
  json(status, { error, message, ...extra } satisfies ErrorBody, headers);
export const badRequest = (message: string, details?: ErrorBody['details']) => errorResponse(400, 'BadRequest', message, details ? { details } : {});
export const unauthorized = (message: string) => errorResponse(401, 'Unauthorized', message);
export const forbidden = (message: string) => errorResponse(403, 'Forbidden', message);
export const notFound = (message: string) => errorResponse(404, 'NotFound', message);
export const conflict = (message: string, extra?: Omit<ErrorBody, 'error' | 'message'>) => errorResponse(409, 'Conflict', message, extra);
export const payloadTooLarge = (limit: number) => errorResponse(413, 'PayloadTooLarge', `The request body is larger than the limit of ${limit} bytes.`);
export const unprocessable = (message: string, details?: ErrorBody['details']) => errorResponse(422, 'UnprocessableEntity', message, details ? { details } : {});
export const serviceUnavailable = (body: unknown) => json(503, body);
