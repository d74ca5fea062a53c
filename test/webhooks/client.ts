import { signedHeaders } from '../../shared/lib/signing';

/** Posts a signed delivery the way a sender following Standard Webhooks does. */
export async function postSigned(
  url: string,
  source: string,
  body: unknown,
  opts: { secret: string | string[]; id?: string; timestamp?: number; headers?: Record<string, string>; raw?: string },
): Promise<{ status: number; json: Record<string, unknown> }> {
  const raw = opts.raw ?? JSON.stringify(body);
  const id = opts.id ?? `msg_${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
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

export async function getJson(url: string): Promise<{ status: number; json: any }> {
  const res = await fetch(url);
  return { status: res.status, json: await res.json() };
}

export const uid = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 8)}${Date.now().toString(36).slice(-4)}`;

type Data = Record<string, unknown>;
export const ev = (id: string, type: string, partnerId: string, occurredAt: string, data: Data) => ({ id, type, partnerId, occurredAt, data });
export const cpor = (claimId: string, extra: Data = {}) => ({ claimId, tenantId: 'tenant-1', solutionArea: 'modern-work', role: 'use-or-consume', workloads: ['teams'], ...extra });
