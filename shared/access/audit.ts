import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { continuationTokenSchema } from '../lib/ids';
import { queryPage, upsertDocument } from '../store/documents';
import type { Principal } from './principal';

/**
 * Who changed what through the API, and when: one entry per accepted change, kept 400 days (the container's TTL),
 * under the partner it changed (`partner:<id>`), or under `service` for runs, dead letters and grants.
 */

export const SERVICE_SCOPE = 'service';
/** A partner's entries live under `partner:<id>`, so no partner id can name the service's scope. */
export const partnerScope = (partnerId: string): string => `partner:${partnerId}`;

export interface AuditActor {
  kind: Principal['kind'];
  id: string;
  name: string;
  via: Principal['via'];
}

export interface AuditEntry {
  id: string;
  scope: string;
  at: string;
  actor: AuditActor;
  /** `PUT /api/partners/demo-contoso/notification` */
  request: string;
  function: string;
  status: number;
}

export const actorOf = (p: Principal): AuditActor => ({ kind: p.kind, id: p.id, name: p.name, via: p.via });

export async function recordAudit(entry: Omit<AuditEntry, 'id' | 'at'> & { at?: Date }): Promise<AuditEntry> {
  const doc: AuditEntry = { id: randomUUID(), scope: entry.scope, at: (entry.at ?? new Date()).toISOString(), actor: entry.actor, request: entry.request, function: entry.function, status: entry.status };
  await upsertDocument('audit', doc);
  return doc;
}

/** Newest first, a page at a time. */
export async function listAudit(scope: string, opts: { limit?: number; continuationToken?: string } = {}): Promise<{ items: AuditEntry[]; continuationToken?: string }> {
  const page = await queryPage<AuditEntry & Record<string, unknown>>(
    'audit',
    { query: 'SELECT * FROM c WHERE c.scope = @scope ORDER BY c.at DESC', parameters: [{ name: '@scope', value: scope }] },
    { maxItemCount: opts.limit ?? 50, continuationToken: opts.continuationToken },
  );
  const items = page.items.map(({ id, scope: s, at, actor, request, function: fn, status }) => ({ id, scope: s, at, actor, request, function: fn, status }) as AuditEntry);
  return { items, ...(page.continuationToken ? { continuationToken: page.continuationToken } : {}) };
}

export const auditQuerySchema = z
  .object({
    limit: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(200, 'must be at most 200').optional(),
    continuationToken: continuationTokenSchema.optional().describe('From the previous page.'),
  })
  .strict();

export const auditEntrySchema = z.object({
  id: z.string(),
  scope: z.string().describe('partner:<partnerId>, or service'),
  at: z.string().describe('When the change was accepted (ISO 8601, UTC).'),
  actor: z.object({ kind: z.enum(['user', 'app']), id: z.string().describe('Entra object id, or local:<name> locally.'), name: z.string(), via: z.enum(['easy-auth', 'local-principal']) }),
  request: z.string().describe('Method and path, e.g. PUT /api/partners/demo-contoso/notification.'),
  function: z.string(),
  status: z.number().int(),
});
