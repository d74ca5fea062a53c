import { describe, expect, it } from 'vitest';
import { parseImportFile, resolveImport, splitCsvLine } from '../../shared/certsync/import-file';
import { parseShareLink } from '../../shared/certsync/share-link';
import type { StoredProfessional } from '../../shared/state/documents';

describe('transcript share links', () => {
  it('accepts the link Learn gives out and keeps its parts', () => {
    const r = parseShareLink('https://learn.microsoft.com/en-US/users/ada.lovelace-1/transcript/d5on2cqnl3lgknq');
    expect(r).toEqual({ ok: true, link: { url: 'https://learn.microsoft.com/en-us/users/ada.lovelace-1/transcript/d5on2cqnl3lgknq', locale: 'en-us', userName: 'ada.lovelace-1', shareId: 'd5on2cqnl3lgknq' } });
  });

  it.each([
    ['not a url', 'is not a URL'],
    ['http://learn.microsoft.com/en-us/users/ada/transcript/abc123def', 'must use https'],
    ['https://learn.example.com/en-us/users/ada/transcript/abc123def', 'must be on learn.microsoft.com'],
    ['https://learn.microsoft.com/en-us/users/ada/achievements/abc123def', 'path must be'],
    ['https://learn.microsoft.com/users/ada/transcript/abc123def', 'path must be'],
    ['https://learn.microsoft.com/english/users/ada/transcript/abc123def', 'is not a locale'],
    ['https://learn.microsoft.com/en-us/users/ada/transcript/ab!', 'is not a transcript share id'],
    ['https://user:pw@learn.microsoft.com/en-us/users/ada/transcript/abc123def', 'credentials'],
  ])('refuses %s with the reason', (url, reason) => {
    const r = parseShareLink(url);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toContain(reason);
  });
});

const person = (id: string, email?: string): StoredProfessional => ({ id, ...(email ? { email } : {}), linked: true, linkHistory: [], certifications: {}, updatedAt: '2026-01-01T00:00:00Z', lastEventId: 'e' });

describe('import files', () => {
  it('splits quoted CSV fields and refuses an unbalanced quote', () => {
    expect(splitCsvLine('a, "b, c" ,"say ""hi"""')).toEqual(['a', 'b, c', 'say "hi"']);
    expect(splitCsvLine('a,"b')).toBeUndefined();
  });

  it('reports a row with a quote left open by its line and keeps the rows around it; a quoted field may span lines', () => {
    const open = parseImportFile(['person,certification,earned_on', 'ada,AZ-104,2026-01-10', 'ada,"AZ-305,2026-02-01', 'grace,PL-300,2026-03-01'].join('\n'), 'text/csv');
    expect(open.errors).toEqual([{ line: 3, reason: 'unbalanced quote' }]);
    expect(open.rows.map((r) => [r.line, r.person, r.certification])).toEqual([[2, 'ada', 'AZ-104'], [4, 'grace', 'PL-300']]);
    const spanning = parseImportFile(['person,certification,earned_on', '"Ada', 'Lovelace",AZ-104,2026-01-10', 'grace,PL-300,2026-03-01'].join('\n'), 'text/csv');
    expect(spanning.errors).toEqual([]);
    expect(spanning.rows.map((r) => [r.line, r.person])).toEqual([[3, 'Ada\nLovelace'], [4, 'grace']]);
  });

  it('reads CSV with header aliases, reports each bad row by line number and keeps the good rows', () => {
    const csv = [
      'Email,Certification,Earned On,Expires On',
      'ada@example.com,Microsoft Certified: Azure Administrator Associate,2026-01-10,2027-01-10',
      '',
      'ada@example.com,AZ-305,2026-02-01T08:00:00Z,',
      'ada@example.com,AZ-104,2026-13-01,',
      'nobody@example.com,AZ-104,2026-01-01,',
      'grace,Azure Fundamentals,2026-01-01,',
      'grace,SC-200,2026-03-01,2026-02-01',
      'grace,"PL-300",2026-03-01,2027-03-01',
    ].join('\r\n');
    const parsed = parseImportFile(csv, 'text/csv');
    expect(parsed.format).toBe('csv');
    expect(parsed.errors).toEqual([
      { line: 5, reason: 'earned on "2026-13-01" is not a date YYYY-MM-DD' },
      { line: 8, reason: 'expires on 2026-02-01 is before earned on 2026-03-01' },
    ]);
    const resolved = resolveImport(parsed, [person('ada', 'Ada@Example.com'), person('grace')]);
    expect(resolved.errors.map((e) => e.line)).toEqual([5, 6, 7, 8]);
    expect(resolved.errors.find((e) => e.line === 6)!.reason).toContain('person "nobody@example.com" is not a professional');
    expect(resolved.errors.find((e) => e.line === 7)!.reason).toContain('certification "Azure Fundamentals" is not one the rule sets know');
    expect(resolved.byPerson.get('ada')).toEqual([
      { certificationId: 'azure-administrator-associate', earnedOn: '2026-01-10', expiresOn: '2027-01-10', label: 'Microsoft Certified: Azure Administrator Associate' },
      { certificationId: 'azure-solutions-architect-expert', earnedOn: '2026-02-01', label: 'AZ-305' },
    ]);
    expect(resolved.byPerson.get('grace')).toEqual([{ certificationId: 'power-bi-data-analyst-associate', earnedOn: '2026-03-01', expiresOn: '2027-03-01', label: 'PL-300' }]);
    // Bad rows make removals unsafe: nobody's absent certifications are removed on the strength of this file.
    expect([...resolved.incomplete].sort()).toEqual(['ada', 'grace']);
  });

  it('names certifications by the same alias table as the webhook events: ids, retired exams, and suggestions for the unknown', () => {
    const parsed = parseImportFile(['person,certification,earned_on', 'ada,Azure-Developer-Associate,2026-01-10', 'ada,AZ-103,2026-01-11', 'ada,AZ-9999,2026-01-12'].join('\n'), 'text/csv');
    const resolved = resolveImport(parsed, [person('ada')]);
    expect(resolved.byPerson.get('ada')!.map((c) => c.certificationId)).toEqual(['azure-developer-associate', 'azure-administrator-associate']);
    expect(resolved.errors).toEqual([{ line: 4, reason: expect.stringMatching(/^certification "AZ-9999" is not one the rule sets know .*; closest: azure-administrator-associate \(Azure Administrator Associate, AZ-104\)/) }]);
  });

  it('refuses a CSV whose header lacks a required column, naming it', () => {
    const parsed = parseImportFile('person,certification\nada,AZ-104\n');
    expect(parsed.rows).toEqual([]);
    expect(parsed.errors).toEqual([{ line: 1, reason: expect.stringContaining('missing: earnedOn') }]);
  });

  it('reads JSON Lines (detected from the content) and reports bad lines', () => {
    const jsonl = ['{"person":"ada","certification":"AZ-104","earnedOn":"2026-01-10","expiresOn":"2027-01-10"}', '{not json', '[1]', '{"person":"ada","certification":"DP-300"}'].join('\n');
    const parsed = parseImportFile(jsonl);
    expect(parsed.format).toBe('jsonl');
    expect(parsed.rows).toEqual([{ line: 1, person: 'ada', certification: 'AZ-104', earnedOn: '2026-01-10', expiresOn: '2027-01-10' }]);
    expect(parsed.errors.map((e) => [e.line, e.reason.split(':')[0]])).toEqual([
      [2, 'not valid JSON'],
      [3, 'not a JSON object'],
      [4, 'earned on is missing'],
    ]);
  });
});
