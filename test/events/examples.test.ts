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
      expect(validateDelivery(example), type).toMatchObject({ ok: true });
      expect(docs, `docs/webhooks.md shows the example of ${type}`).toContain(JSON.stringify(example));
    }
  });
});
