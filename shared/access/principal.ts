import { z } from 'zod';

/**
 * Who is calling. In Azure, App Service Authentication (Easy Auth) validates the caller's Entra ID token in front
 * of the app and passes what it found in `x-ms-client-principal` (base64 JSON). That header is believed only when
 * the platform says authentication is on (WEBSITE_AUTH_ENABLED, set by App Service itself): without Easy Auth in
 * front, anyone can send it. Locally a development principal (LOCAL_PRINCIPAL) stands in for it.
 */

export interface Principal {
  /** A signed-in person, or a machine caller with an app-only token. */
  kind: 'user' | 'app';
  /** Entra object id (oid) of the user or service principal. */
  id: string;
  name: string;
  /** App role values assigned to the caller in the app registration (the token's `roles`). */
  roles: string[];
  /** Entra group object ids (the token's `groups`). */
  groups: string[];
  via: 'easy-auth' | 'local-principal';
}

export const CLIENT_PRINCIPAL_HEADER = 'x-ms-client-principal';

const claimsSchema = z.object({
  auth_typ: z.string().optional(),
  name_typ: z.string().optional(),
  role_typ: z.string().optional(),
  claims: z.array(z.object({ typ: z.string(), val: z.string() })).max(2000),
});

const OID = ['http://schemas.microsoft.com/identity/claims/objectidentifier', 'oid'];
const NAME = ['name', 'preferred_username', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn', 'upn', 'appid', 'azp'];
const ROLE = ['roles', 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role'];
const GROUP = ['groups'];

/** True when App Service Authentication runs in front of this app (the platform sets the variable, callers cannot). */
export function platformAuthenticationOn(env: Record<string, string | undefined> = process.env): boolean {
  return (env.WEBSITE_AUTH_ENABLED ?? '').toLowerCase() === 'true';
}

/**
 * The caller Easy Auth vouches for, or undefined: no header, a malformed one, or no object id in it. Only call
 * this when platformAuthenticationOn(): the header is the platform's word, not the caller's.
 */
export function principalFromEasyAuth(header: string | undefined): Principal | undefined {
  if (!header || header.length > 64_000) return undefined;
  let parsed: z.infer<typeof claimsSchema>;
  try {
    const r = claimsSchema.safeParse(JSON.parse(Buffer.from(header, 'base64').toString('utf8')));
    if (!r.success) return undefined;
    parsed = r.data;
  } catch {
    return undefined;
  }
  const values = (types: readonly string[]) => parsed.claims.filter((c) => types.includes(c.typ)).map((c) => c.val);
  const first = (types: readonly string[]) => types.map((t) => parsed.claims.find((c) => c.typ === t)?.val).find((v) => v !== undefined && v !== '');
  const id = first(OID);
  if (!id) return undefined;
  // An app-only token carries no delegated scopes and says idtyp=app; a user's carries `scp`.
  const app = first(['idtyp']) === 'app' || (!first(['scp', 'http://schemas.microsoft.com/identity/claims/scope']) && first(['appid', 'azp']) !== undefined && first(['name', 'preferred_username']) === undefined);
  return {
    kind: app ? 'app' : 'user',
    id,
    name: first([...(parsed.name_typ ? [parsed.name_typ] : []), ...NAME]) ?? id,
    roles: [...new Set(values([...(parsed.role_typ ? [parsed.role_typ] : []), ...ROLE]))],
    groups: [...new Set(values(GROUP))],
    // The local host, standing in for Easy Auth, marks what it signs in (see tools/devhost/local-auth.ts).
    via: parsed.auth_typ === 'local' ? 'local-principal' : 'easy-auth',
  };
}

export class LocalPrincipalError extends Error {}

/**
 * LOCAL_PRINCIPAL, for running the app and its access checks locally as behind Easy Auth:
 * `<name> [id=<object id>] [kind=user|app] [roles=<r1>,<r2>] [groups=<g1>,<g2>]`, e.g.
 * `ada@example.com roles=operator` or `crm-sync kind=app roles=partners.import groups=7f0c...`.
 */
export function parseLocalPrincipal(value: string | undefined): Principal | undefined {
  const text = (value ?? '').trim();
  if (!text) return undefined;
  const [name, ...rest] = text.split(/\s+/);
  const fields: Record<string, string> = {};
  for (const part of rest) {
    const m = /^(id|kind|roles|groups)=(.*)$/.exec(part);
    if (!m) throw new LocalPrincipalError(`LOCAL_PRINCIPAL: "${part}" is not one of id=, kind=, roles=, groups= (value: "${text}")`);
    fields[m[1]!] = m[2]!;
  }
  const kind = fields.kind ?? 'user';
  if (kind !== 'user' && kind !== 'app') throw new LocalPrincipalError(`LOCAL_PRINCIPAL: kind must be user or app, not "${kind}"`);
  const list = (v: string | undefined) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return { kind, id: fields.id ?? `local:${name}`, name: name!, roles: list(fields.roles), groups: list(fields.groups), via: 'local-principal' };
}
