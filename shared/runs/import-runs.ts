import { createOnce, readDocument, updateDocument } from '../store/documents';

/**
 * Run documents of background imports (`runs` container, pk /id, id `import-...`): where a large import file stands
 * and what it did so far. One worker at a time moves a run on (the messages of a run are a chain, each sent by the
 * one before), and every step is an etag-guarded update that names the row it starts from, so a redelivered step
 * counts nothing twice.
 */

export const IMPORT_RUN_ID = /^import-[0-9]{14}-[0-9a-f]{8}$/;
/** Refused rows kept on the run document with their reasons (the count is always complete). */
export const MAX_LISTED_REFUSALS = 1000;

export interface ImportCounts {
  applied: number;
  unchanged: number;
  older: number;
  refused: number;
}

export interface ImportRefusal {
  line: number;
  field: string;
  reason: string;
}

export interface ImportRunDoc {
  id: string;
  type: 'import-run';
  schemaVersion: 1;
  kind: 'import';
  partnerId: string;
  recordKind: string;
  format: 'csv' | 'xlsx';
  sheet?: string;
  sheets?: string[];
  /** The file as received, in the imports blob container. */
  blob: string;
  contentType: string;
  /** When the file was received: the date of rows without one of their own. */
  receivedAt: string;
  status: 'running' | 'finished' | 'failed';
  rowsTotal: number;
  /** Rows done so far (applied, unchanged, older or refused): the next step starts after them. */
  rowsDone: number;
  counts: ImportCounts;
  refused: ImportRefusal[];
  ignoredColumns: { column: string; reason: string }[];
  startedAt: string;
  updatedAt: string;
  finishedAt?: string;
  failure?: string;
  _etag?: string;
}

export async function createImportRun(doc: ImportRunDoc): Promise<ImportRunDoc> {
  const created = await createOnce('runs', doc);
  if (created === 'exists') throw new Error(`import run ${doc.id} already exists`);
  return created;
}

export async function getImportRun(id: string): Promise<ImportRunDoc | undefined> {
  const doc = await readDocument<ImportRunDoc>('runs', id, id);
  return doc?.type === 'import-run' ? doc : undefined;
}

/**
 * Records a step's results if the run still stands at `fromRow` (false when another delivery of the step got there
 * first: its results are the ones counted).
 */
export async function recordImportStep(id: string, fromRow: number, step: { rows: number; counts: ImportCounts; refused: ImportRefusal[]; finished: boolean; now?: Date }): Promise<boolean> {
  const now = (step.now ?? new Date()).toISOString();
  let counted = false;
  await updateDocument<ImportRunDoc>('runs', id, id, () => { throw new Error(`import run ${id} does not exist`); }, (doc) => {
    counted = false;
    if (doc.status !== 'running' || doc.rowsDone !== fromRow) return false;
    doc.rowsDone += step.rows;
    for (const k of Object.keys(doc.counts) as (keyof ImportCounts)[]) doc.counts[k] += step.counts[k];
    doc.refused = [...doc.refused, ...step.refused].slice(0, MAX_LISTED_REFUSALS);
    doc.updatedAt = now;
    if (step.finished) {
      doc.status = 'finished';
      doc.finishedAt = now;
    }
    counted = true;
    return true;
  });
  return counted;
}

/** Marks the run failed (the file can no longer be read): what was applied stays applied, and the run says so. */
export async function failImportRun(id: string, reason: string, now = new Date()): Promise<void> {
  await updateDocument<ImportRunDoc>('runs', id, id, () => { throw new Error(`import run ${id} does not exist`); }, (doc) => {
    if (doc.status !== 'running') return false;
    doc.status = 'failed';
    doc.failure = reason;
    doc.updatedAt = now.toISOString();
    doc.finishedAt = now.toISOString();
    return true;
  });
}
