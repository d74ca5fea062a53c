import type { z } from 'zod';
import { zodDetails } from '../lib/validation';

/**
 * The library hands a queue trigger JSON messages already parsed, and anything else as a string;
 * a string that still holds JSON (sent by a tool without the host's conversion) is parsed here.
 */
export function queueMessageJson(message: unknown): unknown {
  if (typeof message !== 'string') return message;
  try {
    return JSON.parse(message);
  } catch {
    return message;
  }
}

/**
 * Parses a queue trigger's message with its schema. A malformed message is logged and dropped (undefined), never
 * thrown: retrying cannot make it valid, and the poison queue would only delay the same answer.
 */
export function parseQueueMessage<S extends z.ZodType>(schema: S, message: unknown, queue: string, logError: (text: string) => void): z.output<S> | undefined {
  const parsed = schema.safeParse(queueMessageJson(message));
  if (parsed.success) return parsed.data;
  logError(`Discarding malformed ${queue} message: ${JSON.stringify(zodDetails(parsed.error))}`);
  return undefined;
}
