import type { CertSourceConfig, StoredProfessional } from '../../state/documents';

/**
 * A certification source: reads what certifications each of a partner's professionals holds. Sources never
 * write; the sync merges what they report (shared/certsync/apply.ts).
 */

export type SourceName = 'learn' | 'import';

/** One certification as a source reports it, already mapped to a rule-set certification id. */
export interface SourceCertification {
  certificationId: string;
  earnedOn: string;
  expiresOn?: string;
  credentialNumber?: string;
  /** The name or code the source used, for change reports. */
  label: string;
}

export type PersonReport =
  /** `complete: false` when part of the person's data was unreadable (bad import rows): nothing is removed then. */
  | { status: 'ok'; certifications: SourceCertification[]; complete: boolean; ignored: string[] }
  /** Transcript private or gone: reported; the last known certifications stay. */
  | { status: 'not-found'; reason: string }
  /** The source did not answer usefully after retries: the last known certifications stay. */
  | { status: 'stale'; reason: string }
  /** The source answered with something we cannot read (changed shape): the last known certifications stay. */
  | { status: 'error'; reason: string };

export interface SourceReport {
  source: SourceName;
  /** By professional id; professionals the source knows nothing about are absent. */
  persons: Map<string, PersonReport>;
  /** Problems not tied to one person (bad import rows with line numbers, a missing import file). */
  problems: string[];
  /** Set when the whole source could not be read; the partner's data is then stale for it. */
  unavailable?: string;
  requests: number;
}

export interface SourceContext {
  partnerId: string;
  professionals: StoredProfessional[];
  config: CertSourceConfig;
}

export interface CertSource {
  readonly name: SourceName;
  /** Whether this partner uses the source at all (configuration and data permitting). */
  appliesTo(ctx: SourceContext): boolean;
  collect(ctx: SourceContext): Promise<SourceReport>;
}
