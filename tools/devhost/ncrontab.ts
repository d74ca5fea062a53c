import { Cron } from 'croner';

/**
 * NCRONTAB as the Azure Functions host reads it: exactly six fields (second first), UTC,
 * and day-of-month AND day-of-week must both match (NCrontab), unlike classic cron's OR.
 */
export function parseNcrontab(expression: string): Cron {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 6) {
    throw new Error(`"${expression}" is not an NCRONTAB expression: it needs 6 fields (second minute hour day month day-of-week), it has ${fields.length}.`);
  }
  return new Cron(expression, { mode: '6-part', domAndDow: true, timezone: 'UTC', paused: true, protect: true });
}

/** The next occurrences of `expression` strictly after `from`. */
export function nextOccurrences(expression: string, count: number, from: Date): Date[] {
  return parseNcrontab(expression).nextRuns(count, from);
}

/** Replaces %SETTING% tokens as binding expressions do; an unset setting is an error, as in Azure. */
export function resolveSettingTokens(value: string, settings: Record<string, string | undefined>): string {
  return value.replace(/%([^%]+)%/g, (_, name: string) => {
    const v = settings[name];
    if (v === undefined || v === '') throw new Error(`The binding expression %${name}% refers to a setting that is not set: ${name}.`);
    return v;
  });
}
