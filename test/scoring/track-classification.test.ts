import { describe, expect, it } from 'vitest';
import { classifiedAreas } from '../../shared/scoring';
import { area, assoc, row, snapshot } from './helpers';

/** Three PAL customers with Azure consumption last month, all in Microsoft's SMB segment. */
const smbCustomers = (extra: Parameters<typeof snapshot>[0] = {}) =>
  snapshot({
    customers: ['a', 'b', 'c'].map((t) => ({ tenantId: t, segment: 'smb' as const })),
    associations: ['a', 'b', 'c'].map((t) => assoc('PAL', t)),
    telemetry: ['a', 'b', 'c'].map((t) => row(t, '2026-10', 'azure', 'Storage', 'PAL', { acrUsd: 500 })),
    ...extra,
  });

describe("Partner Center's track classification", () => {
  it('SMB-segmented customers put an Azure area on the SMB track', () => {
    const a = area(smbCustomers(), 'infrastructure', '2026-11-10');
    expect(a.track).toBe('smb');
    expect(a.trackReason).toMatch(/^3 of 3 customers with consumption in 2026-10 are SMB \(100%/);
    const unknown = area(smbCustomers({ customers: [] }), 'infrastructure', '2026-11-10');
    expect(unknown.track).toBe('enterprise');
    expect(unknown.trackReason).toContain('3 without a segment counted as not SMB');
  });

  it('wins from the day it was classified, and the explanation names that day', () => {
    const s = smbCustomers({ trackOverrides: { infrastructure: 'enterprise' }, trackClassifiedOn: { infrastructure: '2026-11-03' } });
    const after = area(s, 'infrastructure', '2026-11-10');
    expect(after).toMatchObject({ track: 'enterprise', trackReason: 'track Enterprise: classified by Partner Center on 2026-11-03' });
    const before = area(s, 'infrastructure', '2026-11-02');
    expect(before.track).toBe('smb');
    expect(before.trackReason).toMatch(/are SMB .*; Partner Center classifies it Enterprise from 2026-11-03$/);
    // An override without a day (the snapshot import) holds on every day, as before.
    expect(area(smbCustomers({ trackOverrides: { infrastructure: 'enterprise' } }), 'infrastructure', '2026-11-02').track).toBe('enterprise');
  });

  it('is accepted only for the areas some rule version classifies', () => {
    expect(classifiedAreas()).toEqual(['data-ai', 'infrastructure', 'digital-app-innovation', 'business-applications']);
  });
});
