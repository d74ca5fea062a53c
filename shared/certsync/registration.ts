import { getSettings } from '../config/settings';
import { DOC_IDS, type CertSourceConfig, type ProfessionalsDoc, type ProfileDoc } from '../state/documents';
import { initProfessionals, readStateDoc, updateStateDoc } from '../state/state-store';
import { blobContainer, writeBlobText } from '../storage/blob';
import { parseImportFile, resolveImport, type RowError } from './import-file';
import { parseShareLink } from './share-link';

/**
 * What partners configure for the sync: transcript share links per professional, the sources they use, and
 * import files. Every input is checked here, before anything is stored.
 */

export type Outcome<T> = { kind: 'ok'; value: T } | { kind: 'invalid'; reason: string; details?: { path: string; message: string }[] } | { kind: 'not-found'; reason: string };

export async function partnerExists(partnerId: string): Promise<boolean> {
  return (await readStateDoc<ProfileDoc>(partnerId, DOC_IDS.profile)) !== undefined;
}

/** Registers (or with `url: null`, removes) a professional's Learn transcript share link. */
export async function setTranscriptLink(partnerId: string, professionalId: string, url: string | null): Promise<Outcome<{ professionalId: string; transcriptUrl: string | null; shareId?: string }>> {
  let normalised: string | null = null;
  let shareId: string | undefined;
  if (url !== null) {
    const link = parseShareLink(url);
    if (!link.ok) return { kind: 'invalid', reason: `url ${link.reason}`, details: [{ path: 'url', message: link.reason }] };
    normalised = link.link.url;
    shareId = link.link.shareId;
  }
  if (!(await partnerExists(partnerId))) return { kind: 'not-found', reason: `Partner ${partnerId} is not known.` };
  let found = false;
  await updateStateDoc<ProfessionalsDoc>(partnerId, DOC_IDS.professionals, initProfessionals(partnerId), (doc) => {
    const p = doc.items[professionalId];
    found = !!p;
    if (!p || (p.transcriptUrl ?? null) === normalised) return false;
    if (normalised) p.transcriptUrl = normalised;
    else delete p.transcriptUrl;
    // A new link has not been read yet; the old link's outcome does not describe it.
    delete p.sync;
    return true;
  });
  if (!found) return { kind: 'not-found', reason: `Professional ${professionalId} is not linked to partner ${partnerId}; professionals are created by "professional linked" events.` };
  return { kind: 'ok', value: { professionalId, transcriptUrl: normalised, ...(shareId ? { shareId } : {}) } };
}

export async function getCertSources(partnerId: string): Promise<Outcome<CertSourceConfig>> {
  if (!(await partnerExists(partnerId))) return { kind: 'not-found', reason: `Partner ${partnerId} is not known.` };
  const doc = await readStateDoc<ProfessionalsDoc>(partnerId, DOC_IDS.professionals);
  return { kind: 'ok', value: { learn: doc?.certSources?.learn ?? true, ...(doc?.certSources?.importBlob ? { importBlob: doc.certSources.importBlob } : {}) } };
}

export async function setCertSources(partnerId: string, config: CertSourceConfig): Promise<Outcome<CertSourceConfig>> {
  if (!(await partnerExists(partnerId))) return { kind: 'not-found', reason: `Partner ${partnerId} is not known.` };
  const { doc } = await updateStateDoc<ProfessionalsDoc>(partnerId, DOC_IDS.professionals, initProfessionals(partnerId), (d) => {
    const next: CertSourceConfig = { ...(config.learn !== undefined ? { learn: config.learn } : {}), ...(config.importBlob ? { importBlob: config.importBlob } : {}) };
    if (JSON.stringify(d.certSources ?? {}) === JSON.stringify(next)) return false;
    d.certSources = next;
    return true;
  });
  return { kind: 'ok', value: { learn: doc.certSources?.learn ?? true, ...(doc.certSources?.importBlob ? { importBlob: doc.certSources.importBlob } : {}) } };
}

export interface ImportUpload {
  blob: string;
  format: 'csv' | 'jsonl';
  rows: number;
  accepted: number;
  errors: RowError[];
}

/**
 * Stores an uploaded import file as the partner's import source and reports every bad row. The file is
 * refused only when not one row can be used; otherwise the good rows apply at the next sync.
 */
export async function uploadImportFile(partnerId: string, text: string, contentType: string | undefined, now = new Date()): Promise<Outcome<ImportUpload>> {
  if (!(await partnerExists(partnerId))) return { kind: 'not-found', reason: `Partner ${partnerId} is not known.` };
  const parsed = parseImportFile(text, contentType);
  const professionals = Object.values((await readStateDoc<ProfessionalsDoc>(partnerId, DOC_IDS.professionals))?.items ?? {});
  const resolved = resolveImport(parsed, professionals);
  const accepted = [...resolved.byPerson.values()].reduce((s, l) => s + l.length, 0);
  if (accepted === 0) {
    return {
      kind: 'invalid',
      reason: `The import file has no usable row (${resolved.errors.length} bad): ${resolved.errors.slice(0, 5).map((e) => `line ${e.line}: ${e.reason}`).join('; ') || 'it is empty'}`,
      details: resolved.errors.map((e) => ({ path: `line ${e.line}`, message: e.reason })),
    };
  }
  const settings = getSettings();
  const blob = `${encodeURIComponent(partnerId)}/upload-${now.toISOString().replace(/[:.]/g, '-')}.${parsed.format}`;
  await writeBlobText(await blobContainer(settings, settings.CERT_IMPORTS_CONTAINER), blob, text, parsed.format === 'csv' ? 'text/csv' : 'application/x-ndjson');
  await updateStateDoc<ProfessionalsDoc>(partnerId, DOC_IDS.professionals, initProfessionals(partnerId), (d) => {
    if (d.certSources?.importBlob === blob) return false;
    d.certSources = { ...(d.certSources ?? {}), importBlob: blob };
    return true;
  });
  return { kind: 'ok', value: { blob, format: parsed.format, rows: parsed.rows.length + parsed.errors.length, accepted, errors: resolved.errors } };
}
