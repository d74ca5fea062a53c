import { recordDeadLetter } from '../deadletters/dead-letter-store';

export interface DeadLetterInput {
  queue: string;
  body: unknown;
  reason: string;
  partnerId?: string;
}

/** Records a recompute message that kept failing in the app's dead-letter store, with the reason, for listing and replay. */
export async function deadLetter(input: DeadLetterInput): Promise<void> {
  await recordDeadLetter(input);
}
