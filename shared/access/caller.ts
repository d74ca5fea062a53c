import { CLIENT_PRINCIPAL_HEADER, parseLocalPrincipal, platformAuthenticationOn, principalFromEasyAuth, type Principal } from './principal';

/**
 * The caller of one request, from the one source this environment trusts:
 * - behind App Service Authentication (Easy Auth, or the local host standing in for it): the platform's
 *   `x-ms-client-principal`, and nothing else;
 * - otherwise, outside Azure only (for example under Core Tools' `func start`): the development principal
 *   LOCAL_PRINCIPAL, for every request;
 * - otherwise nobody: the routes that need a caller answer 401.
 * A client-supplied `x-ms-client-principal` is never believed when the platform has not said authentication is on.
 */
export function callerOf(headers: { get(name: string): string | null }, env: Record<string, string | undefined> = process.env): Principal | undefined {
  if (platformAuthenticationOn(env)) return principalFromEasyAuth(headers.get(CLIENT_PRINCIPAL_HEADER) ?? undefined);
  if (runningInAzure(env)) return undefined;
  return parseLocalPrincipal(env.LOCAL_PRINCIPAL);
}

/** App Service sets WEBSITE_SITE_NAME on every Function App; a development principal must never apply there. */
export function runningInAzure(env: Record<string, string | undefined> = process.env): boolean {
  return Boolean(env.WEBSITE_SITE_NAME || env.WEBSITE_INSTANCE_ID);
}

/** How a caller appears in an audit entry and in logs. */
export function describeCaller(p: Principal): string {
  return p.name === p.id ? p.id : `${p.name} (${p.id})`;
}
