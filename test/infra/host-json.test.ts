/**
 * What host.json sends to Application Insights. The host writes one `requests` row per invocation under the log
 * category Host.Results at level Information; a level above that for the category (or the default) keeps only
 * failures, and then the 5xx-rate alert (infra/modules/alerts.bicep) computes its rate over failed calls only.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const hostJson = JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', 'host.json'), 'utf8')) as {
  logging: { logLevel: Record<string, string>; applicationInsights: { samplingSettings: { isEnabled: boolean; excludedTypes?: string } } };
};

const LEVELS = ['Trace', 'Debug', 'Information', 'Warning', 'Error', 'Critical', 'None'];
/** The level that applies to a category: its own, or its longest configured prefix, or the default (as .NET logging does). */
function levelOf(category: string): string {
  const levels = hostJson.logging.logLevel;
  const prefix = Object.keys(levels).filter((k) => k !== 'default' && (category === k || category.startsWith(`${k}.`))).sort((a, b) => b.length - a.length)[0];
  return levels[prefix ?? 'default'] ?? 'Information';
}

describe('host.json logging', () => {
  it('keeps a requests row for every invocation, successful or not', () => {
    expect(LEVELS.indexOf(levelOf('Host.Results'))).toBeLessThanOrEqual(LEVELS.indexOf('Information'));
  });

  it('never samples requests away, so the alerts count every call', () => {
    const sampling = hostJson.logging.applicationInsights.samplingSettings;
    if (sampling.isEnabled) expect((sampling.excludedTypes ?? '').split(';').map((t) => t.trim())).toContain('Request');
  });

  it('keeps the function logs and the aggregated counts the portal shows', () => {
    expect(LEVELS.indexOf(levelOf('Function.applyEvents.User'))).toBeLessThanOrEqual(LEVELS.indexOf('Information'));
    expect(LEVELS.indexOf(levelOf('Host.Aggregator'))).toBeLessThanOrEqual(LEVELS.indexOf('Information'));
  });
});
