import { describe, expect, it } from 'vitest';
import { AREAS, allRuleSets, listCertifications, loadRuleSet, RULE_VERSIONS, ruleSetByVersion, ruleSetFor, RuleSetError } from '../../shared/scoring';
import { v2026 } from '../../shared/scoring/rules/v2026';

/** The maxima table of the reference (§1), which every rule version must reproduce. */
const MAXIMA: Record<(typeof AREAS)[number], Record<string, number>> = {
  'data-ai': { 'net-customer-adds': 30, 'intermediate-certifications': 40, 'usage-growth': 20, deployments: 10 },
  infrastructure: { 'net-customer-adds': 30, 'intermediate-certifications': 20, 'advanced-certifications': 20, 'usage-growth': 20, deployments: 10 },
  'digital-app-innovation': { 'net-customer-adds': 30, 'intermediate-certifications': 20, 'advanced-certifications': 20, 'usage-growth': 20, deployments: 10 },
  'business-applications': { 'net-customer-adds': 15, 'intermediate-certifications': 20, 'advanced-certifications': 15, 'usage-growth': 30, deployments: 20 },
  'modern-work': { 'net-customer-adds': 20, 'intermediate-certifications': 10, 'advanced-certifications': 15, 'usage-growth': 30, deployments: 25 },
  security: { 'net-customer-adds': 20, 'intermediate-certifications': 40, 'usage-growth': 20, deployments: 20 },
};

describe('rule data', () => {
  it('loads every version through the zod schema', () => {
    expect(allRuleSets().map((r) => r.version)).toEqual(['v2023', 'v2023-12', 'v2026']);
    expect(RULE_VERSIONS).toContain('v2026');
  });

  for (const rs of allRuleSets()) {
    for (const area of AREAS) {
      const rules = rs.areas[area];
      for (const track of ['enterprise', 'smb'] as const) {
        const t = rules.tracks[track];
        if (!t) continue;
        it(`${rs.version} ${area} ${track}: metrics and maxima match the table and sum to 100`, () => {
          const got = Object.fromEntries(t.metrics.map((m) => [m.id, m.max]));
          expect(got).toEqual(MAXIMA[area]);
          expect(t.metrics.reduce((s, m) => s + m.max, 0)).toBe(100);
        });
      }
    }
  }

  it('tracks: Azure and Business Applications classify (2026), Modern Work and Security take the better track, Azure and Security were single-track in 2023', () => {
    const r26 = ruleSetByVersion('v2026');
    expect(r26.areas['data-ai'].trackMode).toBe('classified');
    expect(r26.areas['business-applications'].trackMode).toBe('classified');
    expect(r26.areas['modern-work'].trackMode).toBe('best-of');
    expect(r26.areas.security.trackMode).toBe('best-of');
    const r23 = ruleSetByVersion('v2023');
    expect(r23.areas.infrastructure.trackMode).toBe('single');
    expect(r23.areas.security.trackMode).toBe('single');
    expect(r23.areas['modern-work'].trackMode).toBe('best-of');
  });

  it('selects the version by effective date', () => {
    expect(ruleSetFor('2023-06-20').version).toBe('v2023');
    expect(ruleSetFor('2023-11-30').version).toBe('v2023');
    expect(ruleSetFor('2023-12-01').version).toBe('v2023-12');
    expect(ruleSetFor('2025-06-30').version).toBe('v2023-12');
    expect(ruleSetFor('2025-07-01').version).toBe('v2026');
    expect(ruleSetFor('2021-01-01').version).toBe('v2023');
    expect(() => ruleSetByVersion('v1999')).toThrow(/Unknown rule version/);
  });

  it('rejects a rule file whose skilling metric names an unknown certification, with the path', () => {
    const broken = structuredClone(v2026) as typeof v2026;
    const metric = broken.areas.security.tracks.enterprise.metrics[1]!;
    if (metric.kind !== 'skilling') throw new Error('fixture moved');
    metric.certifications = ['no-such-cert'];
    expect(() => loadRuleSet(broken)).toThrow(RuleSetError);
    expect(() => loadRuleSet(broken)).toThrow(/areas\.security\.tracks\.enterprise\.metrics\.1: unknown certification no-such-cert/);
  });

  it('rejects a metric that gives both pointsPerPerson and peopleForMax', () => {
    const broken = structuredClone(v2026) as typeof v2026;
    const metric = broken.areas['modern-work'].tracks.enterprise.metrics[1]!;
    if (metric.kind !== 'skilling') throw new Error('fixture moved');
    metric.pointsPerPerson = 2;
    expect(() => loadRuleSet(broken)).toThrow(/exactly one of pointsPerPerson and peopleForMax/);
  });
});

describe('listCertifications', () => {
  it('lists the newest version by default with retirement and eligibility dates', () => {
    const certs = listCertifications();
    const byId = new Map(certs.map((c) => [c.id, c]));
    expect(byId.get('azure-ai-engineer-associate')).toMatchObject({ retiredOn: '2026-06-30', eligibleUntil: '2027-06-30', exams: ['AI-102'], fundamentals: false });
    expect(byId.get('microsoft-365-fundamentals')).toMatchObject({ fundamentals: true, neverExpires: true, eligibleUntil: '2027-03-31' });
    expect(byId.get('information-protection-administrator-associate')?.eligibleUntil).toBe('2026-05-31');
    expect(byId.get('azure-administrator-associate')?.usedIn.some((u) => u.role === 'gate' && u.area === 'data-ai')).toBe(true);
  });
  it('lists another version on request, with per-page overrides of the one-year rule', () => {
    const byId = new Map(listCertifications('v2023').map((c) => [c.id, c]));
    expect(byId.get('d365-power-platform-solution-architect-expert')?.eligibleUntil).toBe('2023-06-30');
    expect(byId.get('power-platform-app-maker')?.eligibleUntil).toBe('2023-11-30');
    expect(byId.has('copilot-agent-administration-fundamentals')).toBe(false);
  });
});
