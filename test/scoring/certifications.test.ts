import { describe, expect, it } from 'vitest';
import { expiryOf, holdingVerdict, isLinkedOn, ruleSetByVersion } from '../../shared/scoring';
import { area, metric, person, snapshot } from './helpers';

const defs = new Map(ruleSetByVersion('v2026').certifications.map((c) => [c.id, c]));
const def = (id: string) => defs.get(id)!;

describe('certification validity', () => {
  it('an associate certification without an expiry date expires one year after it was earned', () => {
    const h = { certificationId: 'azure-administrator-associate', earnedOn: '2025-03-10' };
    expect(expiryOf(h, def(h.certificationId))).toBe('2026-03-10');
    expect(holdingVerdict(h, def(h.certificationId), '2026-03-10', 0).valid).toBe(true);
    const v = holdingVerdict(h, def(h.certificationId), '2026-03-11', 0);
    expect(v.valid).toBe(false);
    expect(!v.valid && v.reason).toMatch(/expired on 2026-03-10/);
  });
  it('a renewal in the six months before expiry extends it by a year; one made earlier does not', () => {
    const renewed = { certificationId: 'azure-administrator-associate', earnedOn: '2025-03-10', renewals: [{ renewedOn: '2026-01-05' }] };
    expect(expiryOf(renewed, def(renewed.certificationId))).toBe('2027-03-10');
    const early = { ...renewed, renewals: [{ renewedOn: '2025-06-01' }] };
    expect(expiryOf(early, def(early.certificationId))).toBe('2026-03-10');
  });
  it('the expiry on the transcript wins, and a later renewal expiry extends it', () => {
    const h = { certificationId: 'azure-administrator-associate', earnedOn: '2024-03-10', expiresOn: '2025-03-10', renewals: [{ renewedOn: '2025-02-01', expiresOn: '2026-03-10' }] };
    expect(expiryOf(h, def(h.certificationId))).toBe('2026-03-10');
  });
  it('Fundamentals never expire', () => {
    const h = { certificationId: 'copilot-agent-administration-fundamentals', earnedOn: '2020-01-01' };
    expect(expiryOf(h, def(h.certificationId))).toBeUndefined();
    expect(holdingVerdict(h, def(h.certificationId), '2026-10-01', 0).valid).toBe(true);
  });
  it('a retired certification counts until one year after retirement if earned before it', () => {
    const h = { certificationId: 'azure-ai-engineer-associate', earnedOn: '2026-05-01', expiresOn: '2028-01-01' };
    expect(holdingVerdict(h, def(h.certificationId), '2027-06-30', 0).valid).toBe(true);
    const after = holdingVerdict(h, def(h.certificationId), '2027-07-01', 0);
    expect(after.valid).toBe(false);
    expect(!after.valid && after.reason).toMatch(/eligible until 2027-06-30/);
    const late = holdingVerdict({ ...h, earnedOn: '2026-07-15' }, def(h.certificationId), '2026-08-01', 0);
    expect(!late.valid && late.reason).toMatch(/after its retirement/);
  });
  it('Microsoft 365 Fundamentals: never expires, retired 31 Mar 2026, eligible through 31 Mar 2027', () => {
    const h = { certificationId: 'microsoft-365-fundamentals', earnedOn: '2019-01-01' };
    expect(holdingVerdict(h, def(h.certificationId), '2027-03-31', 0).valid).toBe(true);
    expect(holdingVerdict(h, def(h.certificationId), '2027-04-01', 0).valid).toBe(false);
  });
  it('an unknown certification id is explained, not rejected', () => {
    const v = holdingVerdict({ certificationId: 'made-up', earnedOn: '2025-01-01' }, undefined, '2026-01-01', 0);
    expect(!v.valid && v.reason).toMatch(/not in this rule version/);
  });
  it('the skilling lag delays when a new certification counts', () => {
    const h = { certificationId: 'azure-administrator-associate', earnedOn: '2026-01-10' };
    expect(holdingVerdict(h, def(h.certificationId), '2026-01-15', 10).valid).toBe(false);
    expect(holdingVerdict(h, def(h.certificationId), '2026-01-20', 10).valid).toBe(true);
  });
  it('a professional counts only while linked', () => {
    expect(isLinkedOn({ id: 'a', linked: true, linkedOn: '2025-02-01', certifications: [] }, '2025-01-31')).toBe(false);
    expect(isLinkedOn({ id: 'a', linked: false, linkedOn: '2024-01-01', unlinkedOn: '2025-06-01', certifications: [] }, '2025-05-31')).toBe(true);
    expect(isLinkedOn({ id: 'a', linked: false, linkedOn: '2024-01-01', unlinkedOn: '2025-06-01', certifications: [] }, '2025-06-01')).toBe(false);
    expect(isLinkedOn({ id: 'a', linked: false, certifications: [] }, '2025-06-01')).toBe(false);
  });
});

describe('skilling explanations', () => {
  it('says when a person is counted once although two certifications qualify, and when a certification does not count for the area', () => {
    const snap = snapshot({
      trackOverrides: { infrastructure: 'smb' },
      professionals: [
        person(['azure-administrator-associate', 'azure-network-engineer-associate', 'windows-server-hybrid-administrator-associate'], { id: 'Zoe' }),
        person(['d365-sales-ai-consultant'], { id: 'Yann' }),
        person(['azure-network-engineer-associate'], { id: 'Xia', linked: false }),
      ],
    });
    const m = metric(area(snap, 'infrastructure', '2026-02-01'), 'intermediate-certifications');
    expect(m.points).toBe(8);
    expect(m.units).toBe(1);
    const text = m.explanation.map((l) => `${l.kind} ${l.subject}: ${l.reason}`);
    expect(text).toContain('counted person Zoe (Zoe): counted once although 2 certifications qualify (Azure Network Engineer Associate, Windows Server Hybrid Administrator Associate)');
    expect(text).toContain('not-counted person Yann (Yann): Dynamics 365 Sales AI Consultant does not count for Infrastructure intermediate certifications');
    expect(text).toContain('not-counted person Xia (Xia): Learn profile not linked to the partner organisation on this date');
  });
});
