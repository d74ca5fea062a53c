import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordDeadLetter } from '../../shared/deadletters/dead-letter-store';
import { EVENT_EXAMPLES } from '../../shared/events/examples';
import { addDays, todayUtc } from '../../shared/lib/dates';
import { generateSecret } from '../../shared/lib/signing';
import { recomputePartner } from '../../shared/recompute/partner';
import { importSnapshotAsState } from '../../tools/fixtures/snapshot-import';
import { postSigned } from '../webhooks/client';
import { isolatedStores, type IsolatedStores } from '../helpers/emulators';
import { eventually, startHostProcess, type HostProcess } from '../helpers/host-process';
import { newPartnerId, uid } from '../helpers/ids';
import { AnswerValidator, type OpenApiDocument } from '../helpers/openapi-answers';
import { partnerSnapshot } from '../helpers/partner-snapshot';
import { derOf, mintCertificate, pcEvent, signatureOf, startFakePartnerCenter, type FakePartnerCenter, type Minted } from '../partner-center/fake-partner-center';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Every operation of the served OpenAPI document is called through the local host with seeded data, for a success
 * and an error, and every answer is validated against the document with ajv: a route whose answers drift from the
 * document, answer with an undocumented status, or that no case exercises fails here.
 */
describe('every answer of every route matches the OpenAPI document', () => {
  let stores: IsolatedStores;
  let host: HostProcess;
  let doc: OpenApiDocument;
  let validator: AnswerValidator;
  // Microsoft's side of Partner Center webhooks: a minted certificate chain, served from an allow-listed prefix.
  let pc: FakePartnerCenter;
  let leaf: Minted;
  let caDir: string;
  const secret = generateSecret();
  const partner = newPartnerId('oa');
  const unknownPartner = newPartnerId('oa-none');
  const today = todayUtc();
  const snapshot = partnerSnapshot(partner, today, 'small', 11);

  type Call = { body?: unknown; raw?: string; headers?: Record<string, string>; anonymous?: boolean };
  /** Calls `url` (under /api) as the operator (the function key) unless `anonymous`, validates the answer as one of `operation`'s. */
  async function call(operation: string, url: string, opts: Call = {}): Promise<{ status: number; json: any }> {
    const method = operation.split(' ')[0]!;
    const headers: Record<string, string> = { ...(opts.anonymous ? {} : { 'x-functions-key': host.keys.functionKey }), ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}), ...opts.headers };
    const res = await fetch(`${host.url}/api${url}`, { method, headers, body: opts.raw ?? (opts.body !== undefined ? JSON.stringify(opts.body) : undefined) });
    const text = await res.text();
    let json: unknown = text;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: validated as the text it is */
    }
    validator.check(operation, url, res.status, res.headers.get('content-type'), json);
    return { status: res.status, json };
  }

  beforeAll(async () => {
    stores = await isolatedStores();
    // A partner with scores, and alerts from a change of status (it loses every association and all usage).
    await importSnapshotAsState(snapshot);
    await recomputePartner(partner, { date: addDays(today, -1), reason: 'manual' });
    await importSnapshotAsState({ ...snapshot, associations: [], telemetry: [] });
    await recomputePartner(partner, { date: today, reason: 'manual' });
    await importSnapshotAsState(snapshot);
    await recomputePartner(partner, { date: today, reason: 'manual' });
    pc = await startFakePartnerCenter({ token: 'answers-token' });
    const root = mintCertificate({ commonName: 'Answers Root CA', organization: 'Test Trust', ca: true });
    leaf = mintCertificate({ commonName: 'pcnotifications', organization: 'Microsoft Corporation', issuer: root });
    pc.setCert('pcnotifications.cer', derOf(leaf.certPem));
    caDir = fs.mkdtempSync(path.join(os.tmpdir(), 'answers-ca-'));
    fs.writeFileSync(path.join(caDir, 'ca.pem'), root.certPem);
    host = await startHostProcess({
      env: { ...stores.env, PARTNER_CENTER_PARTNER_IDS: partner, PARTNER_CENTER_CERT_URL_PREFIXES: `${pc.url}/cert/`, PARTNER_CENTER_CA_FILE: path.join(caDir, 'ca.pem'), PARTNER_CENTER_API_BASE_URL: pc.url, PARTNER_CENTER_LOCAL_TOKEN: 'answers-token', IMPORT_INLINE_MAX_ROWS: '1', LOCAL_PRINCIPAL: '', WEBHOOK_SOURCES: 'crm', WEBHOOK_SECRET_CRM: secret, WEBHOOK_PARTNERS_CRM: '*', SCORE_RECOMPUTE_SCHEDULE: '0 0 0 1 1 *', CERT_SYNC_SCHEDULE: '0 0 0 1 1 *' },
    });
    doc = (await (await fetch(`${host.url}/api/openapi.json`)).json()) as OpenApiDocument;
    validator = new AnswerValidator(doc);
  }, 120_000);
  afterAll(async () => {
    await host?.stop();
    await stores?.close();
    await pc?.close();
    if (caDir) fs.rmSync(caDir, { recursive: true, force: true });
  });

  it('is a valid OpenAPI 3.1 document (swagger-parser), with health and the document itself open to anyone', async () => {
    await SwaggerParser.validate(structuredClone(doc) as never);
    expect(doc.paths['/health']!.get).toHaveProperty('security', []);
    expect(doc.paths['/openapi.json']!.get).toHaveProperty('security', []);
  });

  it('calls every operation for a success and an error, and every answer validates', async () => {
    const P = `/partners/${partner}`;
    const N = `/partners/${unknownPartner}`;

    // Operations and the service
    await call('GET /health', '/health', { anonymous: true });
    await call('GET /openapi.json', '/openapi.json', { anonymous: true });
    await call('GET /access/me', '/access/me');
    await call('GET /access/me', '/access/me', { anonymous: true });
    await call('GET /partners', '/partners');
    await call('GET /partners', '/partners', { anonymous: true });
    await call('GET /catalog/certifications', `/catalog/certifications?date=${today}`);
    await call('GET /catalog/certifications', '/catalog/certifications?date=yesterday');

    // Access: grants and partner groups, created, replaced, read, listed, deleted
    const grant = { subject: { kind: 'user', id: 'oid-1' }, role: 'partner.reader', partners: [partner] };
    expect((await call('PUT /access/grants/{grantId}', '/access/grants/oa-grant', { body: grant })).status).toBe(201);
    expect((await call('PUT /access/grants/{grantId}', '/access/grants/oa-grant', { body: grant })).status).toBe(200);
    await call('PUT /access/grants/{grantId}', '/access/grants/oa-grant', { body: { ...grant, role: 'owner' } });
    await call('GET /access/grants/{grantId}', '/access/grants/oa-grant');
    await call('GET /access/grants/{grantId}', '/access/grants/no-such-grant');
    await call('GET /access/grants', '/access/grants');
    await call('GET /access/grants', '/access/grants', { anonymous: true });
    const group = { name: 'North', partnerIds: [partner] };
    expect((await call('PUT /access/partner-groups/{groupId}', '/access/partner-groups/oa-north', { body: group })).status).toBe(201);
    await call('PUT /access/partner-groups/{groupId}', '/access/partner-groups/oa-north', { body: group });
    await call('PUT /access/partner-groups/{groupId}', '/access/partner-groups/oa-north', { body: { partnerIds: 'all' } });
    await call('GET /access/partner-groups/{groupId}', '/access/partner-groups/oa-north');
    await call('GET /access/partner-groups/{groupId}', '/access/partner-groups/Bad_Id');
    await call('GET /access/partner-groups', '/access/partner-groups');
    await call('GET /access/partner-groups', '/access/partner-groups', { anonymous: true });
    await call('DELETE /access/partner-groups/{groupId}', '/access/partner-groups/oa-north');
    await call('DELETE /access/partner-groups/{groupId}', '/access/partner-groups/oa-north');
    await call('DELETE /access/grants/{grantId}', '/access/grants/oa-grant');
    await call('DELETE /access/grants/{grantId}', '/access/grants/oa-grant');

    // Partner state
    await call('GET /partners/{partnerId}/profile', `${P}/profile`);
    await call('GET /partners/{partnerId}/profile', `${N}/profile`);
    await call('GET /partners/{partnerId}/customers', `${P}/customers`);
    await call('GET /partners/{partnerId}/customers', `${N}/customers`);
    for (const what of ['associations', 'professionals', 'telemetry'] as const) {
      const op = `GET /partners/{partnerId}/${what}`;
      const page = await call(op, `${P}/${what}?limit=5`);
      expect(page.status).toBe(200);
      expect(page.json.items.length).toBeGreaterThan(0);
      await call(op, `${N}/${what}`);
      await call(op, `${P}/${what}?limit=0`);
    }

    // Scores, history, simulation, forecast
    await call('GET /partners/{partnerId}/scores', `${P}/scores`);
    await call('GET /partners/{partnerId}/scores', `${N}/scores`);
    await call('GET /partners/{partnerId}/scores/{area}', `${P}/scores/infrastructure`);
    await call('GET /partners/{partnerId}/scores/{area}', `${P}/scores/infrastructure?date=${addDays(today, -1)}`);
    await call('GET /partners/{partnerId}/scores/{area}', `${P}/scores/nowhere`);
    await call('GET /partners/{partnerId}/scores/{area}/history', `${P}/scores/modern-work/history`);
    await call('GET /partners/{partnerId}/scores/{area}/history', `${P}/scores/modern-work/history?from=2026-13-01`);
    await call('POST /partners/{partnerId}/simulate', `${P}/simulate`, {
      body: { changes: [{ op: 'add-professional', professional: { id: 'sim-1', linked: true, linkedOn: '2025-01-01', certifications: [{ certificationId: 'AZ-104', earnedOn: addDays(today, -30) }] } }] },
    });
    await call('POST /partners/{partnerId}/simulate', `${P}/simulate`, { body: { changes: [{ op: 'teleport' }] } });
    await call('POST /partners/{partnerId}/simulate', `${N}/simulate`, { body: { changes: [] } });
    await call('GET /partners/{partnerId}/forecast', `${P}/forecast`);
    await call('GET /partners/{partnerId}/forecast', `${P}/forecast?telemetry=maybe`);

    // Alerts and the notification URL
    const alerts = await call('GET /partners/{partnerId}/alerts', `${P}/alerts`);
    expect(alerts.json.alerts.length).toBeGreaterThan(0);
    await call('GET /partners/{partnerId}/alerts', `${N}/alerts`);
    await call('PUT /partners/{partnerId}/notification', `${P}/notification`, { body: { url: 'https://partner.example.com/pcs-alerts' } });
    await call('PUT /partners/{partnerId}/notification', `${P}/notification`, { body: { url: 'ftp://example.com/x' } });
    await call('GET /partners/{partnerId}/notification', `${P}/notification`);
    await call('GET /partners/{partnerId}/notification', `${N}/notification`);
    await call('PUT /partners/{partnerId}/notification', `${P}/notification`, { body: { url: null } });

    // Certification sync
    const professionalId = snapshot.professionals![0]!.id;
    const transcript = `${P}/professionals/${professionalId}/transcript`;
    await call('PUT /partners/{partnerId}/professionals/{professionalId}/transcript', transcript, { body: { url: 'https://learn.microsoft.com/en-us/users/ada/transcript/d5on2cqnl3lgknq' } });
    await call('PUT /partners/{partnerId}/professionals/{professionalId}/transcript', transcript, { body: { url: 'https://example.com/not-a-transcript' } });
    await call('DELETE /partners/{partnerId}/professionals/{professionalId}/transcript', transcript);
    await call('DELETE /partners/{partnerId}/professionals/{professionalId}/transcript', `${P}/professionals/no-such-person/transcript`);
    await call('GET /partners/{partnerId}/cert-sources', `${P}/cert-sources`);
    await call('GET /partners/{partnerId}/cert-sources', `${N}/cert-sources`);
    await call('PUT /partners/{partnerId}/cert-sources', `${P}/cert-sources`, { body: { learn: false } });
    await call('PUT /partners/{partnerId}/cert-sources', `${P}/cert-sources`, { body: { learn: 'sometimes' } });
    const csv = `person,certification,earned_on,expires_on\n${professionalId},AZ-104,${addDays(today, -20)},${addDays(today, 40)}\nnobody,NOT-A-CERT,2026-01-01,\n`;
    await call('POST /partners/{partnerId}/cert-imports', `${P}/cert-imports`, { raw: csv, headers: { 'content-type': 'text/csv' } });
    await call('POST /partners/{partnerId}/cert-imports', `${N}/cert-imports`, { raw: csv, headers: { 'content-type': 'text/csv' } });
    await call('POST /partners/{partnerId}/cert-sync', `${P}/cert-sync`);
    await call('POST /partners/{partnerId}/cert-sync', `${N}/cert-sync`);
    await eventually(async () => ((await fetch(`${host.url}/api${P}/cert-sync`, { headers: { 'x-functions-key': host.keys.functionKey } })).status === 200 ? true : undefined), 30_000, 'the partner synced');
    await call('GET /partners/{partnerId}/cert-sync', `${P}/cert-sync`);
    await call('GET /partners/{partnerId}/cert-sync', `${N}/cert-sync`);
    await call('GET /partners/{partnerId}/cert-warnings', `${P}/cert-warnings?days=90`);
    await call('GET /partners/{partnerId}/cert-warnings', `${P}/cert-warnings?days=many`);

    // Spreadsheet imports: with IMPORT_INLINE_MAX_ROWS=1 a two-row file runs in the background, and its run is readable
    // at the partner's route and at /runs/{id}.
    const tele = (m: string) => `${m},tenant-oa,azure,Virtual Machines,PAL,120`;
    const importCsv = ['month,tenant id,platform,workload,association type,acr usd', tele(today.slice(0, 7)), tele(addDays(today, -40).slice(0, 7))].join('\n');
    const started = await call('POST /partners/{partnerId}/imports', `${P}/imports?kind=telemetry`, { raw: importCsv, headers: { 'content-type': 'text/csv' } });
    expect(started.status).toBe(202);
    await call('POST /partners/{partnerId}/imports', `${P}/imports?kind=everything`, { raw: importCsv, headers: { 'content-type': 'text/csv' } });
    const runId = started.json.runId as string;
    await eventually(async () => ((await fetch(`${host.url}/api${P}/imports/${runId}`, { headers: { 'x-functions-key': host.keys.functionKey } }).then((r) => r.json())) as { status?: string }).status === 'finished' || undefined, 60_000, 'the import run finished');
    await call('GET /partners/{partnerId}/imports/{runId}', `${P}/imports/${runId}`);
    await call('GET /partners/{partnerId}/imports/{runId}', `${P}/imports/not-a-run`);
    await call('GET /runs/{id}', `/runs/${runId}`);

    // The dashboard's files
    await call('GET /dashboard', '/dashboard', { anonymous: true });
    await call('GET /dashboard/{asset}', '/dashboard/app.js', { anonymous: true });
    await call('GET /dashboard/{asset}', '/dashboard/no-such-file.js', { anonymous: true });

    // Partner Center's own webhook: a signed registration test event, and one whose signature does not verify
    const pcBody = pcEvent('test-created', 'https://api.partnercenter.microsoft.com/webhooks/v1/registration/validationEvents/oa');
    const pcHeaders = (signature: string) => ({ authorization: signature, 'x-ms-certificate-url': `${pc.url}/cert/pcnotifications.cer`, 'x-ms-signature-algorithm': 'rsa-sha256', 'content-type': 'application/json' });
    await call('POST /partner-center/{partnerId}/events', `/partner-center/${partner}/events`, { anonymous: true, raw: pcBody, headers: pcHeaders(signatureOf(pcBody, leaf.keyPem)) });
    await call('POST /partner-center/{partnerId}/events', `/partner-center/${partner}/events`, { anonymous: true, raw: pcBody, headers: pcHeaders(signatureOf(`${pcBody} `, leaf.keyPem)) });

    // Runs
    const recompute = await call('POST /runs/recompute', '/runs/recompute', { body: { date: today } });
    expect(recompute.status).toBe(202);
    await call('POST /runs/recompute', '/runs/recompute', { body: { date: 'today' } });
    await call('GET /runs/{id}', `/runs/recompute-${today}`);
    await call('GET /runs/{id}', '/runs/recompute-1999-01-01');
    await call('GET /runs/{id}', '/runs/yesterday');
    await call('GET /runs', '/runs?latest=true&kind=recompute');
    await call('GET /runs', '/runs?latest=false');
    const certRun = await call('POST /runs/cert-sync', '/runs/cert-sync', { body: { date: today } });
    expect(certRun.status).toBe(202);
    await call('POST /runs/cert-sync', '/runs/cert-sync', { body: { day: today } });
    await call('GET /cert-sync/runs/{runId}', `/cert-sync/runs/cert-sync-${today}`);
    await call('GET /cert-sync/runs/{runId}', '/cert-sync/runs/cert-sync-1999-01-01');
    await call('GET /cert-sync/runs/{runId}', '/cert-sync/runs/recompute-2026-01-01');
    await call('GET /runs', '/runs?latest=true&kind=cert-sync');

    // Webhooks: accepted, a duplicate, refused; the receipt
    const event = { ...EVENT_EXAMPLES['cpor.claim.submitted'], id: uid('evt'), partnerId: partner };
    const webhookId = uid('msg');
    const accepted = await postSigned(host.url, 'crm', event, { secret, id: webhookId });
    validator.check('POST /webhooks/{source}', '/webhooks/crm', accepted.status, 'application/json', accepted.json);
    expect(accepted.status).toBe(202);
    const duplicate = await postSigned(host.url, 'crm', event, { secret, id: webhookId });
    validator.check('POST /webhooks/{source}', '/webhooks/crm', duplicate.status, 'application/json', duplicate.json);
    const invalid = await postSigned(host.url, 'crm', { ...event, type: 'no.such.event' }, { secret });
    validator.check('POST /webhooks/{source}', '/webhooks/crm', invalid.status, 'application/json', invalid.json);
    const unsigned = await postSigned(host.url, 'crm', event, { secret: generateSecret() });
    validator.check('POST /webhooks/{source}', '/webhooks/crm', unsigned.status, 'application/json', unsigned.json);
    await call('GET /webhooks/{source}/deliveries/{webhookId}', `/webhooks/crm/deliveries/${webhookId}`);
    await call('GET /webhooks/{source}/deliveries/{webhookId}', '/webhooks/crm/deliveries/msg_never_sent');
    // Applied, the event's association carries its history and the variants of its fields.
    await eventually(async () => ((await (await fetch(`${host.url}/api/webhooks/crm/deliveries/${webhookId}`, { headers: { 'x-functions-key': host.keys.functionKey } })).json()) as { status?: string }).status === 'applied' || undefined, 30_000, 'the delivery applied');
    const withVariants = await call('GET /partners/{partnerId}/associations', `${P}/associations?limit=500`);
    expect(withVariants.json.items.some((a: { variants?: unknown }) => a.variants)).toBe(true);

    // Dead letters, one written as a failing handler would
    const dead = await recordDeadLetter({ queue: 'partner-notifications', body: { partnerId: partner, alertId: 'gone', attempt: 1 }, reason: 'test: the receiver was gone', partnerId: partner });
    await call('GET /dead-letters', `/dead-letters?partnerId=${partner}`);
    await call('GET /dead-letters', '/dead-letters?limit=lots');
    await call('POST /dead-letters/{id}/replay', `/dead-letters/${dead.id}/replay`);
    await call('POST /dead-letters/{id}/replay', `/dead-letters/${dead.id}/replay`);
    await call('POST /dead-letters/{id}/replay', '/dead-letters/no-such-letter/replay');

    // Audit of the changes above
    await call('GET /partners/{partnerId}/audit', `${P}/audit`);
    await call('GET /partners/{partnerId}/audit', `${P}/audit?limit=0`);
    await call('GET /audit', '/audit?limit=5');
    await call('GET /audit', '/audit?limit=none');

    const wrong = validator.answers.filter((a) => a.problems.length).map((a) => `${a.operation} (${a.url}) -> ${a.status}:\n    ${a.problems.join('\n    ')}`);
    expect(wrong, 'answers that do not match the OpenAPI document').toEqual([]);

    // Every operation had a success, and an error wherever the document lists a 4xx (health and the document itself list none).
    const byOperation = new Map<string, number[]>(validator.operations().map((op) => [op, []]));
    for (const a of validator.answers) byOperation.get(a.operation)?.push(a.status);
    const documents4xx = (op: string) => Object.keys(validator.responsesOf(op)).some((s) => s.startsWith('4'));
    const unexercised = [...byOperation]
      .filter(([op, s]) => !s.some((x) => x >= 200 && x < 300) || (documents4xx(op) && !s.some((x) => x >= 400 && x < 500)))
      .map(([op, s]) => `${op}: ${s.join(', ') || 'never called'}`);
    expect(unexercised, 'operations without both a success and an error answer exercised: add a case above').toEqual([]);
  }, 180_000);
});
