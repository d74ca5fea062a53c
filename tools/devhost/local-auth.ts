import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { IncomingHttpHeaders } from 'node:http';
import { formBodyRefusal } from '../../shared/access/form-bodies';
import { CLIENT_PRINCIPAL_HEADER, type Principal } from '../../shared/access/principal';

/**
 * The local host's stand-in for what Azure puts in front of the app:
 * - the host keys (a master key and a default function key), generated at first start and kept in the local data
 *   folder (`keys.json`, readable by the user only), checked as the Functions host checks them: `function` routes
 *   need either key, `admin` routes and `/admin/*` the master key, in `x-functions-key` or `?code=`;
 * - App Service Authentication: the host removes any `x-ms-client-principal` a client sent and sets its own, for
 *   a caller with a valid key (the "function key" operator, as operators and break-glass use keys) or otherwise the
 *   development principal LOCAL_PRINCIPAL; the app then believes the header as it does behind Easy Auth.
 */

export interface LocalKeys {
  masterKey: string;
  functionKey: string;
  /** Where they are kept; undefined when the local data is in memory (new keys each start). */
  file: string | undefined;
  created: boolean;
}

export type KeyLevel = 'master' | 'function';

const newKey = () => randomBytes(32).toString('base64url');

export function loadOrCreateKeys(dataDir: string | undefined): LocalKeys {
  if (!dataDir) return { masterKey: newKey(), functionKey: newKey(), file: undefined, created: true };
  const file = path.join(dataDir, 'keys.json');
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Partial<LocalKeys>;
    if (typeof saved.masterKey === 'string' && saved.masterKey.length >= 32 && typeof saved.functionKey === 'string' && saved.functionKey.length >= 32) {
      return { masterKey: saved.masterKey, functionKey: saved.functionKey, file, created: false };
    }
    throw new Error(`${file} is not a keys file from this host (masterKey and functionKey of at least 32 characters); delete it to get new keys.`);
  }
  const keys = { masterKey: newKey(), functionKey: newKey() };
  mkdirSync(dataDir, { recursive: true });
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
  return { ...keys, file, created: true };
}

/** The function key a local host keeps in the project's data folder, for the CLIs that call it. */
export function savedFunctionKey(dataDirSetting: string | undefined, projectDir = path.join(__dirname, '..', '..', '..')): string | undefined {
  const dir = dataDirSetting?.trim() || '.local-data';
  if (dir.toLowerCase() === 'none') return undefined;
  try {
    return (JSON.parse(readFileSync(path.join(path.resolve(projectDir, dir), 'keys.json'), 'utf8')) as { functionKey?: string }).functionKey;
  } catch {
    return undefined;
  }
}

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Which key the request carries, if it carries a valid one. */
export function keyLevelOf(keys: LocalKeys, headers: IncomingHttpHeaders, query: URLSearchParams): KeyLevel | undefined {
  const header = headers['x-functions-key'];
  const presented = (Array.isArray(header) ? header[0] : header) ?? query.get('code') ?? undefined;
  if (!presented) return undefined;
  if (same(presented, keys.masterKey)) return 'master';
  if (same(presented, keys.functionKey)) return 'function';
  return undefined;
}

/** Whether a route's authLevel admits a request with this key, as the Functions host decides. */
export function authLevelAdmits(authLevel: string | undefined, key: KeyLevel | undefined): boolean {
  const level = (authLevel ?? 'function').toLowerCase();
  if (level === 'anonymous') return true;
  if (level === 'admin' || level === 'system') return key === 'master';
  return key !== undefined;
}

export const KEY_PRINCIPAL: Principal = { kind: 'app', id: 'local:function-key', name: 'function key', roles: ['operator'], groups: [], via: 'local-principal' };

/** The header Easy Auth would send for this principal (base64 JSON claims, auth_typ "local"). */
export function clientPrincipalHeader(p: Principal): string {
  const claims = [
    { typ: 'http://schemas.microsoft.com/identity/claims/objectidentifier', val: p.id },
    { typ: 'name', val: p.name },
    ...(p.kind === 'app' ? [{ typ: 'idtyp', val: 'app' }] : [{ typ: 'scp', val: 'user_impersonation' }]),
    ...p.roles.map((val) => ({ typ: 'roles', val })),
    ...p.groups.map((val) => ({ typ: 'groups', val })),
  ];
  return Buffer.from(JSON.stringify({ auth_typ: 'local', name_typ: 'name', role_typ: 'roles', claims })).toString('base64');
}

/** Removes what a client sent under the platform's header names, and sets the platform's word, if any. */
export function applySignIn(headers: Record<string, string>, principal: Principal | undefined): void {
  for (const name of Object.keys(headers)) if (name.toLowerCase().startsWith(CLIENT_PRINCIPAL_HEADER)) delete headers[name];
  if (principal) headers[CLIENT_PRINCIPAL_HEADER] = clientPrincipalHeader(principal);
}


/**
 * Why a state-changing request is refused as a possible cross-site request, or undefined: a browser sends Origin
 * on every cross-origin POST, PUT and DELETE; a valid key proves the caller is not a page riding on the browser.
 */
export function crossSiteRefusal(method: string, headers: IncomingHttpHeaders, key: KeyLevel | undefined, hasBody: boolean, checkBodyType: boolean): { status: number; error: string; message: string } | undefined {
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return undefined;
  // The API routes refuse such bodies in the app itself (functions/access-control.ts), in Azure too; the admin
  // API is the host's, so the host refuses them there.
  const refusal = checkBodyType && hasBody ? formBodyRefusal(method, String(headers['content-type'] ?? '')) : undefined;
  if (refusal) return refusal;
  const origin = headers.origin;
  if (key === undefined && origin !== undefined && origin !== `http://${headers.host ?? ''}`) {
    return { status: 403, error: 'Forbidden', message: `Cross-origin ${method} from ${String(origin).slice(0, 200)} refused: send the local function key (x-functions-key) to call the API from another origin.` };
  }
  return undefined;
}
