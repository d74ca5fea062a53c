import { describe, expect, it } from 'vitest';
import { CERTIFICATION_ALIASES as CATALOG_MAP } from '../../shared/scoring/rules/certification-aliases';
import { normaliseCertName, normaliseExamCode, resolveCertification, resolveCertificationId, suggestCertifications } from '../../shared/scoring';
import { allRuleSets } from '../../shared/scoring';
import { area, lines, metric, person, snapshot } from './helpers';

describe('certification mapping table', () => {
  const everyCert = allRuleSets().flatMap((rs) => rs.certifications.map((c) => ({ version: rs.version, ...c })));

  it('has one row per certification id, and no name or exam code maps to two ids', () => {
    const ids = CATALOG_MAP.map((e) => e.certificationId);
    expect(new Set(ids).size).toBe(ids.length);
    const names = new Map<string, string>();
    const exams = new Map<string, string>();
    for (const e of CATALOG_MAP) {
      for (const n of e.names) {
        const k = normaliseCertName(n);
        expect(names.get(k) ?? e.certificationId, `name "${n}"`).toBe(e.certificationId);
        names.set(k, e.certificationId);
      }
      for (const x of e.exams) {
        const k = normaliseExamCode(x)!;
        expect(k, `exam code ${x}`).toBeDefined();
        expect(exams.get(k) ?? e.certificationId, `exam ${x}`).toBe(e.certificationId);
        exams.set(k, e.certificationId);
      }
    }
  });

  /** The id a holding of `id` is stored under: itself, or the current id of a renamed certification. */
  const currentId = (id: string) => CATALOG_MAP.find((e) => e.formerIds?.includes(id))?.certificationId ?? id;

  it.each(everyCert.map((c) => [`${c.version} ${c.id}`, c] as const))('maps %s by its rule-set name, its Learn display name and each exam code', (_label, c) => {
    const id = currentId(c.id);
    expect(resolveCertificationId({ name: c.name })).toBe(id);
    expect(resolveCertificationId({ name: `Microsoft Certified: ${c.name}` })).toBe(id);
    for (const exam of c.exams) {
      expect(resolveCertificationId({ code: exam })).toBe(id);
      expect(resolveCertificationId({ name: exam.toLowerCase() })).toBe(id);
    }
  });

  it('has no row or former id that no rule set knows, and every current id is in the newest rule set or kept only by older ones', () => {
    const known = new Set(everyCert.map((c) => c.id));
    expect(CATALOG_MAP.flatMap((e) => [e.certificationId, ...(e.formerIds ?? [])]).filter((id) => !known.has(id))).toEqual([]);
  });

  it('reads the variants sources use: prefixes, case, punctuation, "&", former names', () => {
    expect(resolveCertificationId({ name: 'Microsoft 365 Certified: Teams Administrator Associate' })).toBe('teams-administrator-associate');
    expect(resolveCertificationId({ name: 'MICROSOFT CERTIFIED: AZURE ADMINISTRATOR ASSOCIATE' })).toBe('azure-administrator-associate');
    expect(resolveCertificationId({ name: 'Microsoft Certified: Identity & Access Administrator Associate' })).toBe('identity-access-administrator-associate');
    expect(resolveCertificationId({ name: 'Microsoft 365 Certified: Modern Desktop Administrator Associate' })).toBe('endpoint-administrator-associate');
    expect(resolveCertificationId({ name: 'Microsoft Certified: Dynamics 365 + Power Platform Solution Architect Expert' })).toBe('d365-power-platform-solution-architect-expert');
    expect(resolveCertificationId({ code: 'az 801' })).toBe('windows-server-hybrid-administrator-associate');
    expect(resolveCertificationId({ code: 'Exam AZ-104' })).toBe('azure-administrator-associate');
  });

  it('knows nothing of certifications no rule set counts', () => {
    expect(resolveCertificationId({ name: 'Microsoft Certified: Azure Fundamentals', code: 'AZ-900' })).toBeUndefined();
    expect(resolveCertificationId({ name: 'Microsoft Applied Skills: Secure storage for Azure Files' })).toBeUndefined();
  });
});

describe('one value resolved as an id, a Learn name or an exam code', () => {
  const everyCert = allRuleSets().flatMap((rs) => rs.certifications.map((c) => ({ version: rs.version, ...c })));
  const currentId = (id: string) => CATALOG_MAP.find((e) => e.formerIds?.includes(id))?.certificationId ?? id;

  it.each(everyCert.map((c) => [`${c.version} ${c.id}`, c] as const))('resolves %s by its id, in any case and spacing', (_label, c) => {
    expect(resolveCertification(c.id)).toBe(currentId(c.id));
    expect(resolveCertification(` ${c.id.toUpperCase()} `)).toBe(currentId(c.id));
  });

  it('resolves the exam code every certified person knows, and retired exams that earned the same certification', () => {
    expect(resolveCertification('AZ-104')).toBe('azure-administrator-associate');
    expect(resolveCertification('az104')).toBe('azure-administrator-associate');
    expect(resolveCertification('AZ-103')).toBe('azure-administrator-associate');
    expect(resolveCertification('AZ-303')).toBe('azure-solutions-architect-expert');
    expect(resolveCertification('DA-100')).toBe('power-bi-data-analyst-associate');
    expect(resolveCertification('Microsoft Certified: Azure Administrator Associate')).toBe('azure-administrator-associate');
    expect(resolveCertification('information-protection-compliance-administrator-associate')).toBe('information-protection-administrator-associate');
  });

  it('resolves no id, name or code to two certifications, whichever the kind of value', () => {
    const seen = new Map<string, string>();
    for (const e of CATALOG_MAP) {
      for (const v of [e.certificationId, ...(e.formerIds ?? []), ...e.names, ...e.exams]) {
        expect(resolveCertification(v), v).toBe(e.certificationId);
        const k = normaliseCertName(v);
        expect(seen.get(k) ?? e.certificationId, v).toBe(e.certificationId);
        seen.set(k, e.certificationId);
      }
    }
  });

  it('refuses values it does not know, and suggests the closest known ones', () => {
    expect(resolveCertification('AZ-9999')).toBeUndefined();
    expect(resolveCertification('')).toBeUndefined();
    expect(suggestCertifications('AZ-9999').length).toBe(3);
    expect(suggestCertifications('AZ-105').map((s) => s.certificationId)).toContain('azure-administrator-associate');
    expect(suggestCertifications('Azure Admin Associate')[0]!.certificationId).toBe('azure-administrator-associate');
    expect(suggestCertifications('azure-solution-architect-expert')[0]!.certificationId).toBe('azure-solutions-architect-expert');
    expect(suggestCertifications('Cosmos DB')[0]!.certificationId).toBe('azure-cosmos-db-developer-specialty');
  });
});

describe('a holding stored under the current id of a renamed certification', () => {
  it('counts under the id an older rule version gives it (SC-400 in v2023-12)', () => {
    const snap = snapshot({ professionals: [person(['information-protection-administrator-associate'], { earnedOn: '2024-01-10', id: 'sec-1' })] });
    const m = metric(area(snap, 'security', '2024-06-01'), 'intermediate-certifications');
    expect(lines(m).join('\n')).not.toContain('is not in this rule version');
    // Recognised as the certification it is; it earns nothing here only because the area's gate steps are unmet.
    expect(lines(m).join('\n')).toContain('holds Information Protection and Compliance Administrator Associate, which earns nothing until every step above is met');
  });
});
