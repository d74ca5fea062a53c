import { ClientCertificateCredential, ClientSecretCredential, type TokenCredential } from '@azure/identity';
import type { Settings } from '../config/settings';
import { parseRetryAfterMs, withRetry } from '../lib/retry';

/** The scope of app-only Partner Center API tokens. */
export const PARTNER_CENTER_SCOPE = 'https://api.partnercenter.microsoft.com/.default';

export type TokenProvider = () => Promise<string>;

/** A failed Partner Center read; `retryable` for throttling, 5xx and network failures. */
export class PartnerCenterApiError extends Error {
  constructor(message: string, readonly status: number | undefined, readonly retryable: boolean, readonly retryAfterMs?: number) {
    super(message);
  }
}

const isLoopback = (base: string) => ['localhost', '127.0.0.1', '[::1]'].includes(new URL(base).hostname);

let credential: { key: string; value: TokenCredential } | undefined;

/**
 * The app-only token for Partner Center: client credentials of the app registration (a secret or a certificate,
 * both Key Vault references in Azure). PARTNER_CENTER_LOCAL_TOKEN stands in for Entra only against a loopback API,
 * so it can never carry a token to Microsoft.
 */
export function tokenProviderFor(settings: Settings): TokenProvider {
  if (settings.PARTNER_CENTER_LOCAL_TOKEN && isLoopback(settings.PARTNER_CENTER_API_BASE_URL)) {
    const token = settings.PARTNER_CENTER_LOCAL_TOKEN;
    return async () => token;
  }
  const tenant = settings.PARTNER_CENTER_TENANT_ID;
  const client = settings.PARTNER_CENTER_CLIENT_ID;
  if (!tenant || !client || !(settings.PARTNER_CENTER_CLIENT_SECRET || settings.PARTNER_CENTER_CLIENT_CERTIFICATE_PATH)) {
    return async () => {
      throw new PartnerCenterApiError('Partner Center credentials are not configured: set PARTNER_CENTER_TENANT_ID, PARTNER_CENTER_CLIENT_ID and PARTNER_CENTER_CLIENT_SECRET or PARTNER_CENTER_CLIENT_CERTIFICATE_PATH', undefined, false);
    };
  }
  const key = `${tenant}|${client}|${settings.PARTNER_CENTER_CLIENT_CERTIFICATE_PATH ?? ''}`;
  if (credential?.key !== key) {
    credential = {
      key,
      value: settings.PARTNER_CENTER_CLIENT_SECRET
        ? new ClientSecretCredential(tenant, client, settings.PARTNER_CENTER_CLIENT_SECRET)
        : new ClientCertificateCredential(tenant, client, { certificatePath: settings.PARTNER_CENTER_CLIENT_CERTIFICATE_PATH! }),
    };
  }
  const value = credential.value;
  return async () => {
    const token = await value.getToken(PARTNER_CENTER_SCOPE);
    if (!token) throw new PartnerCenterApiError('Entra returned no Partner Center token', undefined, true);
    return token.token;
  };
}

/**
 * The URL to read for a ResourceUri: only its path and query, against the configured API base URL. The token is
 * sent to the configured host alone, whatever host an event names.
 */
export function resourceUrl(resourceUri: string, baseUrl: string): string {
  const r = new URL(resourceUri);
  const base = new URL(baseUrl);
  return new URL(`${base.pathname.replace(/\/$/, '')}${r.pathname}${r.search}`, base.origin).href;
}

export interface ApiOptions {
  baseUrl: string;
  token: TokenProvider;
  timeoutMs: number;
  maxAttempts: number;
  backoffMs: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * GETs a Partner Center resource as JSON, retrying throttling and passing failures with backoff (Retry-After
 * honoured). `resourceUri` may be absolute or a path (`/v1/customers?size=500`, as `links.next.uri` gives it).
 */
export async function getResource(resourceUri: string, opts: ApiOptions, headers: Record<string, string> = {}): Promise<unknown> {
  const url = resourceUrl(new URL(resourceUri, opts.baseUrl).href, opts.baseUrl);
  return withRetry(
    async () => {
      const token = await opts.token();
      let res: Response;
      try {
        res = await fetch(url, { headers: { ...headers, authorization: `Bearer ${token}`, accept: 'application/json' }, redirect: 'error', signal: AbortSignal.timeout(opts.timeoutMs) });
      } catch (e) {
        throw new PartnerCenterApiError(`GET ${url} failed: ${(e as Error).message}`, undefined, true);
      }
      if (!res.ok) {
        const retryable = res.status === 429 || res.status === 408 || res.status >= 500;
        throw new PartnerCenterApiError(`GET ${url} answered ${res.status}`, res.status, retryable, parseRetryAfterMs(res.headers.get('retry-after')));
      }
      try {
        return (await res.json()) as unknown;
      } catch {
        throw new PartnerCenterApiError(`GET ${url} did not answer JSON`, res.status, false);
      }
    },
    { retryable: (e) => e instanceof PartnerCenterApiError && e.retryable, retryAfterMs: (e) => (e instanceof PartnerCenterApiError ? e.retryAfterMs : undefined) },
    { maxAttempts: opts.maxAttempts, baseDelayMs: opts.backoffMs, maxDelayMs: 30_000, sleep: opts.sleep },
  );
}
