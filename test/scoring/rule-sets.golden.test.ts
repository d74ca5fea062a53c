import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allRuleSets } from '../../shared/scoring';

/**
 * Every rule set exactly as the engine loads it (after zod parsing), pinned to a committed file, so that reshaping
 * a rule data file cannot change a single threshold unnoticed. When a rule genuinely changes, regenerate it with
 * `UPDATE_GOLDEN=1 npx vitest run test/scoring/rule-sets.golden.test.ts` and review the diff of the JSON file.
 */
const GOLDEN = path.join(__dirname, 'fixtures', 'rule-sets.golden.json');

const serialise = (): string => `${JSON.stringify(allRuleSets(), null, 2)}\n`;

if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(GOLDEN, serialise());

describe('rule sets golden file', () => {
  it('every rule set loads deep-equal to the golden file', () => {
    const golden: unknown = JSON.parse(fs.readFileSync(GOLDEN, 'utf8'));
    expect(JSON.parse(serialise())).toStrictEqual(golden);
  });

  it('and with the same key order, since the engine shares metric results between areas by their JSON text', () => {
    expect(serialise()).toBe(fs.readFileSync(GOLDEN, 'utf8'));
  });
});
