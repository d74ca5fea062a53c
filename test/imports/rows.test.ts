import { describe, expect, it } from 'vitest';
import { mapHeader } from '../../shared/imports/columns';
import { mapRows, type MapContext } from '../../shared/imports/rows';

const NOW = new Date('2026-06-15T12:00:00Z');

function ctx(kind: MapContext['kind'], header: string[], receivedAt = NOW.toISOString()): MapContext {
  const m = mapHeader(kind, header);
  if (!m.ok) throw new Error(m.message);
  return { partnerId: 'P1', kind, mapping: m.mapping, receivedAt, now: NOW, futureToleranceSeconds: 86_400 };
}
const rows = (...cells: string[][]) => cells.map((c, i) => ({ line: i + 2, cells: c }));

describe('rows to events', () => {
  const header = ['Learn profile ID', 'Name', 'Certification', 'Date earned'];

  it('derives the same event ids from the same rows in every import, whenever it is received', () => {
    const r = rows(['lp-1', 'Ada', 'AZ-104', '2026-01-10']);
    const a = mapRows(ctx('professionals', header, '2026-06-01T00:00:00.000Z'), r);
    const b = mapRows(ctx('professionals', header, '2026-06-15T00:00:00.000Z'), r);
    expect(a.rows[0]!.events.map((e) => e.id)).toEqual(b.rows[0]!.events.map((e) => e.id));
    expect(a.rows[0]!.events.map((e) => e.type)).toEqual(['professional.linked', 'certification.earned']);
    // The certification is stored under the rule sets' id, as a webhook event's would be.
    expect(a.rows[0]!.events[1]!.data).toMatchObject({ certificationId: 'azure-administrator-associate', earnedOn: '2026-01-10' });
  });

  it('links a person once however many rows they have, and gives identical rows ids of their own', () => {
    const out = mapRows(ctx('professionals', header), rows(['lp-1', 'Ada', 'AZ-104', '2026-01-10'], ['lp-1', 'Ada', 'AZ-305', '2026-02-10'], ['lp-1', 'Ada', 'AZ-305', '2026-02-10']));
    expect(out.rows.map((r) => r.events.map((e) => e.type))).toEqual([['professional.linked', 'certification.earned'], ['certification.earned'], ['certification.earned']]);
    expect(out.rows[1]!.events[0]!.id).not.toBe(out.rows[2]!.events[0]!.id);
  });

  it('refuses a row whole, naming the file\'s column, and a refused row does not stand in for a later row\'s link', () => {
    const out = mapRows(ctx('professionals', header), rows(['lp-1', 'Ada', 'AZ-104', '2026-02-30'], ['lp-1', 'Ada', 'AZ-104', '2026-01-10']));
    expect(out.refused).toEqual([{ line: 2, field: 'Date earned', reason: '"2026-02-30" is not a date (write it YYYY-MM-DD, or as a date cell in a spreadsheet)' }]);
    expect(out.rows[0]!.events.map((e) => e.type)).toEqual(['professional.linked', 'certification.earned']);
  });

  it('reads a customer list\'s name, segment and cloud as a customer.updated beside the CSP relationship, and refuses an unknown segment', () => {
    const h = ['Customer tenant ID', 'Customer Name', 'Relationship', 'Segment', 'Cloud'];
    const out = mapRows(ctx('customers', h), rows(['t-1', 'Contoso', 'Direct', 'SMB', 'GCC'], ['t-2', '', 'Indirect reseller', '', ''], ['t-3', 'Fabrikam', 'Direct', 'Medium', '']));
    expect(out.rows.map((r) => r.events.map((e) => e.type))).toEqual([['csp.relationship.started', 'customer.updated'], ['csp.relationship.started']]);
    expect(out.rows[0]!.events[1]!.data).toEqual({ tenantId: 't-1', name: 'Contoso', segment: 'smb', cloud: 'government' });
    expect(out.refused).toEqual([{ line: 4, field: 'Segment', reason: '"Medium" is not a segment: SMB or Enterprise' }]);
  });

  it('refuses a telemetry row without any figure, and reads association types by their long names', () => {
    const h = ['Month', 'Tenant ID', 'Platform', 'Workload', 'Association type', 'ACR'];
    const out = mapRows(ctx('telemetry', h), rows(['2026-05', 't1', 'azure', 'VM', 'PAL', ''], ['2026-05', 't1', 'azure', 'VM', 'Partner Admin Link', '12']));
    expect(out.refused[0]).toMatchObject({ line: 2, field: '(row)' });
    expect(out.refused[0]!.reason).toMatch(/at least one figure/);
    expect(out.rows[0]!.events[0]!.data).toMatchObject({ associationType: 'PAL', acrUsd: 12, month: '2026-05' });
  });
});
