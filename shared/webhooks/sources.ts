import { isSourceName } from '../lib/ids';
import { z } from 'zod';
import { secretKey } from '../lib/signing';

/**
 * Webhook sources come from settings: WEBHOOK_SOURCES lists them; per source, WEBHOOK_SECRET_<NAME>
 * holds one or more space-separated `whsec_` secrets (Key Vault references in Azure; several during a
 * rotation) and WEBHOOK_PARTNERS_<NAME> the partner ids it may write (comma list, or `*` for any).
 */
export interface WebhookSource {
  name: string;
  keys: Buffer[];
  /** undefined = any partner (`*`). */
  partners: ReadonlySet<string> | undefined;
}

/** NAME in the per-source setting names: upper case, non-alphanumerics as `_`. */
export function sourceSettingSuffix(source: string): string {
  return source.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}


const secretsSchema = z
  .string()
  .trim()
  .min(1, 'must hold at least one whsec_ secret')
  .transform((v, ctx) => {
    const keys: Buffer[] = [];
    for (const [i, s] of v.split(/\s+/).entries()) {
      try {
        keys.push(secretKey(s));
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: `secret #${i + 1}: ${(e as Error).message}` });
      }
    }
    return keys;
  });

const partnersSchema = z
  .string()
  .trim()
  .min(1, 'must list partner ids (comma-separated) or be *')
  .transform((v) => (v === '*' ? undefined : new Set(v.split(',').map((p) => p.trim()).filter(Boolean))));

export class SourceConfigError extends Error {}

/**
 * Resolves a source by name (case-insensitive) from the environment. Returns undefined for a source that is
 * not listed; throws SourceConfigError when it is listed but its settings are missing or malformed,
 * which is an operator mistake to surface in logs, not something to tell the caller about.
 */
export function resolveSource(name: string, env: Record<string, string | undefined> = process.env): WebhookSource | undefined {
  if (!isSourceName(name)) return undefined;
  const listed = (env.WEBHOOK_SOURCES ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const canonical = listed.find((s) => s.toLowerCase() === name.toLowerCase());
  if (!canonical) return undefined;
  const suffix = sourceSettingSuffix(canonical);
  const secrets = secretsSchema.safeParse(env[`WEBHOOK_SECRET_${suffix}`] ?? '');
  const partners = partnersSchema.safeParse(env[`WEBHOOK_PARTNERS_${suffix}`] ?? '');
  const problems = [
    ...(secrets.success ? [] : secrets.error.issues.map((i) => `WEBHOOK_SECRET_${suffix}: ${i.message}`)),
    ...(partners.success ? [] : partners.error.issues.map((i) => `WEBHOOK_PARTNERS_${suffix}: ${i.message}`)),
  ];
  if (problems.length || !secrets.success || !partners.success) throw new SourceConfigError(`Webhook source "${canonical}" is misconfigured: ${problems.join('; ')}`);
  return { name: canonical, keys: secrets.data, partners: partners.data };
}

export function mayWrite(source: WebhookSource, partnerId: string): boolean {
  return source.partners === undefined || source.partners.has(partnerId);
}
