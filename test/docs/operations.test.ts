import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..', '..');

describe('docs/operations.md', () => {
  it('documents every alert infra/modules/alerts.bicep creates', () => {
    const bicep = readFileSync(path.join(root, 'infra', 'modules', 'alerts.bicep'), 'utf8');
    const alerts = [...bicep.matchAll(/^resource \w+ 'Microsoft\.Insights\/(?:scheduledQueryRules|metricAlerts)@[^']+' = \{\n\s+name: '\$\{namePrefix\}(-[a-z0-9-]+)'/gm)].map((m) => m[1]!);
    expect(alerts.length).toBeGreaterThanOrEqual(3);
    const section = readFileSync(path.join(root, 'docs', 'operations.md'), 'utf8').split('\n## Alerts\n')[1]?.split('\n## ')[0] ?? '';
    for (const alert of alerts) expect(section, alert).toContain(`\`…${alert}\``);
  });
});
