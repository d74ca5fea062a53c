/**
 * Other names of one workload, as normalised keys, mapped to the key the rule sets use. The rule pages write
 * names their own way ("F&O Bundle", "Teams Rooms Monthly Active Devices"), products were renamed between
 * versions ("Yammer" is Viva Engage, "ProPlus" is Microsoft 365 Apps), and early rule data carried a misspelt key
 * that senders may have copied. test/scoring/workload-names.test.ts feeds every name on the pages through this.
 */
export const WORKLOAD_ALIASES: Readonly<Record<string, string>> = {
  // Business Applications
  'f-o-bundle': 'fo-bundle',
  'non-workload-specific-f-o': 'non-workload-specific-fo',
  // Modern Work: V2023 page names and renames
  exchange: 'exchange-online',
  proplus: 'microsoft-365-apps',
  sharepoint: 'sharepoint-online',
  'teams-platform': 'teams-apps',
  yammer: 'viva-engage',
  'm365-copilot': 'microsoft-365-copilot',
  'teams-for-frontline-workers': 'teams-frontline-workers',
  'teams-rooms-monthly-active-devices': 'teams-rooms',
  // Security
  'azure-ad-for-external-identities': 'azure-ad-external-identities',
  'defender-for-endpoint-p2-only': 'defender-for-endpoint-p2',
  // Azure: the key the deployment exclusion carried before it was spelt as the page spells it.
  'virtual-machines-licenses': 'virtual-machine-licenses',
};
