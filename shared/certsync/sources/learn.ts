import { z } from 'zod';
import type { Settings } from '../../config/settings';
import { resolveCertificationId } from '../../scoring';
import { toIsoDate } from '../../lib/dates';
import { getJsonWithRetry, type RetryPolicy } from '../http';
import { sourceLimiter, type Semaphore } from '../limiter';
import { parseShareLink } from '../share-link';
import type { CertSource, PersonReport, SourceCertification, SourceContext, SourceReport } from './types';

/**
 * Microsoft Learn transcript share links. The JSON behind a share link is public but undocumented, so it is
 * read defensively: every field we rely on is checked, and an answer that does not fit is reported as a
 * changed shape (the person keeps their last known certifications) instead of being read as "holds nothing".
 */

const date = z.string().transform((v, ctx) => {
  const d = toIsoDate(v);
  if (!d) {
    ctx.addIssue({ code: 'custom', message: `"${v}" is not a date` });
    return z.NEVER;
  }
  return d;
});
const text = z.string().trim().min(1);

/** Field names seen on the endpoint, with the aliases it has used over time; the first present wins. */
export const learnCertificationSchema = z
  .looseObject({
    name: text.optional(),
    title: text.optional(),
    certificationName: text.optional(),
    certificationNumber: z.string().nullish(),
    status: z.string().nullish(),
    dateEarned: date.nullish(),
    achievementDate: date.nullish(),
    awardedOn: date.nullish(),
    expiration: date.nullish(),
    expirationDate: date.nullish(),
  })
  .transform((c, ctx) => {
    const name = c.name ?? c.title ?? c.certificationName;
    const earnedOn = c.dateEarned ?? c.achievementDate ?? c.awardedOn ?? undefined;
    if (!name) ctx.addIssue({ code: 'custom', path: ['name'], message: 'no certification name' });
    if (!earnedOn) ctx.addIssue({ code: 'custom', path: ['dateEarned'], message: 'no date earned' });
    if (!name || !earnedOn) return z.NEVER;
    const expiresOn = c.expiration ?? c.expirationDate ?? undefined;
    return { name, earnedOn, expiresOn, certificationNumber: c.certificationNumber ?? undefined, status: c.status ?? undefined };
  });

export const learnTranscriptSchema = z.looseObject({
  certificationData: z.looseObject({
    activeCertifications: z
      .array(learnCertificationSchema)
      .nullish()
      .transform((a) => a ?? []),
  }),
});

/** Statuses that mean the person does not hold it any more; anything else (Active, Retired...) is kept. */
const NOT_HELD = new Set(['expired', 'revoked', 'inactive']);

/** Turns a transcript answer into a person report; a shape that does not fit is an error naming the field. */
export function readTranscript(body: unknown): PersonReport {
  const parsed = learnTranscriptSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
    return { status: 'error', reason: `Learn transcript answer changed shape: ${path || '(root)'}: ${issue.message}` };
  }
  const certifications: SourceCertification[] = [];
  const ignored: string[] = [];
  for (const c of parsed.data.certificationData.activeCertifications) {
    if (c.status && NOT_HELD.has(c.status.trim().toLowerCase())) continue;
    const certificationId = resolveCertificationId({ name: c.name });
    if (!certificationId) {
      // Not a certification any rule set counts (Fundamentals outside the catalogue, Applied Skills...).
      ignored.push(c.name);
      continue;
    }
    certifications.push({ certificationId, earnedOn: c.earnedOn, ...(c.expiresOn ? { expiresOn: c.expiresOn } : {}), ...(c.certificationNumber ? { credentialNumber: c.certificationNumber } : {}), label: c.name });
  }
  return { status: 'ok', certifications, complete: true, ignored };
}

export function transcriptApiUrl(baseUrl: string, shareId: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/api/profiles/transcript/share/${encodeURIComponent(shareId)}?locale=en-us`;
}

export function retryPolicyFrom(settings: Pick<Settings, 'CERT_SYNC_MAX_ATTEMPTS' | 'CERT_SYNC_TIMEOUT_MS' | 'CERT_SYNC_BACKOFF_MS'>): RetryPolicy {
  return { maxAttempts: settings.CERT_SYNC_MAX_ATTEMPTS, timeoutMs: settings.CERT_SYNC_TIMEOUT_MS, backoffMs: settings.CERT_SYNC_BACKOFF_MS };
}

export class LearnTranscriptSource implements CertSource {
  readonly name = 'learn' as const;
  private readonly limiter: Semaphore;

  constructor(
    private readonly settings: Pick<Settings, 'LEARN_BASE_URL' | 'CERT_SYNC_CONCURRENCY' | 'CERT_SYNC_MAX_ATTEMPTS' | 'CERT_SYNC_TIMEOUT_MS' | 'CERT_SYNC_BACKOFF_MS'>,
    limiter?: Semaphore,
  ) {
    this.limiter = limiter ?? sourceLimiter('learn', settings.CERT_SYNC_CONCURRENCY);
  }

  appliesTo(ctx: SourceContext): boolean {
    return ctx.config.learn !== false && ctx.professionals.some((p) => p.linked && p.transcriptUrl);
  }

  async collect(ctx: SourceContext): Promise<SourceReport> {
    const persons = new Map<string, PersonReport>();
    let requests = 0;
    const policy = retryPolicyFrom(this.settings);
    await Promise.all(
      ctx.professionals
        .filter((p) => p.linked && p.transcriptUrl)
        .map(async (p) => {
          const link = parseShareLink(p.transcriptUrl!);
          if (!link.ok) {
            persons.set(p.id, { status: 'error', reason: `registered transcript link ${link.reason}` });
            return;
          }
          const outcome = await getJsonWithRetry(transcriptApiUrl(this.settings.LEARN_BASE_URL, link.link.shareId), this.limiter, policy);
          requests += outcome.attempts;
          switch (outcome.kind) {
            case 'ok':
              persons.set(p.id, readTranscript(outcome.body));
              break;
            case 'not-found':
              persons.set(p.id, { status: 'not-found', reason: `Learn transcript ${link.link.shareId} is private or no longer shared (HTTP ${outcome.status})` });
              break;
            case 'unavailable':
              persons.set(p.id, { status: 'stale', reason: `Learn did not answer: ${outcome.reason}` });
              break;
            case 'error':
              persons.set(p.id, { status: 'error', reason: `Learn transcript ${link.link.shareId}: ${outcome.reason}` });
              break;
          }
        }),
    );
    return { source: 'learn', persons, problems: [], requests };
  }
}
