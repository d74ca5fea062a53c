import type { WebhookEvent } from './schemas';

/** What applying one event did to a partner's state, as reported on the delivery's receipt. */
export type EventResult = 'applied' | 'unchanged' | 'older' | 'refused';
export interface EventOutcome {
  eventId: string;
  type: string;
  partnerId: string;
  result: EventResult;
  reason?: string;
}

export const outcome = (e: WebhookEvent, result: EventResult, reason?: string): EventOutcome => ({ eventId: e.id, type: e.type, partnerId: e.partnerId, result, ...(reason ? { reason } : {}) });
