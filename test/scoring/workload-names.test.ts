import { describe, expect, it } from 'vitest';
import { ruleSetByVersion } from '../../shared/scoring/rules';
import { compileSource } from '../../shared/scoring/source-match';
import { workloadKey } from '../../shared/scoring/telemetry-streams';
import type { RuleSet } from '../../shared/scoring/rules/schema';
import { area, assoc, metric, row, snapshot } from './helpers';

/**
 * The workload names exactly as the rule pages write them (reference/pcs-rules.md, with its sources), fed
 * through the same normalisation telemetry goes through: each must land in the list it is on the page.
 */
const PAGES: { version: string; area: string; metric: string; names: string[] }[] = [
  {
    version: '2023', area: 'business-applications', metric: 'net-customer-adds',
    names: ['AI Builder', 'Business Central', 'CE Bundle', 'Commerce', 'Customer Insights', 'Customer Service', 'F&O Bundle', 'Field Service', 'Finance', 'Fraud Protection', 'HR', 'Intelligent Order Management', 'Marketing', 'Mixed Reality', 'Omni Channel', 'Power Apps', 'Power Automate', 'Power BI', 'Power Pages', 'Power Virtual Agent', 'Project Operations', 'Sales', 'Supply Chain', 'Non-workload specific'],
  },
  {
    version: '2026', area: 'business-applications', metric: 'net-customer-adds',
    names: ['AI Builder', 'Business Central', 'CE Bundle', 'Commerce', 'Customer Insights', 'Customer Service', 'F&O Bundle', 'Field Service', 'Finance', 'HR', 'Intelligent Order Management', 'Mixed Reality', 'Omni Channel', 'Power Apps', 'Power Automate', 'Power BI', 'Power Pages', 'Power Virtual Agent', 'Project Operations', 'Sales', 'Supply Chain', 'Non-workload specific', 'Contact Center', 'Copilot Studio', 'Copilot Studio PAYG', 'Non-workload specific (F&O)'],
  },
  {
    version: '2026', area: 'business-applications', metric: 'usage-growth',
    names: ['Business Central', 'Core HR', 'Guides', 'Remote Assist', 'Talent Attract', 'Talent Onboard', 'Common Data Service', 'Customer Engagement', 'Sales', 'Sales Insights', 'Customer Service', 'Field Service', 'Power Apps', 'Power Automate', 'Power BI', 'Contact Center', 'Finance & Operations', 'Finance', 'Project Operations', 'Retail', 'Portals', 'Customer Insights'],
  },
  {
    version: '2023', area: 'modern-work', metric: 'net-customer-adds',
    names: ['Intune', 'Exchange', 'ProPlus', 'SharePoint', 'Teams', 'Teams Meetings', 'Teams Phone', 'Teams Phone calling', 'Teams Platform', 'Yammer', 'Viva Insights', 'Viva Topics', 'Viva Learning', 'Viva Connections'],
  },
  {
    version: '2026', area: 'modern-work', metric: 'net-customer-adds',
    names: ['Exchange Online', 'Intune', 'M365 Copilot', 'Microsoft 365 Apps', 'Entra ID P1', 'SharePoint Online', 'Teams', 'Teams Apps', 'Teams for Frontline Workers', 'Teams Meetings', 'Teams Phone', 'Teams Phone calling', 'Teams Phone Enabled Users', 'Teams Rooms Monthly Active Devices', 'Viva Connections', 'Viva Engage', 'Viva Goals', 'Viva Insights', 'Viva Learning', 'Viva Topics', 'Windows 365'],
  },
  { version: '2026', area: 'modern-work', metric: 'usage-growth', names: ['Teams Premium', 'Exchange Online', 'M365 Copilot'] },
  {
    version: '2023', area: 'security', metric: 'net-customer-adds',
    names: ['Advanced Data Security', 'Advanced Threat Protection', 'Application Gateway', 'Azure AD B2C', 'Azure AD Domain Services', 'Azure AD for External Identities', 'Azure Bastion', 'Azure DDoS Protection', 'Azure Defender', 'Azure Firewall', 'Azure Firewall Manager', 'Azure Front Door Service', 'Azure IoT Security', 'Key Vault', 'Network Watcher', 'Security Center', 'Sentinel',
      'Azure AD Premium', 'Defender for Office 365', 'Defender for Endpoint', 'Defender for Identity', 'Microsoft Information Protection', 'Intune'],
  },
  {
    version: '2026', area: 'security', metric: 'net-customer-adds',
    names: ['Application Gateway', 'Azure AD B2C', 'Azure AD for External Identities', 'Azure Bastion', 'Azure DDoS Protection', 'Azure Firewall', 'Azure Firewall Manager', 'Azure Front Door Service', 'Azure IoT Security', 'Key Vault', 'Microsoft Defender for Cloud', 'Microsoft Entra', 'Entra Domain Services', 'Entra Verified ID', 'Microsoft Purview', 'Microsoft Security Copilot', 'Sentinel',
      'Entra ID P1', 'Defender for Office 365', 'Defender for Endpoint (P2 only)', 'Defender for Identity', 'Purview Information Protection', 'Intune'],
  },
];

