import { describe, expect, it } from 'vitest';
import { nextOccurrences, parseNcrontab, resolveSettingTokens } from '../../tools/devhost/ncrontab';

const from = new Date('2026-01-15T10:00:00Z'); // a Thursday

describe('NCRONTAB schedules as the Functions host reads them', () => {
  it('reads six fields, seconds first, in UTC', () => {
    expect(nextOccurrences('0 0 2 * * *', 2, from).map((d) => d.toISOString())).toEqual(['2026-01-16T02:00:00.000Z', '2026-01-17T02:00:00.000Z']);
    expect(nextOccurrences('0 30 1 * * *', 1, from)[0]!.toISOString()).toBe('2026-01-16T01:30:00.000Z');
    expect(nextOccurrences('*/30 * * * * *', 2, from).map((d) => d.toISOString())).toEqual(['2026-01-15T10:00:30.000Z', '2026-01-15T10:01:00.000Z']);
  });

  it('requires day-of-month AND day-of-week to match (Friday the 13th), unlike classic cron', () => {
    expect(nextOccurrences('0 0 0 13 * 5', 2, from).map((d) => d.toISOString().slice(0, 10))).toEqual(['2026-02-13', '2026-03-13']);
  });

  it('accepts named days and ranges', () => {
    expect(nextOccurrences('0 0 9-17 * * MON-FRI', 1, new Date('2026-01-17T00:00:00Z'))[0]!.toISOString()).toBe('2026-01-19T09:00:00.000Z');
  });

  it('rejects five-field cron, which Azure would refuse', () => {
    expect(() => parseNcrontab('0 2 * * *')).toThrow(/needs 6 fields/);
  });

  it('resolves %SETTING% tokens and names a missing setting', () => {
    expect(resolveSettingTokens('%A%', { A: '0 0 2 * * *' })).toBe('0 0 2 * * *');
    expect(() => resolveSettingTokens('%MISSING%', {})).toThrow(/MISSING/);
  });
});
