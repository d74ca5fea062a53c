import { z } from 'zod';

/**
 * Every app setting the service reads, in one place. Defaults here are what `npm start` runs with;
 * in Azure, infra/ sets each of them explicitly (a `%SETTING%` binding expression has no default there).
 */
export const BINDING_SETTING_DEFAULTS = {
  SCORE_RECOMPUTE_SCHEDULE: '0 0 2 * * *',
  CERT_SYNC_SCHEDULE: '0 30 1 * * *',
  PARTNER_CENTER_PULL_SCHEDULE: '0 0 3 * * *',
} as const;

const ncrontab = z
  .string()
  .trim()
  .refine((v) => v.split(/\s+/).length === 6, 'must be an NCRONTAB expression with 6 fields: second minute hour day month day-of-week');

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** One day: a sender's clock may run ahead, an event from next year is a mistake. */
export const DEFAULT_EVENT_FUTURE_TOLERANCE_SECONDS = 86_400;

/** Above the largest Microsoft 365 tenants' user counts, so only a mistake exceeds it. */
export const DEFAULT_MAX_SEAT_COUNT = 10_000_000;

const settingsSchema = z.object({
  COSMOS_ENDPOINT: z.url({ message: 'must be the Cosmos DB account endpoint URL, e.g. https://myaccount.documents.azure.com:443/' }),
  COSMOS_KEY: z.string().min(1).optional(),
  COSMOS_DATABASE: z.string().regex(/^[A-Za-z0-9_-]{1,255}$/, 'letters, digits, _ and - only').default('pcs'),
  /** Create the database and containers at start-up. Only for emulators: in Azure, Bicep creates them. */
  COSMOS_CREATE_CONTAINERS: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  AzureWebJobsStorage: z.string().min(1).optional(),
  AzureWebJobsStorage__queueServiceUri: z.url().optional(),
  AzureWebJobsStorage__blobServiceUri: z.url().optional(),
  AzureWebJobsStorage__clientId: z.string().optional(),
  SCORE_RECOMPUTE_SCHEDULE: ncrontab.default(BINDING_SETTING_DEFAULTS.SCORE_RECOMPUTE_SCHEDULE),
  CERT_SYNC_SCHEDULE: ncrontab.default(BINDING_SETTING_DEFAULTS.CERT_SYNC_SCHEDULE),
  /** Comma-separated names of the webhook sources; each has WEBHOOK_SECRET_<NAME> and WEBHOOK_PARTNERS_<NAME>. */
  WEBHOOK_SOURCES: z.string().default(''),
  WEBHOOK_TOLERANCE_SECONDS: positiveInt(300),
  /** How far ahead of this server's clock an event's occurredAt may be: a later one would outrank every correction. */
  EVENT_FUTURE_TOLERANCE_SECONDS: positiveInt(DEFAULT_EVENT_FUTURE_TOLERANCE_SECONDS),
  /** Largest seat or user count a telemetry report may carry (paidSeats, activeUsers, protectedUsers, mcvUnits). */
  MAX_SEAT_COUNT: positiveInt(DEFAULT_MAX_SEAT_COUNT),
  /** Since issue 16 the follow-up window: a partner's recomputes start at most once per this many seconds (the first after a quiet period at once). */
  RECOMPUTE_COALESCE_SECONDS: z.coerce.number().int().min(0).default(1),
  LEARN_BASE_URL: z.url().default('https://learn.microsoft.com'),
  CERT_SYNC_CONCURRENCY: positiveInt(8),
  CERT_SYNC_TIMEOUT_MS: positiveInt(10000),
  /** Attempts per source request (the first included) before a partner's data is kept as stale. */
  CERT_SYNC_MAX_ATTEMPTS: positiveInt(4),
  /** First backoff between attempts; doubles each retry, with jitter, never shorter than a Retry-After. */
  CERT_SYNC_BACKOFF_MS: positiveInt(1000),
  /** Blob container holding certification import files (CSV or JSON Lines). */
  CERT_IMPORTS_CONTAINER: z.string().regex(/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/, 'a blob container name: 3-63 lowercase letters, digits and single hyphens').default('cert-imports'),
  /** Largest import file accepted (bytes); a larger one is refused with 413 naming this limit. */
  IMPORT_MAX_BYTES: positiveInt(50 * 1024 * 1024),
  /** Most data rows in one import file; a longer one is refused with 413 naming this limit. */
  IMPORT_MAX_ROWS: positiveInt(200_000),
  /** Files of at most this many rows are imported while the request waits (200 with the report); longer ones in the background (202 and a run). */
  IMPORT_INLINE_MAX_ROWS: z.coerce.number().int().min(0).default(2_000),
  /** Rows one background message applies before the next message takes over (progress is recorded after each). */
  IMPORT_CHUNK_ROWS: positiveInt(5_000),
  /** Blob container holding import files processed in the background. */
  IMPORTS_CONTAINER: z.string().regex(/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/, 'a blob container name: 3-63 lowercase letters, digits and single hyphens').default('imports'),
  /** How "points in every metric" is read: 'gt0' (PCS page, default) or 'gte1' (area pages: "at least one point"). */
  QUALIFY_METRIC_TEST: z.enum(['gt0', 'gte1']).default('gt0'),
  /**
   * Which associations decide the year-ago side of net customer adds and growth baselines: those in place in that
   * month ('in-effect-then', default: a customer lost since offsets an add) or those in place today ('evaluation-date').
   */
  YEAR_AGO_ASSOCIATIONS: z.enum(['in-effect-then', 'evaluation-date']).default('in-effect-then'),
  /** Signs alert notifications to partners (Standard Webhooks, whsec_<base64>); without it alerts are stored but not sent. */
  NOTIFICATION_SECRET: z
    .string()
    .refine((v) => v.trim().split(/\s+/).every((t) => t.startsWith('whsec_')), 'must be one or more Standard Webhooks secrets, whsec_<base64>, separated by spaces (two during a rotation: each notification is signed with both)')
    .optional(),
  NOTIFICATION_MAX_ATTEMPTS: positiveInt(8),
  /** First retry delay of a failed notification; it doubles on each attempt (with jitter). */
  NOTIFICATION_RETRY_BASE_SECONDS: positiveInt(30),
  /**
   * Partner Center webhooks (docs/partner-center.md). The partners whose `/api/partner-center/{partnerId}/events`
   * route accepts events, comma-separated: a Microsoft signature proves the sender, not which partner it is for.
   */
  PARTNER_CENTER_PARTNER_IDS: z.string().default(''),
  /** Comma-separated URL prefixes the signing certificate may be downloaded from; Microsoft documents its storage host. */
  PARTNER_CENTER_CERT_URL_PREFIXES: z.string().default('https://3psostorageacct.blob.core.windows.net/cert/'),
  /** The Organization (O=) the signing certificate's subject must name. */
  PARTNER_CENTER_CERT_ORGANIZATION: z.string().min(1).default('Microsoft Corporation'),
  /** A PEM file of extra trust anchors (issuing CAs) for the signing certificate, beside the system's root CAs. */
  PARTNER_CENTER_CA_FILE: z.string().min(1).optional(),
  PARTNER_CENTER_API_BASE_URL: z.url().default('https://api.partnercenter.microsoft.com'),
  /** The app registration that reads Partner Center (app-only): its tenant, client id and a secret or certificate (Key Vault references in Azure). */
  PARTNER_CENTER_TENANT_ID: z.string().min(1).optional(),
  PARTNER_CENTER_CLIENT_ID: z.string().min(1).optional(),
  PARTNER_CENTER_CLIENT_SECRET: z.string().min(1).optional(),
  PARTNER_CENTER_CLIENT_CERTIFICATE_PATH: z.string().min(1).optional(),
  /** A fixed bearer token, honoured only when PARTNER_CENTER_API_BASE_URL is a loopback address: the local stand-in for Entra in tests. */
  PARTNER_CENTER_LOCAL_TOKEN: z.string().min(1).optional(),
  /** Attempts at reading a resource within one queue delivery, and the first backoff between them (doubling, never shorter than Retry-After). */
  PARTNER_CENTER_FETCH_ATTEMPTS: positiveInt(4),
  PARTNER_CENTER_BACKOFF_MS: positiveInt(500),
  PARTNER_CENTER_TIMEOUT_MS: positiveInt(10000),
  /**
   * The nightly pull of Partner Center's customer list (docs/partner-center.md): the partner whose Partner Center
   * account the app registration above reads. Empty: no pull.
   */
  PARTNER_CENTER_PULL_PARTNER_ID: z
    .string()
    .trim()
    .transform((v) => v || undefined)
    .optional(),
  PARTNER_CENTER_PULL_SCHEDULE: ncrontab.default(BINDING_SETTING_DEFAULTS.PARTNER_CENTER_PULL_SCHEDULE),
  /** Customers per page of GET /v1/customers. */
  PARTNER_CENTER_PULL_PAGE_SIZE: z.coerce.number().int().min(1).max(1000).default(500),
  APP_VERSION: z.string().optional(),
});

export type Settings = z.infer<typeof settingsSchema>;

export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SettingsError';
  }
}

/** Validates raw settings; throws SettingsError naming every missing or malformed setting. */
export function parseSettings(env: Record<string, string | undefined>): Settings {
  const raw = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = settingsSchema.safeParse(raw);
  if (!parsed.success) {
    throw new SettingsError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  const s = parsed.data;
  if (!s.AzureWebJobsStorage && !s.AzureWebJobsStorage__queueServiceUri) {
    throw new SettingsError([
      'AzureWebJobsStorage: set a connection string (local) or AzureWebJobsStorage__queueServiceUri and __blobServiceUri (managed identity)',
    ]);
  }
  return s;
}

let cached: Settings | undefined;

/** The process's settings, validated once. */
export function getSettings(): Settings {
  cached ??= parseSettings(process.env);
  return cached;
}

/** For tests and the local host, which set process.env before the app reads it. */
export function resetSettingsCache(): void {
  cached = undefined;
}
