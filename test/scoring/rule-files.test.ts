import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importsOf } from '../../tools/architecture/layers';

/**
 * Each rule version is a data file that stands alone: it may use the shared builders and the schema, never
 * another version's areas or rule set, so editing one version's rules cannot change another version's scores.
 */
const ROOT = path.join(__dirname, '..', '..');
const RULES = 'shared/scoring/rules';
const VERSION_FILE = /^v[^/]*$/;

const ruleFiles = fs
  .readdirSync(path.join(ROOT, RULES))
  .filter((f) => VERSION_FILE.test(f) && f.endsWith('.ts'))
  .map((f) => `${RULES}/${f}`);

describe('rule version files', () => {
  it('are there', () => {
    expect(ruleFiles.length).toBeGreaterThanOrEqual(3);
  });

  for (const file of ruleFiles) {
    it(`${file} imports no other rule version`, () => {
      const edges = importsOf(file, fs.readFileSync(path.join(ROOT, file), 'utf8'));
      const versions = edges.filter((e) => e.to.startsWith(`${RULES}/`) && VERSION_FILE.test(e.to.slice(RULES.length + 1)));
      expect(versions.map((e) => `${e.line}: ${e.spec}`)).toEqual([]);
    });
  }
});
