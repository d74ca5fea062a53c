import { describe, expect, it } from 'vitest';
import { validateDelivery } from '../../shared/events/validate';

const event = (partnerId: string) => ({ id: 'e1', type: 'pal.linked', partnerId, occurredAt: '2026-01-01T00:00:00Z', data: { tenantId: 't', objectId: 'o' } });

describe('event partner ids', () => {
  it('follow the read routes\' rule: at most 128 characters, no / \\ ? or #', () => {
    expect(validateDelivery(event('p'.repeat(128))).ok).toBe(true);
    for (const bad of ['p'.repeat(129), 'a/b', 'a\\b', 'a?b', 'a#b']) {
      const r = validateDelivery(event(bad));
      expect(r.ok, bad).toBe(false);
      if (!r.ok) expect(r.details.map((d) => d.path)).toContain('partnerId');
    }
  });

  it('refuse ids starting with _ (reserved, e.g. the partner directory _directory) with a clear message', () => {
    const r = validateDelivery({ events: [event('_directory')] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.details).toEqual([expect.objectContaining({ path: 'events[0].partnerId', message: expect.stringContaining('must not start with _') })]);
  });
});
