import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startHostProcess, type HostProcess } from '../helpers/host-process';
import { generateSecret } from '../../shared/lib/signing';
import { getJson } from '../helpers/http';
import { uid } from '../helpers/ids';
import { ev, postSigned } from './client';

/**
 * Certifications sent the way people name them (issue 15, item 2), through the local host: an exam code or a
 * Microsoft Learn name is stored under the rule sets' id and counts in the score; a value no rule set knows is
 * refused with 422 and the closest known certifications, and nothing is stored.
 */
describe('certification names in webhook events', () => {
  let host: HostProcess;
  const secret = generateSecret();

  beforeAll(async () => {
    host = await startHostProcess({ env: { WEBHOOK_SOURCES: 'hr', WEBHOOK_SECRET_HR: secret, WEBHOOK_PARTNERS_HR: '*', RECOMPUTE_COALESCE_SECONDS: '1' } });
  });
  afterAll(async () => {
    await host?.stop();
  });

  const post = (body: unknown, id: string) => postSigned(host.url, 'hr', body, { secret, id });
  const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);

  it('stores an exam code and a Learn name under the rule sets\' id, and the person counts in the score', async () => {
    const partner = uid('p-exam');
    const id = `m-${partner}`;
    const res = await post({
      events: [
        ev('e1', 'professional.linked', partner, `${day(30)}T09:00:00Z`, { learnProfileId: 'lp-ada', name: 'Ada' }),
        ev('e2', 'certification.earned', partner, `${day(20)}T09:00:00Z`, { learnProfileId: 'lp-ada', certificationId: 'AZ-104', earnedOn: day(20) }),
        ev('e3', 'certification.earned', partner, `${day(10)}T09:00:00Z`, { learnProfileId: 'lp-ada', certificationId: 'Microsoft Certified: Azure Solutions Architect Expert', earnedOn: day(10) }),
      ],
    }, id);
    expect(res.status).toBe(202);
    await eventually(async () => ((await getJson(`${host.url}/api/webhooks/hr/deliveries/${id}`)).json.status === 'applied' ? true : undefined), 20_000, 'delivery applied');

    const people = await getJson(`${host.url}/api/partners/${partner}/professionals`);
    expect(people.status).toBe(200);
    const ada = (people.json.items as { certifications: Record<string, unknown> }[])[0]!;
    expect(Object.keys(ada.certifications).sort()).toEqual(['azure-administrator-associate', 'azure-solutions-architect-expert']);

    const byExam = await getJson(`${host.url}/api/partners/${partner}/professionals?certificationId=az-104`);
    expect((byExam.json.items as { id: string }[]).map((p) => p.id)).toEqual(['lp-ada']);

    // The recompute the delivery requested scores Ada as an Azure Administrator and Solutions Architect.
    const area = await eventually(async () => {
      const r = await getJson(`${host.url}/api/partners/${partner}/scores/infrastructure`);
      return r.status === 200 ? r.json : undefined;
    }, 30_000, 'infrastructure score');
    type Line = { kind: string; subject: string; reason: string };
    const metric = (id: string) => (area.breakdown.metrics as { id: string; explanation: Line[] }[]).find((m) => m.id === id)!;
    // One of the two people the enterprise step needs: the exam code counted as the Administrator certification.
    expect(metric('intermediate-certifications').explanation.find((l) => l.subject === 'Step 1: Azure Administrator Associate')!.reason).toBe('1 of 2 required people certified (Ada (lp-ada))');
    expect(metric('advanced-certifications').explanation.find((l) => l.subject === 'Step 1: Azure Solutions Architect Expert')!.reason).toBe('1 of 2 required people certified (Ada (lp-ada))');
  }, 90_000);

  it('refuses a certification no rule set knows with 422 naming the value and the closest ones, storing nothing', async () => {
    const partner = uid('p-unknown');
    const id = `m-${partner}`;
    const res = await post({
      events: [
        ev('u1', 'professional.linked', partner, `${day(30)}T09:00:00Z`, { learnProfileId: 'lp-bo' }),
        ev('u2', 'certification.earned', partner, `${day(20)}T09:00:00Z`, { learnProfileId: 'lp-bo', certificationId: 'AZ-9999', earnedOn: day(20) }),
        ev('u3', 'certification.earned', partner, `${day(20)}T09:00:00Z`, { learnProfileId: 'lp-bo', certificationId: 'Azure Admin Associate', earnedOn: day(20) }),
      ],
    }, id);
    expect(res.status).toBe(422);
    expect(res.json.error).toBe('UnprocessableEntity');
    expect(res.json.message).toContain('"AZ-9999"');
    const details = res.json.details as { path: string; message: string; suggestions: string[] }[];
    expect(details.map((d) => d.path)).toEqual(['events[1].data.certificationId', 'events[2].data.certificationId']);
    expect(details[0]!.message).toMatch(/"AZ-9999" is not a certification .*closest: /);
    expect(details[0]!.suggestions).toHaveLength(3);
    expect(details[1]!.suggestions[0]).toBe('azure-administrator-associate');
    expect(details[1]!.message).toContain('azure-administrator-associate (Azure Administrator Associate, AZ-104)');

    expect((await getJson(`${host.url}/api/webhooks/hr/deliveries/${id}`)).status).toBe(404);
    expect((await getJson(`${host.url}/api/partners/${partner}/professionals`)).status).toBe(404);
  }, 60_000);

  it('lists every certification of the rule version in effect with its aliases, level, where it counts and its retirement', async () => {
    type Cert = { id: string; name: string; level: string; aliases: { names: string[]; exams: string[]; formerIds: string[] }; retiredOn?: string; eligibleUntil?: string; countsOnDate: boolean; countsFor: { area: string; track: string; metric: string; role: string }[] };
    const now = await getJson(`${host.url}/api/catalog/certifications?date=2026-03-01`);
    expect(now.status).toBe(200);
    expect(now.json).toMatchObject({ date: '2026-03-01', ruleVersion: 'v2026' });
    const certs = now.json.certifications as Cert[];
    expect(certs.length).toBeGreaterThan(50);
    const admin = certs.find((c) => c.id === 'azure-administrator-associate')!;
    expect(admin).toMatchObject({ name: 'Azure Administrator Associate', level: 'associate', countsOnDate: true });
    expect(admin.aliases.exams).toEqual(['AZ-104', 'AZ-103', 'AZ-100', 'AZ-101']);
    expect(admin.countsFor).toContainEqual({ area: 'infrastructure', areaName: 'Infrastructure', track: 'enterprise', metric: 'intermediate-certifications', role: 'gate' });
    const sc400 = certs.find((c) => c.id === 'information-protection-administrator-associate')!;
    expect(sc400).toMatchObject({ retiredOn: '2025-05-31', eligibleUntil: '2026-05-31', countsOnDate: true });
    expect(sc400.aliases.formerIds).toEqual(['information-protection-compliance-administrator-associate']);
    // Every certification listed can be sent by each of its aliases.
    for (const c of certs) expect(c.aliases.names.length + c.aliases.exams.length, c.id).toBeGreaterThan(0);

    const older = await getJson(`${host.url}/api/catalog/certifications?date=2024-01-15`);
    expect(older.json.ruleVersion).toBe('v2023-12');
    const bad = await getJson(`${host.url}/api/catalog/certifications?date=2026-02-30`);
    expect(bad.status).toBe(400);
    expect(bad.json.details).toEqual([{ path: 'query.date', message: 'must be a real calendar date' }]);
  });
});
