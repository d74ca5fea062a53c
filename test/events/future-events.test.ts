import { describe, expect, it } from 'vitest';
import { validateDelivery } from '../../shared/events/validate';

const now = new Date('2026-12-02T10:00:00Z');
const pal = (occurredAt: string) => ({ id: `e-${occurredAt}`, type: 'pal.unlinked', partnerId: 'p1', occurredAt, data: { tenantId: 't', objectId: 'o' } });

describe('events dated ahead of the server clock', () => {
  it('refuses an event beyond the tolerance, naming occurredAt: stored, it would outrank every later correction', () => {
    const r = validateDelivery({ events: [pal('2026-12-02T09:00:00Z'), pal('2099-06-01T00:00:00Z')] }, { now, futureToleranceSeconds: 86_400 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.details).toEqual([{ path: 'events[1].occurredAt', message: expect.stringMatching(/more than 86400 seconds ahead of this server's clock \(2026-12-02T10:00:00.000Z\)/) }]);
  });

  it('accepts an event up to the tolerance ahead (a sender whose clock runs fast), and not one second more', () => {
    expect(validateDelivery(pal('2026-12-03T10:00:00Z'), { now, futureToleranceSeconds: 86_400 }).ok).toBe(true);
    expect(validateDelivery(pal('2026-12-03T10:00:01Z'), { now, futureToleranceSeconds: 86_400 }).ok).toBe(false);
    expect(validateDelivery(pal('2026-12-02T10:01:00Z'), { now, futureToleranceSeconds: 30 }).ok).toBe(false);
  });
});
