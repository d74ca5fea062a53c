import { describe, expect, it } from 'vitest';
import { resolveCertificationId } from '../../shared/scoring';
import { addDays, addYears } from '../../shared/lib/dates';
import { allRuleSets, holdingVerdict, ruleSetByVersion } from '../../shared/scoring';
import type { CertificationDef, RuleSet, SkillingMetric } from '../../shared/scoring/rules/schema';

/**
 * Rule data checks (issue 14, "What to build" 3): every certification a rule version lists is valid on its own
 * dates and matches the retirement footnotes of the pages, and every certification name the pages print resolves
 * to a certification of the metric it is printed in. Workload names: workload-names.test.ts; what the gap
 * suggests: gap-certifications.test.ts.
 */

const ruleSets = [...allRuleSets()].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));

function skillingMetrics(rs: RuleSet): { where: string; metric: SkillingMetric }[] {
  const out: { where: string; metric: SkillingMetric }[] = [];
  for (const [area, rules] of Object.entries(rs.areas)) {
    for (const [track, t] of Object.entries(rules.tracks)) {
      for (const m of t!.metrics) if (m.kind === 'skilling') out.push({ where: `${rs.version} ${area} ${track} ${m.id}`, metric: m });
    }
  }
  return out;
}

const certsOf = (m: SkillingMetric): string[] => [...m.certifications, ...m.gates.flatMap((g) => g.certifications)];
const eligibleUntil = (c: CertificationDef): string | undefined => c.eligibleUntil ?? (c.retiredOn ? addYears(c.retiredOn, 1) : undefined);

describe('certification dates in the rule data', () => {
  it.each(ruleSets.map((rs) => [rs.version, rs] as const))('%s: every retirement is followed by its eligibility end, and only Fundamentals and assessments never expire', (_v, rs) => {
    const problems: string[] = [];
    for (const c of rs.certifications) {
      if (c.retiredOn && c.eligibleUntil && c.eligibleUntil < c.retiredOn) problems.push(`${c.id}: eligible until ${c.eligibleUntil}, before its retirement on ${c.retiredOn}`);
      if (c.neverExpires && c.level !== 'fundamentals' && c.level !== 'assessment') problems.push(`${c.id}: a ${c.level} that never expires`);
    }
    expect(problems).toEqual([]);
  });

  it.each(ruleSets.map((rs) => [rs.version, rs] as const))('%s: every certification a metric lists can count on some day the version is in use', (_v, rs) => {
    const defs = new Map(rs.certifications.map((c) => [c.id, c]));
    const problems: string[] = [];
    for (const { where, metric } of skillingMetrics(rs)) {
      for (const id of certsOf(metric)) {
        const until = eligibleUntil(defs.get(id)!);
        if (until !== undefined && until < rs.effectiveFrom) problems.push(`${where}: ${id} is eligible only until ${until}, before ${rs.version} takes effect on ${rs.effectiveFrom}`);
      }
    }
    expect(problems).toEqual([]);
  });

  /** The footnotes of the pages (reference §3.4, §4.3, §5.3, §6.3 and §14 A5/B12): retirement and last eligible day. */
  const FOOTNOTES: { version: string; id: string; retiredOn?: string; eligibleUntil: string }[] = [
    { version: 'v2023', id: 'azure-iot-developer-specialty', retiredOn: '2023-07-31', eligibleUntil: '2024-07-31' },
    { version: 'v2023', id: 'azure-stack-hub-operator-associate', retiredOn: '2023-07-31', eligibleUntil: '2024-07-31' },
    { version: 'v2023', id: 'd365-customer-service-functional-consultant', retiredOn: '2023-06-30', eligibleUntil: '2024-06-30' },
    { version: 'v2023', id: 'power-platform-app-maker', eligibleUntil: '2023-11-30' },
    { version: 'v2023', id: 'd365-power-platform-solution-architect-expert', retiredOn: '2021-06-30', eligibleUntil: '2023-06-30' },
    { version: 'v2023', id: 'microsoft-365-security-administrator-associate', retiredOn: '2023-06-30', eligibleUntil: '2024-06-30' },
    { version: 'v2026', id: 'azure-ai-engineer-associate', retiredOn: '2026-06-30', eligibleUntil: '2027-06-30' },
    { version: 'v2026', id: 'azure-data-scientist-associate', retiredOn: '2026-06-01', eligibleUntil: '2027-06-01' },
    { version: 'v2026', id: 'azure-developer-associate', retiredOn: '2026-07-31', eligibleUntil: '2027-07-31' },
    { version: 'v2026', id: 'power-platform-solution-architect-expert', retiredOn: '2026-06-30', eligibleUntil: '2027-06-30' },
    { version: 'v2026', id: 'd365-field-service-functional-consultant', retiredOn: '2026-06-30', eligibleUntil: '2027-06-30' },
    { version: 'v2026', id: 'power-automate-rpa-developer', retiredOn: '2026-06-30', eligibleUntil: '2027-06-30' },
    { version: 'v2026', id: 'power-platform-functional-consultant', retiredOn: '2026-08-31', eligibleUntil: '2027-08-31' },
    { version: 'v2026', id: 'd365-customer-experience-analyst', retiredOn: '2026-07-31', eligibleUntil: '2027-07-31' },
    { version: 'v2026', id: 'd365-supply-chain-functional-consultant-expert', retiredOn: '2026-06-30', eligibleUntil: '2027-06-30' },
    { version: 'v2026', id: 'd365-finance-operations-solution-architect-expert', retiredOn: '2026-06-30', eligibleUntil: '2027-06-30' },
    { version: 'v2026', id: 'microsoft-365-fundamentals', retiredOn: '2026-03-31', eligibleUntil: '2027-03-31' },
    { version: 'v2026', id: 'microsoft-365-enterprise-administrator-expert', retiredOn: '2026-11-30', eligibleUntil: '2027-11-30' },
    { version: 'v2026', id: 'teams-meetings-rooms-technical-assessment', retiredOn: '2026-06-15', eligibleUntil: '2027-06-15' },
    { version: 'v2026', id: 'azure-security-engineer-associate', retiredOn: '2026-08-31', eligibleUntil: '2027-08-31' },
    { version: 'v2026', id: 'information-protection-administrator-associate', retiredOn: '2025-05-31', eligibleUntil: '2026-05-31' },
  ];

  it.each(FOOTNOTES.map((f) => [`${f.version} ${f.id}`, f] as const))('%s: retirement and last eligible day as the page footnotes them', (_label, f) => {
    const def = ruleSetByVersion(f.version).certifications.find((c) => c.id === f.id);
    expect(def, `${f.id} in ${f.version}`).toBeDefined();
    expect(def!.retiredOn).toBe(f.retiredOn);
    expect(eligibleUntil(def!)).toBe(f.eligibleUntil);
    // Held since well before retirement and never expiring by itself: it counts on its last day and not the day after.
    const h = { certificationId: f.id, earnedOn: '2020-01-01', expiresOn: '2030-01-01' };
    expect(holdingVerdict(h, def, f.eligibleUntil, 0).valid).toBe(true);
    expect(holdingVerdict(h, def, addDays(f.eligibleUntil, 1), 0).valid).toBe(false);
  });
});

