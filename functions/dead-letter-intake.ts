import { app, type InvocationContext } from '@azure/functions';
import { recordPoisonMessage } from '../shared/deadletters/dead-letter-store';
import { ALL_QUEUES } from '../shared/queues/names';
import { continueTrace } from '../shared/queues/trace';

/**
 * One poison-queue function per queue of the app: the host moves a message to `<queue>-poison` after
 * maxDequeueCount failures; this records it in the dead-letter store with the handler's last error.
 */
function intakeFor(queue: string) {
  return async (queueItem: unknown, context: InvocationContext): Promise<void> => {
    const text = typeof queueItem === 'string' ? queueItem : JSON.stringify(queueItem);
    const insertedAt = context.triggerMetadata?.insertionTime;
    const doc = await recordPoisonMessage(queue, text, { insertedAt: typeof insertedAt === 'string' ? insertedAt : undefined });
    context.error(`dead letter ${doc.id} from queue ${queue}${doc.partnerIds.length ? ` (partner ${doc.partnerIds.join(', ')})` : ''}: ${doc.reason}`);
  };
}

/**
 * `deadLetter` + the queue name in camel case (`score-recompute` -> `deadLetterScoreRecompute`): a function name
 * without hyphens, so `AzureWebJobs.<name>.Disabled` can be set on Linux plans too.
 */
export function deadLetterFunctionName(queue: string): string {
  return `deadLetter${queue.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('')}`;
}

for (const queue of ALL_QUEUES) {
  app.storageQueue(deadLetterFunctionName(queue), { queueName: `${queue}-poison`, connection: 'AzureWebJobsStorage', handler: continueTrace(deadLetterFunctionName(queue), intakeFor(queue)) });
}
