import { randomUUID } from 'node:crypto';
import { getSettings } from '../config/settings';
import { getContainer } from '../store/cosmos';

export interface DeadLetterInput {
  queue: string;
  body: unknown;
  reason: string;
  partnerId?: string;
}

type Recorder = (input: DeadLetterInput) => Promise<unknown>;

let recorder: Recorder | undefined;

/**
 * Records a message that kept failing in the dead-letter store. Uses the store module's recordDeadLetter when it is
 * present, so dead letters have one format and one place to list and replay them; otherwise writes the same fields.
 */
export async function deadLetter(input: DeadLetterInput): Promise<void> {
  if (!recorder) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require('../deadletters/store') as { recordDeadLetter?: Recorder };
      if (typeof mod.recordDeadLetter === 'function') recorder = mod.recordDeadLetter;
    } catch {
      // not built yet: fall through to the direct write
    }
    recorder ??= async (i) => {
      const at = new Date().toISOString();
      await getContainer(getSettings(), 'deadletters').items.create({ id: randomUUID(), type: 'deadletter', schemaVersion: 1, queue: i.queue, body: i.body, reason: i.reason, partnerId: i.partnerId, at });
    };
  }
  await recorder(input);
}
