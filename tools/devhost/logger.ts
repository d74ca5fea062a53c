import type { Logger } from './invoker';

const LEVELS: Record<string, number> = { trace: 0, debug: 1, information: 2, info: 2, warning: 3, warn: 3, error: 4, critical: 5 };

/** Timestamped lines at `minLevel` or above (LOCAL_HOST_LOG_LEVEL); warnings and errors go to stderr. */
export function defaultLogger(minLevel: string): Logger {
  const min = LEVELS[minLevel.toLowerCase()] ?? 2;
  return (level, message) => {
    if ((LEVELS[level.toLowerCase()] ?? 2) < min) return;
    const line = `[${new Date().toISOString()}] ${level.toUpperCase().padEnd(7)} ${message}`;
    (LEVELS[level.toLowerCase()]! >= 3 ? process.stderr : process.stdout).write(`${line}\n`);
  };
}
