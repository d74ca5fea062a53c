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
});