/**
 * Certification names as the V2026 pages print them (reference §3.4, §4.3, §5.3, §6.3, abbreviations written out),
 * by metric: each must resolve, through the same table certification sync uses, to a certification of that metric.
 */
const PAGE_CERTIFICATIONS: { area: string; metric: string; names: string[] }[] = [
  {
    area: 'data-ai', metric: 'intermediate-certifications',
    names: ['Azure Administrator Associate', 'Azure Solutions Architect Expert', 'Azure Database Administrator Associate', 'Azure AI Engineer Associate', 'Azure Data Scientist Associate', 'Data Analyst Associate', 'Azure Cosmos DB Developer Specialty'],
  },
  { area: 'digital-app-innovation', metric: 'intermediate-certifications', names: ['Azure Administrator Associate', 'Azure Developer Associate', 'Power Platform Developer Associate'] },
  { area: 'digital-app-innovation', metric: 'advanced-certifications', names: ['Azure Solutions Architect Expert', 'DevOps Engineer Expert', 'Power Platform Solution Architect Expert'] },
  { area: 'infrastructure', metric: 'intermediate-certifications', names: ['Azure Administrator Associate', 'Azure Network Engineer Associate', 'Windows Server Hybrid Administrator Associate'] },
  { area: 'infrastructure', metric: 'advanced-certifications', names: ['Azure Solutions Architect Expert', 'Azure Virtual Desktop Specialty', 'Azure for SAP Workloads Specialty'] },
  {
    area: 'business-applications', metric: 'intermediate-certifications',
    names: ['Dynamics 365 Finance Functional Consultant Associate', 'Dynamics 365 Field Service Functional Consultant Associate', 'Power BI Data Analyst Associate', 'Power Platform Functional Consultant Associate', 'Power Platform Developer Associate', 'Power Automate RPA Developer Associate', 'Dynamics 365 Customer Experience Analyst Associate'],
  },
  { area: 'business-applications', metric: 'advanced-certifications', names: ['Dynamics 365 Supply Chain Management Functional Consultant Expert', 'Dynamics 365 Finance and Operations Apps Solution Architect Expert', 'Power Platform Solution Architect Expert'] },
  {
    area: 'modern-work', metric: 'intermediate-certifications',
    names: ['Microsoft 365 Fundamentals', 'Teams Administrator Associate', 'Identity and Access Administrator Associate', 'Collaboration Communications Systems Engineer Associate', 'Endpoint Administrator Associate', 'Copilot and Agent Administration Fundamentals'],
  },
  { area: 'modern-work', metric: 'advanced-certifications', names: ['Microsoft 365 Enterprise Administrator Expert', 'Teams Meetings and Meeting Rooms Technical Assessment (Partner University)'] },
  {
    area: 'security', metric: 'intermediate-certifications',
    names: ['Azure Security Engineer Associate', 'Security Operations Analyst Associate', 'Cybersecurity Architect Expert', 'Identity and Access Administrator Associate', 'Information Protection Administrator Associate'],
  },
];

describe('certification names as the pages print them', () => {
  const rs = ruleSetByVersion('v2026');
  for (const page of PAGE_CERTIFICATIONS) {
    it(`V2026 ${page.area} ${page.metric}: every name resolves to a certification of the metric`, () => {
      const ids = new Set<string>();
      for (const t of Object.values(rs.areas[page.area as keyof typeof rs.areas].tracks)) {
        const m = t!.metrics.find((x) => x.id === page.metric);
        if (m && m.kind === 'skilling') for (const id of certsOf(m)) ids.add(id);
      }
      expect(ids.size).toBeGreaterThan(0);
      const wrong = page.names.map((n) => [n, resolveCertificationId({ name: n })] as const).filter(([, id]) => !id || !ids.has(id));
      expect(wrong.map(([n, id]) => `${n} -> ${id ?? 'unknown'}`)).toEqual([]);
    });
  }
});
