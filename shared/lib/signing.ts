import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com): HMAC-SHA256 over
 * `${id}.${timestamp}.${body}` with the exact raw body, sent as `v1,<base64>`; a header may carry
 * several space-separated signatures so a secret can be rotated without downtime.
 * Used to verify incoming webhooks and to sign outgoing notifications.
 */

export const SECRET_PREFIX = 'whsec_';

export class SecretFormatError extends Error {}

/** Decodes a `whsec_<base64>` secret into its key bytes (the prefix is optional, as in the reference libraries). */
export function secretKey(secret: string): Buffer {
  const b64 = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) throw new SecretFormatError('a webhook secret must be whsec_ followed by base64');
  const key = Buffer.from(b64, 'base64');
  // The specification asks for 24 to 64 random bytes; shorter keys are too easy to guess.
  if (key.length < 24 || key.length > 64) throw new SecretFormatError(`a webhook secret must hold 24 to 64 bytes, this one holds ${key.length}`);
  return key;
}

/** A new random secret, for tests and for operators setting up a source. */
export function generateSecret(bytes = 32): string {
  return SECRET_PREFIX + randomBytes(bytes).toString('base64');
}

function hmac(key: Buffer, id: string, timestamp: number | string, body: string | Buffer): Buffer {
  return createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest();
}

/** The `webhook-signature` value (`v1,<base64>`) for one secret. */
export function sign(secret: string, id: string, timestamp: number, body: string | Buffer): string {
  return `v1,${hmac(secretKey(secret), id, timestamp, body).toString('base64')}`;
}

/** The three Standard Webhooks headers for a body, signed with every given secret (e.g. old and new during a rotation). */
export function signedHeaders(secrets: string | string[], id: string, body: string | Buffer, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  const list = Array.isArray(secrets) ? secrets : [secrets];
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': list.map((s) => sign(s, id, timestamp, body)).join(' '),
  };
}

export type VerifyFailure = 'missing-headers' | 'bad-timestamp' | 'stale-timestamp' | 'future-timestamp' | 'no-matching-signature';
export type VerifyResult = { ok: true } | { ok: false; reason: VerifyFailure; message: string };

export interface VerifyInput {
  /** Key bytes of every secret currently valid for the sender (see secretKey). */
  keys: readonly Buffer[];
  id: string | null | undefined;
  timestamp: string | null | undefined;
  signature: string | null | undefined;
  body: string | Buffer;
  toleranceSeconds: number;
  nowSeconds?: number;
}

/**
 * Verifies a delivery. Every (signature, key) pair is compared in constant time, and the loop does not
 * stop at the first match, so timing does not reveal which secret or which signature matched.
 */
export function verify(input: VerifyInput): VerifyResult {
  const { id, timestamp, signature } = input;
  if (!id || !timestamp || !signature) {
    return { ok: false, reason: 'missing-headers', message: 'The webhook-id, webhook-timestamp and webhook-signature headers are required.' };
  }
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'bad-timestamp', message: 'webhook-timestamp must be integer Unix seconds.' };
  const candidates: Buffer[] = [];
  for (const part of signature.split(' ')) {
    const comma = part.indexOf(',');
    if (comma < 0 || part.slice(0, comma) !== 'v1') continue;
    const b64 = part.slice(comma + 1);
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) continue;
    const sig = Buffer.from(b64, 'base64');
    if (sig.length === 32) candidates.push(sig);
  }
  let matched = false;
  for (const key of input.keys) {
    const expected = hmac(key, id, timestamp, input.body);
    for (const sig of candidates) matched = timingSafeEqual(expected, sig) || matched;
  }
  if (!matched) return { ok: false, reason: 'no-matching-signature', message: 'No webhook-signature matches the body for this source.' };
  // The tolerance is checked after the signature, so only a holder of the secret learns why a timestamp was refused.
  const ts = Number(timestamp);
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (ts < now - input.toleranceSeconds) return { ok: false, reason: 'stale-timestamp', message: `webhook-timestamp is more than ${input.toleranceSeconds} s in the past; sign each attempt with the current time.` };
  if (ts > now + input.toleranceSeconds) return { ok: false, reason: 'future-timestamp', message: `webhook-timestamp is more than ${input.toleranceSeconds} s in the future; check the sender's clock.` };
  return { ok: true };
}
