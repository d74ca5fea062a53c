import { createHash } from 'node:crypto';
import { readDocument, updateDocument } from '../store/documents';
import type { RequestCharges } from '../store/request-charges';

/**
 * The list of partners the nightly recompute covers, kept as a few bucket documents read by id.
 *
 * Listing partners by a query is a cross-partition fan-out in Azure and a scan of every document in the local
 * emulator (about 10 s at 1,000 partners); 16 point reads are neither. A partner is registered by its first
 * recompute, which every new partner gets seconds after its first event (shared/recompute/request.ts).
 */
export const DIRECTORY_PARTITION = '_directory';
export const DIRECTORY_BUCKETS = 16;

interface DirectoryDoc {
  id: string;
  partnerId: typeof DIRECTORY_PARTITION;
  type: 'partner-directory';
  schemaVersion: 1;
  partnerIds: string[];
  _etag?: string;
}

const bucketOf = (partnerId: string) => createHash('sha256').update(partnerId).digest().readUInt32BE(0) % DIRECTORY_BUCKETS;
const bucketId = (n: number) => `partner-directory:${n}`;

export async function registerPartner(partnerId: string, charges?: RequestCharges): Promise<void> {
  const id = bucketId(bucketOf(partnerId));
  await updateDocument<DirectoryDoc>(
    'partners',
    DIRECTORY_PARTITION,
    id,
    () => ({ id, partnerId: DIRECTORY_PARTITION, type: 'partner-directory', schemaVersion: 1, partnerIds: [] }),
    (doc) => {
      if (doc.partnerIds.includes(partnerId)) return false;
      doc.partnerIds.push(partnerId);
      return true;
    },
    { charges },
  );
}

/** Every registered partner id, sorted. */
export async function listDirectory(): Promise<string[]> {
  const docs = await Promise.all(Array.from({ length: DIRECTORY_BUCKETS }, (_, n) => readDocument<DirectoryDoc>('partners', DIRECTORY_PARTITION, bucketId(n))));
  return docs.flatMap((d) => d?.partnerIds ?? []).sort();
}
