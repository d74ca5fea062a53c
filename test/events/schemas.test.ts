import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderSchemas } from '../../tools/generate-schemas';
import { EVENT_TYPES } from '../../shared/events/schemas';

const DIR = path.resolve(__dirname, '..', '..', 'docs', 'schemas');

describe('published JSON Schemas', () => {
  it('are generated for every event type and match the committed files (run npm run schemas)', () => {
    const rendered = renderSchemas();
    for (const type of EVENT_TYPES) expect(rendered.has(`events/${type}.json`)).toBe(true);
    const stale = [...rendered].filter(([file, text]) => {
      try {
        return readFileSync(path.join(DIR, file), 'utf8') !== text;
      } catch {
        return true;
      }
    });
    expect(stale.map(([f]) => f)).toEqual([]);
  });
});
