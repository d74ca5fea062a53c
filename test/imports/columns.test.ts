import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COLUMNS, detectKind, headerKey, IMPORT_KINDS, mapHeader } from '../../shared/imports/columns';

const DOC = readFileSync(path.resolve(__dirname, '..', '..', 'docs', 'imports.md'), 'utf8');

describe('import columns', () => {
  it('are all documented in docs/imports.md, with every name they are read by', () => {
    for (const kind of IMPORT_KINDS) {
      expect(DOC).toContain(`### ${kind}`);
      for (const c of COLUMNS[kind]) for (const n of c.names) expect(DOC, `${kind} column "${n}"`).toContain(`\`${n}\``);
    }
  });

  it('never read one header as two columns of a kind', () => {
    for (const kind of IMPORT_KINDS) {
      const seen = new Map<string, string>();
      for (const c of COLUMNS[kind]) for (const n of c.names) {
        const k = headerKey(n);
        expect(seen.get(k) ?? c.field, `${kind}: "${n}"`).toBe(c.field);
        seen.set(k, c.field);
      }
    }
  });

  it('match headers case, spacing and punctuation insensitively, and detect the kind', () => {
    expect(detectKind(['MONTH', 'customer_tenant_id'])).toBe('telemetry');
    expect(detectKind(['Learn Profile Id'])).toBe('professionals');
    expect(detectKind(['Association Type', 'Tenant ID'])).toBe('associations');
    expect(detectKind(['Customer tenant ID', 'Relationship'])).toBe('customers');
    expect(detectKind(['Colour'])).toBeUndefined();
    const m = mapHeader('customers', ['  CUSTOMER-TENANT-ID ', 'relationship', 'Segment', 'Colour']);
    expect(m.ok && [...m.mapping.fields.values()].map((c) => c.field)).toEqual(['tenantId', 'tier', 'segment']);
    expect(m.ok && m.mapping.ignored.map((i) => i.column)).toEqual(['Colour']);
  });
});
