import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSettings } from '../../shared/config/settings';
import { getResource, PartnerCenterApiError, resourceUrl, tokenProviderFor } from '../../shared/partner-center/api';
import { startFakePartnerCenter, type FakePartnerCenter } from './fake-partner-center';

/** Reading what an event points to: only from the configured API, with the token, retrying what is passing. */

let pc: FakePartnerCenter;
const waits: number[] = [];
const opts = () => ({ baseUrl: pc.url, token: async () => 't0k', timeoutMs: 2000, maxAttempts: 3, backoffMs: 10, sleep: async (ms: number) => void waits.push(ms) });
const base = { COSMOS_ENDPOINT: 'https://x.example/', AzureWebJobsStorage: 'UseDevelopmentStorage=true' };

beforeAll(async () => {
  pc = await startFakePartnerCenter({ token: 't0k' });
  pc.setCustomer('c1', { id: 'c1', companyProfile: { tenantId: 'c1' } });
});
afterAll(() => pc?.close());

describe('resourceUrl', () => {
  it('keeps only the path and query of ResourceUri, so the token goes to the configured host alone', () => {
    expect(resourceUrl('https://evil.example/v1/customers/c1?x=1', 'https://api.partnercenter.microsoft.com')).toBe('https://api.partnercenter.microsoft.com/v1/customers/c1?x=1');
    expect(resourceUrl('https://api.partnercenter.microsoft.com/v1/customers/c1', 'http://127.0.0.1:9/pc/')).toBe('http://127.0.0.1:9/pc/v1/customers/c1');
  });
});

describe('getResource', () => {
  it('waits at least what Retry-After asks after a 429, then reads the resource', async () => {
    waits.length = 0;
    pc.failNext(1, 429, '2');
    expect(await getResource('https://api.partnercenter.microsoft.com/v1/customers/c1', opts())).toMatchObject({ id: 'c1' });
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(2000);
  });

  it('retries 5xx up to the attempts and then fails with the status', async () => {
    waits.length = 0;
    pc.failNext(5, 503);
    await expect(getResource('https://api.partnercenter.microsoft.com/v1/customers/c1', opts())).rejects.toMatchObject({ status: 503, retryable: true });
    expect(waits).toHaveLength(2);
    pc.failNext(0, 503);
  });

  it('does not retry a 404', async () => {
    waits.length = 0;
    const e = await getResource('https://api.partnercenter.microsoft.com/v1/customers/nobody', opts()).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PartnerCenterApiError);
    expect(e).toMatchObject({ status: 404, retryable: false });
    expect(waits).toEqual([]);
  });
});

describe('tokenProviderFor', () => {
  it('uses the local token only against a loopback API, and says which settings are missing otherwise', async () => {
    expect(await tokenProviderFor(parseSettings({ ...base, PARTNER_CENTER_API_BASE_URL: 'http://127.0.0.1:1', PARTNER_CENTER_LOCAL_TOKEN: 'x' }))()).toBe('x');
    await expect(tokenProviderFor(parseSettings({ ...base, PARTNER_CENTER_LOCAL_TOKEN: 'x' }))()).rejects.toThrow(/PARTNER_CENTER_TENANT_ID/);
  });
});
