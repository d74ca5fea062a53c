import { describe, expect, it, vi } from 'vitest';
import { defaultLogger, levelLabel, oneEntry } from '../../tools/devhost/logger';

describe('local host log lines', () => {
  it('keeps a CR/LF from outside inside one entry, so it cannot forge a line of its own', () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (written.push(String(chunk)), true));
    const forged = 'webhook crm\r\n[2026-12-02T05:00:00.000Z] INFORMATION [applyEvents] delivery crm:forged: {"applied":500}/x: refused';
    defaultLogger('information')('information', `[webhooksReceive] ${forged}`);
    const lines = written.join('').split('\n').filter(Boolean);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\[\d{4}-\d{2}-\d{2}T[^\]]+\] INFORMATION \[webhooksReceive\] webhook crm$/);
    expect(lines[1]).toBe('    | [2026-12-02T05:00:00.000Z] INFORMATION [applyEvents] delivery crm:forged: {"applied":500}/x: refused');
  });

  it('shows other control characters as escapes and leaves ordinary text alone', () => {
    expect(oneEntry('a\u0000b\u001bc\u2028d')).toBe('a\\u0000b\\u001bc\\u2028d');
    expect(oneEntry('Recomputed partner p-1, 2026-12-02: stored; 59 reads')).toBe('Recomputed partner p-1, 2026-12-02: stored; 59 reads');
  });

  it('prints one label per level whatever name the caller used (info and information, warn and warning)', () => {
    const out: string[] = [];
    const err: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
    const log = defaultLogger('info');
    for (const level of ['info', 'information', 'Information', 'warn', 'warning', 'debug']) log(level, `m-${level}`);
    const labels = [...out, ...err].map((l) => /^\[[^\]]+\] (\S+)/.exec(l)![1]);
    expect(labels).toEqual(['INFORMATION', 'INFORMATION', 'INFORMATION', 'WARNING', 'WARNING']);
    expect(err).toHaveLength(2);
    expect([levelLabel('INFO'), levelLabel('critical')]).toEqual(['INFORMATION', 'CRITICAL']);
  });
});
