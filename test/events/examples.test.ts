import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVENT_EXAMPLES } from '../../shared/events/examples';
import { EVENT_TYPES } from '../../shared/events/schemas';
import { validateDelivery } from '../../shared/events/validate';

describe('event catalogue', () => {
  const docs = readFileSync(path.resolve(__dirname, '..', '..', 'docs', 'webhooks.md'), 'utf8');

  it('has a valid example of every event type, shown in docs/webhooks.md', () => {
    for (const type of EVENT_TYPES) {
      const example = EVENT_EXAMPLES[type];
      // The examples tell one certification's story up to 2028; they are read as of its end.
      expect(validateDelivery(example, { now: new Date('2030-01-01T00:00:00Z'), futureToleranceSeconds: 86_400 }), type).toMatchObject({ ok: true });
      expect(docs, `docs/webhooks.md shows the example of ${type}`).toContain(JSON.stringify(example));
    }
  });
});
