import { ruleSetSchema, type RuleSet, type RuleSetInput } from './schema';
import { v2023 } from './v2023';
import { v2023_12 } from './v2023-12';
import { v2026 } from './v2026';

/**
 * The registry of rule versions. Adding a Microsoft page revision = one new data file + one line here.
 * Each is validated once, on first use, so a malformed rule file fails loudly with the offending path.
 */
const RULE_FILES: readonly RuleSetInput[] = [v2023, v2023_12, v2026];

export class RuleSetError extends Error {
  constructor(version: string, issues: string[]) {
    super(`Rule set ${version} is invalid:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'RuleSetError';
  }
}

export function loadRuleSet(input: unknown): RuleSet {
  const parsed = ruleSetSchema.safeParse(input);
  if (!parsed.success) {
    const version = typeof input === 'object' && input && 'version' in input ? String((input as { version: unknown }).version) : '(unknown)';
    throw new RuleSetError(version, parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  return parsed.data;
}

let loaded: RuleSet[] | undefined;

/** All rule sets, oldest first. */
export function allRuleSets(): readonly RuleSet[] {
  loaded ??= RULE_FILES.map(loadRuleSet).sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
  return loaded;
}

export const RULE_VERSIONS: readonly string[] = RULE_FILES.map((r) => r.version);

/** The rule set in effect on a date (YYYY-MM-DD); dates before the first version get the first. */
export function ruleSetFor(date: string): RuleSet {
  const sets = allRuleSets();
  let chosen = sets[0]!;
  for (const rs of sets) if (rs.effectiveFrom <= date) chosen = rs;
  return chosen;
}

export function ruleSetByVersion(version: string): RuleSet {
  const rs = allRuleSets().find((r) => r.version === version);
  if (!rs) throw new RangeError(`Unknown rule version "${version}"; known: ${RULE_VERSIONS.join(', ')}`);
  return rs;
}
