import { isWebhookId } from '../lib/ids';
import { readReceipt, receiptId, type ReceiptDoc } from '../deliveries/receipts';
import { readScoreStatus } from '../score-history/score-store';

/** Whether a partner's stored score includes the delivery. */
export interface PartnerScoring {
  partnerId: string;
  /** The partner's state version once the delivery was applied: a score of this version or later includes it. */
  stateVersion: number;
  /** The state version of the partner's score now. */
  scoredStateVersion: number | null;
  /** When the partner's current score, which includes the delivery, was computed; null while it does not yet. */
  scoredAt: string | null;
}

/** What a sender may see of its delivery: not the stored events or body hash, nor Cosmos DB's system properties. */
export type DeliveryStatus = Omit<ReceiptDoc, 'events' | 'bodySha256' | 'stateVersions'> & {
  /**
   * When the score that includes the delivery was computed (for several partners: the last of them); null while
   * the delivery is not applied or a partner's score does not include it yet. A delivery that changed nothing is
   * in the scores as they are: its scoredAt is when it was applied.
   */
  scoredAt: string | null;
  /** Per partner the delivery changed, whether the score includes it yet. */
  scores: PartnerScoring[];
};

async function scoringOf(partnerId: string, stateVersion: number): Promise<PartnerScoring> {
  const status = await readScoreStatus(partnerId);
  const included = status !== undefined && status.stateVersion >= stateVersion;
  return { partnerId, stateVersion, scoredStateVersion: status?.stateVersion ?? null, scoredAt: included ? status.computedAt : null };
}

/** The status of a delivery from its receipt, or undefined when there is none (unknown, malformed id, or expired after 7 days). */
export async function deliveryStatus(source: string, webhookId: string): Promise<DeliveryStatus | undefined> {
  const receipt = isWebhookId(webhookId) ? await readReceipt(receiptId(source, webhookId)) : undefined;
  if (!receipt) return undefined;
  const { events: _events, bodySha256: _hash, stateVersions, ...rest } = receipt;
  const { _rid, _self, _etag, _attachments, _ts, ...visible } = rest as typeof rest & Record<string, unknown>;
  // One point read per changed partner; a delivery's partners are few (each event names one).
  const scores = await Promise.all(Object.entries(stateVersions ?? {}).map(([p, v]) => scoringOf(p, v)));
  let scoredAt: string | null = null;
  if (receipt.status === 'applied') {
    const times = scores.map((s) => s.scoredAt);
    if (times.every((t): t is string => t !== null)) scoredAt = times.length ? times.sort().at(-1)! : (receipt.appliedAt ?? null);
  }
  return { ...(visible as Omit<DeliveryStatus, 'scoredAt' | 'scores'>), scoredAt, scores };
}
