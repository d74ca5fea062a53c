/**
 * The app with OpenTelemetry on (APPLICATIONINSIGHTS_CONNECTION_STRING set, as in Azure) and off (as locally):
 * it starts, answers and stops cleanly either way. The ingestion endpoint is a local server that records what
 * reaches it, so nothing leaves the machine.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostProcess } from '../helpers/host-process';

let ingestion: Server;
let ingestionUrl: string;

beforeAll(async () => {
  ingestion = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"itemsReceived":0,"itemsAccepted":0,"errors":[]}'));
  });
  await new Promise<void>((resolve) => ingestion.listen(0, '127.0.0.1', resolve));
  ingestionUrl = `http://127.0.0.1:${(ingestion.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => ingestion.close(() => resolve())));

describe('OpenTelemetry', () => {
  it.each([
    ['on, as in Azure', true],
    ['off, as locally', false],
  ])('%s: the app starts, answers and stops cleanly', async (_label, on) => {
    const env: Record<string, string> = on
      ? { APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=${ingestionUrl}` }
      : { APPLICATIONINSIGHTS_CONNECTION_STRING: '' };
    const host = await startHostProcess({ env });
    try {
      expect((await fetch(`${host.url}/api/health`)).status).toBe(200);
      expect((await fetch(`${host.url}/api/partners`)).status).toBe(200);
    } finally {
      expect(await host.stop('SIGTERM')).toBe(0);
    }
    expect(host.output()).not.toMatch(/\bERROR\b|Unhandled|TypeError/);
  });
});
