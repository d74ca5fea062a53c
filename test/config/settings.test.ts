import { describe, expect, it } from 'vitest';
import { parseSettings, SettingsError } from '../../shared/config/settings';

const base = { COSMOS_ENDPOINT: 'http://127.0.0.1:8081/', AzureWebJobsStorage: 'UseDevelopmentStorage=true' };

describe('settings', () => {
  it('applies documented defaults', () => {
    const s = parseSettings(base);
    expect(s.COSMOS_DATABASE).toBe('pcs');
    expect(s.SCORE_RECOMPUTE_SCHEDULE).toBe('0 0 2 * * *');
    expect(s.CERT_SYNC_SCHEDULE).toBe('0 30 1 * * *');
    expect(s.CERT_SYNC_CONCURRENCY).toBe(8);
    expect(s.COSMOS_CREATE_CONTAINERS).toBe(false);
  });

  it('names every missing or malformed setting', () => {
    try {
      parseSettings({ COSMOS_ENDPOINT: 'not a url', AzureWebJobsStorage: 'x', CERT_SYNC_CONCURRENCY: '-1', QUALIFY_METRIC_TEST: 'maybe' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SettingsError);
      const msg = (e as Error).message;
      expect(msg).toContain('COSMOS_ENDPOINT');
      expect(msg).toContain('CERT_SYNC_CONCURRENCY');
      expect(msg).toContain('QUALIFY_METRIC_TEST');
    }
  });

  it('requires storage by connection string or by identity-based service URI', () => {
    expect(() => parseSettings({ COSMOS_ENDPOINT: base.COSMOS_ENDPOINT })).toThrow(/AzureWebJobsStorage/);
    expect(parseSettings({ COSMOS_ENDPOINT: base.COSMOS_ENDPOINT, AzureWebJobsStorage__queueServiceUri: 'https://st.queue.core.windows.net' }).COSMOS_ENDPOINT).toBe(base.COSMOS_ENDPOINT);
  });
});
