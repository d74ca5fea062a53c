import type { Logger } from './invoker';

const LEVELS: Record<string, number> = { trace: 0, debug: 1, information: 2, warning: 3, error: 4, critical: 5 };
/** Short names the host's own code and libraries use, printed as the Azure Functions level they stand for. */
const ALIASES: Record<string, string> = { info: 'information', warn: 'warning' };

/** The one label of a level, as Azure Functions names its levels (Information, Warning...): `info` and `information` print alike. */
export function levelLabel(level: string): string {
  const lower = level.toLowerCase();
  return (ALIASES[lower] ?? lower).toUpperCase();
}

/**
 * One log call is one entry: a line break inside the message (a stack trace, or a CR/LF smuggled in through a route
 * parameter) continues the entry on a line that starts with a marker, so no value from outside can print a line
 * that looks like an entry of its own. Other control characters are shown as escapes.
 */
export function oneEntry(message: string): string {
  return message
    .replace(/\r\n|\r|\n/g, '\n    | ')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Timestamped lines at `minLevel` or above (LOCAL_HOST_LOG_LEVEL); warnings and errors go to stderr. */
export function defaultLogger(minLevel: string): Logger {
  const min = LEVELS[levelLabel(minLevel).toLowerCase()] ?? 2;
  return (level, message) => {
    const label = levelLabel(level);
    const rank = LEVELS[label.toLowerCase()] ?? 2;
    if (rank < min) return;
    const line = `[${new Date().toISOString()}] ${label.padEnd(11)} ${oneEntry(message)}`;
    (rank >= 3 ? process.stderr : process.stdout).write(`${line}\n`);
  };
}