// The same page lists, for the metrics that reuse them ("same workloads as usage growth", §4.6, §5.4-5.5, §6.4-6.5).
const BA23_RATE_CARD = ['Business Central', 'Core HR', 'Guides', 'Remote Assist', 'Talent Attract', 'Talent Onboard', 'Common Data Service', 'Customer Engagement', 'Sales', 'Sales Insights', 'Customer Service', 'Field Service', 'Power Apps', 'Power Automate', 'Power BI', 'Finance & Operations', 'Finance', 'Project Operations', 'Retail', 'Customer Insights'];
const reused = (version: string, area: string, from: string, metrics: string[], extra: string[] = []) => {
  const names = PAGES.find((p) => p.version === version && p.area === area && p.metric === from)!.names;
  for (const metric of metrics) PAGES.push({ version, area, metric, names: [...names, ...extra] });
};
PAGES.push({ version: '2023', area: 'business-applications', metric: 'usage-growth', names: BA23_RATE_CARD }, { version: '2023', area: 'business-applications', metric: 'deployments', names: BA23_RATE_CARD });
reused('2026', 'business-applications', 'usage-growth', ['deployments']);
reused('2023', 'modern-work', 'net-customer-adds', ['usage-growth', 'deployments']);
reused('2026', 'modern-work', 'net-customer-adds', ['deployments'], ['Teams Premium']);
reused('2023', 'security', 'net-customer-adds', ['usage-growth', 'deployments']);
reused('2026', 'security', 'net-customer-adds', ['usage-growth', 'deployments']);

/** Page names that differ from the rule sets' key, and the key each must land on (not merely some accepted key). */
const INTENDED_KEYS: Record<string, string> = {
  'F&O Bundle': 'fo-bundle',
  'Non-workload specific (F&O)': 'non-workload-specific-fo',
  Exchange: 'exchange-online',
  ProPlus: 'microsoft-365-apps',
  SharePoint: 'sharepoint-online',
  'Teams Platform': 'teams-apps',
  Yammer: 'viva-engage',
  'M365 Copilot': 'microsoft-365-copilot',
  'Teams for Frontline Workers': 'teams-frontline-workers',
  'Teams Rooms Monthly Active Devices': 'teams-rooms',
  'Azure AD for External Identities': 'azure-ad-external-identities',
  'Defender for Endpoint (P2 only)': 'defender-for-endpoint-p2',
  'Virtual Machine Licenses': 'virtual-machine-licenses',
  'Key Vault': 'key-vault',
  'Finance & Operations': 'finance-operations',
};

/** The workloads any source of the metric accepts, in any track (compiled as scoring compiles them). */
function accepted(rs: RuleSet, area: string, metric: string): { include: Set<string>; exclude: Set<string> } {
  const include = new Set<string>();
  const exclude = new Set<string>();
  const rules = rs.areas[area as keyof typeof rs.areas];
  for (const track of Object.values(rules.tracks)) {
    const m = track!.metrics.find((x) => x.id === metric);
    if (!m) continue;
    const sources = 'sources' in m ? m.sources : 'parts' in m ? m.parts.flatMap((p) => p.sources) : [];
    for (const s of sources) {
      const c = compileSource(s);
      if (c.include !== 'all') for (const k of c.include) include.add(k);
      for (const k of c.exclude) exclude.add(k);
    }
  }
  return { include, exclude };
}

describe('workload names as the rule pages write them', () => {
  for (const page of PAGES) {
    it(`V${page.version} ${page.area} ${page.metric}: every name on the page is accepted`, () => {
      const { include } = accepted(ruleSetByVersion(`v${page.version}`), page.area, page.metric);
      expect(include.size).toBeGreaterThan(0);
      expect(page.names.filter((n) => !include.has(workloadKey(n))).map((n) => `${n} -> ${workloadKey(n)}`)).toEqual([]);
    });
  }

  it('each renamed or abbreviated page name lands on the key it stands for', () => {
    expect(Object.entries(INTENDED_KEYS).filter(([n, k]) => workloadKey(n) !== k).map(([n, k]) => `${n} -> ${workloadKey(n)}, not ${k}`)).toEqual([]);
  });

  it('no two names of one page list collapse into one key', () => {
    const clashes: string[] = [];
    for (const page of PAGES) {
      const seen = new Map<string, string>();
      for (const n of page.names) {
        const k = workloadKey(n);
        if (seen.has(k) && seen.get(k) !== n) clashes.push(`V${page.version} ${page.area} ${page.metric}: ${seen.get(k)} and ${n} -> ${k}`);
        seen.set(k, n);
      }
    }
    expect(clashes).toEqual([]);
  });

  it('Azure deployments exclude Virtual Machines and Virtual Machine Licenses, spelt as the page spells them', () => {
    for (const v of ['2023', '2023-12', '2026']) {
      const { exclude } = accepted(ruleSetByVersion(`v${v}`), 'infrastructure', 'deployments');
      for (const n of ['Virtual Machines', 'Virtual Machine Licenses']) expect(exclude.has(workloadKey(n)), `V${v}: ${n}`).toBe(true);
    }
  });
});

describe('Virtual Machine Licenses through scoring', () => {
  it('earns no deployment however it is spelt, while another service does', () => {
    const months = ['2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11'];
    const rows = (workload: string) => months.map((m) => row('t-vm', m, 'azure', workload, 'PAL', { acrUsd: 800 }));
    const deploymentsOf = (workload: string) =>
      metric(area(snapshot({ associations: [assoc('PAL', 't-vm')], telemetry: rows(workload) }), 'infrastructure', '2026-12-01'), 'deployments').points;
    expect(deploymentsOf('Key Vault')).toBeGreaterThan(0);
    for (const spelling of ['Virtual Machine Licenses', 'virtual-machines-licenses', 'Virtual Machines']) expect(deploymentsOf(spelling), spelling).toBe(0);
  });
});
