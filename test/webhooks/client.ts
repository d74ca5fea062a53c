import { signedHeaders } from '../../shared/lib/signing';
import { uid } from '../helpers/ids';

/** Posts a signed delivery the way a sender following Standard Webhooks does. */
export async function postSigned(
  url: string,
  source: string,
  body: unknown,
  opts: { secret: string | string[]; id?: string; timestamp?: number; headers?: Record<string, string>; raw?: string },
): Promise<{ status: number; json: Record<string, unknown> }> {
  const raw = opts.raw ?? JSON.stringify(body);
  const id = opts.id ?? uid('msg');
  const headers = { 'content-type': 'application/json', ...signedHeaders(opts.secret, id, raw, opts.timestamp), ...(opts.headers ?? {}) };
  const res = await fetch(`${url}/api/webhooks/${source}`, { method: 'POST', body: raw, headers });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = { text };
  }
  return { status: res.status, json };
}

type Data = Record<string, unknown>;
export const ev = (id: string, type: string, partnerId: string, occurredAt: string, data: Data) => ({ id, type, partnerId, occurredAt, data });
export const cpor = (claimId: string, extra: Data = {}) => ({ claimId, tenantId: 'tenant-1', solutionArea: 'modern-work', role: 'use-or-consume', workloads: ['teams'], ...extra });
