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
