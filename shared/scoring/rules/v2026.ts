import { atLeast, between, bothTracks, gt, gte, lte, moreThan, type PerTrack, type TrackName } from './builders';
import type { AreaRulesInput as AreaRules, RuleSetInput, SourceInput as Source } from './schema';

/**
 * Rules of the 2026 Microsoft Learn pages (AZ26, BA26, MW26, SEC26; reference §§3-6 as corrected by §14).
 * Linear metrics store the head-count or unit count that earns the maximum, not the rounded per-unit
 * values the pages print (2.14, 3.3, 6.67), because the pages' own examples use the exact fractions (§14 A1).
 * Each area keeps what differs between its SMB and Enterprise tracks in one `*_BY_TRACK` table.
 */

const OFFERS: Source['excludedOffers'] = ['support', 'internal', 'benefit-program', 'trial'];

// ---------- Azure ----------
const azureAll: Source = { label: 'Azure consumption', workloads: { platform: 'azure', include: 'all', exclude: [] }, associations: ['CSP', 'DPOR', 'PAL'], excludedOffers: OFFERS };
const azureDeployable: Source = { ...azureAll, label: 'Azure services except Virtual Machines', workloads: { platform: 'azure', include: 'all', exclude: ['Virtual Machines', 'Virtual Machine Licenses'] } };

/** AZ26: what differs between the Azure SMB and Enterprise tracks (the same for all three Azure areas). */
const AZURE_BY_TRACK = {
  netCustomerAddsMinAcrUsd: { enterprise: 1000, smb: 500 },
  skillingGateMinPeople: { enterprise: 2, smb: 1 },
  /** Enterprise gates are prerequisites; SMB gates earn flat points once met. */
  skillingGatePoints: { enterprise: 0, smb: 4 },
} satisfies Record<string, PerTrack<unknown>>;

const azureNca = (track: TrackName) => ({
  id: 'net-customer-adds' as const,
  name: 'Net customer adds',
  family: 'performance' as const,
  kind: 'net-count' as const,
  max: 30,
  combine: 'sum' as const,
  parts: [
    {
      label: 'Azure customers',
      sources: [azureAll],
      criterion: { measure: 'acrUsd' as const, by: 'tenant-sum' as const, window: { kind: 'any-month' as const, monthsAgo: [1, 2] }, range: atLeast(AZURE_BY_TRACK.netCustomerAddsMinAcrUsd[track]) },
      unitsForMax: 3,
      unitLabel: 'net new customers',
    },
  ],
});

const azureUsage = {
  id: 'usage-growth' as const,
  name: 'Usage growth',
  family: 'customer-success' as const,
  kind: 'growth-percent' as const,
  max: 20,
  sources: [azureAll],
  measure: 'acrUsd' as const,
  baselineMinimum: gte(1000),
  pointsPerPercent: 1,
  ttmVariantAllowed: true,
};

const azureDeployments = {
  id: 'deployments' as const,
  name: 'Deployments',
  family: 'customer-success' as const,
  kind: 'distinct-workloads' as const,
  max: 10,
  sources: [azureDeployable],
  measure: 'acrUsd' as const,
  window: { kind: 'ttm' as const, monthsAgo: 1 },
  range: moreThan(0),
  unitsForMax: 5,
  unitLabel: 'Azure services deployed',
};

const ADMIN = 'azure-administrator-associate';
const ARCHITECT = 'azure-solutions-architect-expert';

function azureSkilling(
  id: 'intermediate-certifications' | 'advanced-certifications',
  max: number,
  track: TrackName,
  gates: { label: string; certifications: string[] }[],
  certifications: string[],
) {
  return {
    id,
    name: id === 'intermediate-certifications' ? 'Intermediate certifications' : 'Advanced certifications',
    family: 'skilling' as const,
    kind: 'skilling' as const,
    max,
    gates: gates.map((g) => ({ ...g, minPeople: AZURE_BY_TRACK.skillingGateMinPeople[track], points: AZURE_BY_TRACK.skillingGatePoints[track] })),
    certifications,
    pointsPerPerson: 4,
  };
}

const DAI_CERTS = [
  'azure-database-administrator-associate',
  'azure-ai-engineer-associate',
  'azure-data-scientist-associate',
  'power-bi-data-analyst-associate',
  'azure-cosmos-db-developer-specialty',
  'fabric-analytics-engineer-associate',
  'fabric-data-engineer-associate',
  'sql-ai-developer-associate',
  'azure-ai-apps-agents-developer-associate',
  'machine-learning-operations-engineer-associate',
  'azure-databricks-data-engineer-associate',
];
const APPDEV_INT_CERTS = ['azure-developer-associate', 'power-platform-developer-associate', 'azure-ai-cloud-developer-associate', 'github-agentic-ai-developer'];
const APPDEV_ADV_CERTS = ['devops-engineer-expert', 'power-platform-solution-architect-expert', 'github-actions', 'github-administration', 'github-advanced-security', 'github-copilot'];
const INFRA_INT_CERTS = ['azure-network-engineer-associate', 'windows-server-hybrid-administrator-associate'];
const INFRA_ADV_CERTS = ['azure-virtual-desktop-specialty', 'azure-for-sap-workloads-specialty'];

const azureClassification = {
  kind: 'customer-segment-share' as const,
  smbShare: gte(0.8),
  sources: [azureAll],
  acrCeilingUsd: 1_000_000,
};

function azureArea(skilling: (track: TrackName) => AreaRules['tracks']['enterprise']['metrics']): AreaRules {
  return {
    trackMode: 'classified',
    classification: azureClassification,
    tracks: bothTracks((t) => ({ metrics: [azureNca(t), ...skilling(t), azureUsage, azureDeployments] })),
  };
}

const dataAi = azureArea((t) => [
  azureSkilling('intermediate-certifications', 40, t, [
    { label: 'Step 1: Azure Administrator Associate', certifications: [ADMIN] },
    { label: 'Step 2: Azure Solutions Architect Expert', certifications: [ARCHITECT] },
  ], DAI_CERTS),
]);
const infrastructure = azureArea((t) => [
  azureSkilling('intermediate-certifications', 20, t, [{ label: 'Step 1: Azure Administrator Associate', certifications: [ADMIN] }], INFRA_INT_CERTS),
  azureSkilling('advanced-certifications', 20, t, [{ label: 'Step 1: Azure Solutions Architect Expert', certifications: [ARCHITECT] }], INFRA_ADV_CERTS),
]);
const appInnovation = azureArea((t) => [
  azureSkilling('intermediate-certifications', 20, t, [{ label: 'Step 1: Azure Administrator Associate', certifications: [ADMIN] }], APPDEV_INT_CERTS),
  azureSkilling('advanced-certifications', 20, t, [{ label: 'Step 1: Azure Solutions Architect Expert', certifications: [ARCHITECT] }], APPDEV_ADV_CERTS),
]);

// ---------- Business Applications ----------
const D365_NCA_WORKLOADS = [
  'business-central', 'ce-bundle', 'commerce', 'contact-center', 'customer-insights', 'customer-service', 'fo-bundle', 'field-service', 'finance',
  'hr', 'intelligent-order-management', 'mixed-reality', 'omni-channel', 'project-operations', 'sales', 'supply-chain', 'non-workload-specific', 'non-workload-specific-fo',
];
const PP_NCA_WORKLOADS = ['ai-builder', 'power-apps', 'power-automate', 'power-bi', 'power-pages', 'power-virtual-agent', 'copilot-studio', 'copilot-studio-payg'];
const BA_NCA_ASSOCIATIONS = ['CPOR:revrec', 'CPOR:osa', 'CPOR:revrec-performance', 'CSP', 'DPOR'] as const;

const baNcaSources: Source[] = [
  { label: 'Dynamics 365 revenue', workloads: { platform: 'dynamics-365', include: D365_NCA_WORKLOADS, exclude: [] }, associations: [...BA_NCA_ASSOCIATIONS], excludedOffers: OFFERS },
  { label: 'Power Platform revenue', workloads: { platform: 'power-platform', include: PP_NCA_WORKLOADS, exclude: [] }, associations: [...BA_NCA_ASSOCIATIONS], excludedOffers: OFFERS },
];

/** BA26 MCV rate card: MCV = units x rate. */
const MCV_RATES: Record<string, number> = {
  'business-central': 1000,
  'core-hr': 1000,
  guides: 1000,
  'remote-assist': 1000,
  'talent-attract': 1000,
  'talent-onboard': 1000,
  'common-data-service': 200,
  'customer-engagement': 200,
  sales: 200,
  'sales-insights': 200,
  'customer-service': 200,
  'field-service': 200,
  'power-apps': 200,
  'power-automate': 200,
  'power-bi': 200,
  'finance-operations': 100,
  finance: 100,
  'project-operations': 100,
  retail: 100,
  'customer-insights': 0.2,
  'contact-center': 200,
  portals: 100,
};

const D365_MCV_WORKLOADS = [
  'business-central', 'contact-center', 'common-data-service', 'customer-engagement', 'sales', 'sales-insights', 'customer-service', 'field-service',
  'core-hr', 'finance-operations', 'finance', 'project-operations', 'guides', 'remote-assist', 'retail', 'talent-attract', 'talent-onboard',
];
const baMcvSources: Source[] = [
  { label: 'Dynamics 365 (CPOR usage, DPOR, CSP)', workloads: { platform: 'dynamics-365', include: D365_MCV_WORKLOADS, exclude: [] }, associations: ['CPOR:osu', 'DPOR', 'CSP'], excludedOffers: OFFERS, mcvRates: MCV_RATES },
  { label: 'Customer Insights (PAL)', workloads: { platform: 'dynamics-365', include: ['customer-insights'], exclude: [] }, associations: ['PAL'], excludedOffers: OFFERS, mcvRates: MCV_RATES },
  { label: 'Power Platform (PAL)', workloads: { platform: 'power-platform', include: ['power-apps', 'power-automate', 'power-bi', 'portals'], exclude: [] }, associations: ['PAL'], excludedOffers: OFFERS, mcvRates: MCV_RATES },
];

const BA_INT_CERTS = [
  'd365-finance-functional-consultant', 'd365-finance-operations-apps-developer', 'd365-supply-chain-functional-consultant', 'd365-customer-service-functional-consultant',
  'd365-field-service-functional-consultant', 'd365-business-central-functional-consultant', 'power-bi-data-analyst-associate', 'power-platform-functional-consultant',
  'power-platform-developer-associate', 'power-automate-rpa-developer', 'd365-customer-experience-analyst', 'd365-sales-ai-consultant', 'intelligent-applications-builder',
  'd365-contact-center-ai-engineer',
];
const BA_ADV_CERTS = [
  'd365-supply-chain-functional-consultant-expert', 'd365-finance-operations-solution-architect-expert', 'power-platform-solution-architect-expert',
  'd365-business-central-developer-associate', 'agentic-ai-business-solutions-architect',
];

/** BA26: what differs between the Business Applications SMB and Enterprise tracks. */
const BA_BY_TRACK = {
  netCustomerAddsMinRevenueUsd: { enterprise: 1500, smb: 250 },
  intermediatePointsPerPerson: { enterprise: 1, smb: 4 },
  advancedPeopleForMax: { enterprise: 7, smb: 2 },
  usageGrowthBaselineMinMcv: { enterprise: 50_000, smb: 25_000 },
  deploymentsMinMcv: { enterprise: 10_000, smb: 5_000 },
} satisfies Record<string, PerTrack<unknown>>;

const baTrack = (t: TrackName) => ({
  metrics: [
    {
      id: 'net-customer-adds' as const, name: 'Net customer adds', family: 'performance' as const, kind: 'net-count' as const, max: 15, combine: 'sum' as const,
      parts: [{
        label: 'Workload x tenant adds',
        sources: baNcaSources,
        criterion: { measure: 'revenueUsd' as const, by: 'per-workload' as const, window: { kind: 'month' as const, monthsAgo: 1 }, range: atLeast(BA_BY_TRACK.netCustomerAddsMinRevenueUsd[t]) },
        unitsForMax: 5,
        unitLabel: 'net workload adds',
      }],
    },
    { id: 'intermediate-certifications' as const, name: 'Intermediate certifications', family: 'skilling' as const, kind: 'skilling' as const, max: 20, certifications: BA_INT_CERTS, pointsPerPerson: BA_BY_TRACK.intermediatePointsPerPerson[t] },
    { id: 'advanced-certifications' as const, name: 'Advanced certifications', family: 'skilling' as const, kind: 'skilling' as const, max: 15, certifications: BA_ADV_CERTS, peopleForMax: BA_BY_TRACK.advancedPeopleForMax[t] },
    { id: 'usage-growth' as const, name: 'Usage growth', family: 'customer-success' as const, kind: 'growth-percent' as const, max: 30, sources: baMcvSources, measure: 'mcv' as const, baselineMinimum: gte(BA_BY_TRACK.usageGrowthBaselineMinMcv[t]), pointsPerPercent: 1 },
    {
      id: 'deployments' as const, name: 'Deployments', family: 'customer-success' as const, kind: 'net-count' as const, max: 20, combine: 'sum' as const,
      parts: [{
        label: 'Workload deployments',
        sources: baMcvSources,
        criterion: { measure: 'mcv' as const, by: 'per-workload' as const, window: { kind: 'month' as const, monthsAgo: 1 }, range: atLeast(BA_BY_TRACK.deploymentsMinMcv[t]) },
        unitsForMax: 5,
        unitLabel: 'net workload deployments',
      }],
    },
  ],
});

const businessApplications: AreaRules = {
  trackMode: 'classified',
  classification: {
    kind: 'workload-revenue',
    minWorkloads: 5,
    revenue: gt(5000),
    monthsAgo: [1, 13],
    sources: baNcaSources.map((s) => ({ ...s, associations: [...s.associations, 'CPOR:osu', 'PAL'] })),
  },
  tracks: bothTracks(baTrack),
};

// ---------- Modern Work ----------
const MW_WORKLOADS = [
  'exchange-online', 'intune', 'microsoft-365-copilot', 'microsoft-365-apps', 'entra-id-p1', 'sharepoint-online', 'teams', 'teams-apps', 'teams-frontline-workers',
  'teams-meetings', 'teams-phone', 'teams-phone-calling', 'teams-phone-enabled-users', 'teams-rooms', 'viva-connections', 'viva-engage', 'viva-goals', 'viva-insights',
  'viva-learning', 'viva-topics', 'windows-365',
];
const MW_USAGE_WORKLOADS = [...MW_WORKLOADS, 'teams-premium'];
const MW_INT_CERTS = ['microsoft-365-fundamentals', 'teams-administrator-associate', 'identity-access-administrator-associate', 'collaboration-communications-systems-engineer-associate', 'endpoint-administrator-associate', 'copilot-agent-administration-fundamentals'];
const MW_ADV_CERTS = ['microsoft-365-enterprise-administrator-expert', 'teams-meetings-rooms-technical-assessment'];

/** MW26: what differs between the Modern Work SMB and Enterprise tracks. */
const MW_BY_TRACK = {
  /** The association that counts besides CPOR. */
  otherAssociation: { enterprise: 'DPOR', smb: 'CSP' },
  /** Paid seats on at least one workload that put a tenant in the track (net customer adds, usage growth and deployments). */
  tenantPaidSeats: { enterprise: moreThan(300), smb: between(11, 300) },
  promotedTenantRule: { enterprise: false, smb: true },
  netCustomerAddsLabel: { enterprise: 'Tenants with more than 300 paid seats (CPOR, DPOR)', smb: 'Tenants with 11-300 paid seats (CPOR, CSP)' },
  netCustomerAddsUnitsForMax: { enterprise: 5, smb: 10 },
  intermediatePeopleForMax: { enterprise: 4, smb: 2 },
  advancedPeopleForMax: { enterprise: 2, smb: 1 },
  usageGrowthCporActiveUsersForMax: { enterprise: 1000, smb: 500 },
  usageGrowthOtherActiveUsersForMax: { enterprise: 4000, smb: 2000 },
} as const satisfies Record<string, PerTrack<unknown>>;

const mwSource = (workloads: string[], association: 'CPOR:use-or-consume' | 'DPOR' | 'CSP', label: string): Source => ({
  label, workloads: { platform: 'microsoft-365', include: workloads, exclude: [] }, associations: [association], excludedOffers: OFFERS,
});

const mwTrack = (t: TrackName) => {
  const other = MW_BY_TRACK.otherAssociation[t];
  const tenantScope = { measure: 'paidSeats' as const, by: 'any-workload' as const, window: { kind: 'month' as const, monthsAgo: 1 }, range: MW_BY_TRACK.tenantPaidSeats[t], promotedTenantRule: MW_BY_TRACK.promotedTenantRule[t] };
  return {
    metrics: [
      {
        id: 'net-customer-adds' as const, name: 'Net customer adds', family: 'performance' as const, kind: 'net-count' as const, max: 20, combine: 'sum' as const,
        parts: [{
          label: MW_BY_TRACK.netCustomerAddsLabel[t],
          // One source with both associations: a tenant reached through two association types is one customer (deduplicated).
          sources: [{ ...mwSource(MW_WORKLOADS, 'CPOR:use-or-consume', 'Microsoft 365'), associations: ['CPOR:use-or-consume' as const, other] }],
          criterion: tenantScope,
          unitsForMax: MW_BY_TRACK.netCustomerAddsUnitsForMax[t],
          unitLabel: 'net new customers',
        }],
      },
      { id: 'intermediate-certifications' as const, name: 'Intermediate certifications', family: 'skilling' as const, kind: 'skilling' as const, max: 10, certifications: MW_INT_CERTS, peopleForMax: MW_BY_TRACK.intermediatePeopleForMax[t] },
      { id: 'advanced-certifications' as const, name: 'Advanced certifications', family: 'skilling' as const, kind: 'skilling' as const, max: 15, certifications: MW_ADV_CERTS, peopleForMax: MW_BY_TRACK.advancedPeopleForMax[t] },
      {
        id: 'usage-growth' as const, name: 'Usage growth', family: 'customer-success' as const, kind: 'growth-absolute' as const, max: 30, combine: 'best' as const,
        parts: [
          { label: 'CPOR', sources: [mwSource(MW_USAGE_WORKLOADS, 'CPOR:use-or-consume', 'CPOR')], measure: 'activeUsers' as const, scope: tenantScope, unitsForMax: MW_BY_TRACK.usageGrowthCporActiveUsersForMax[t], unitLabel: 'active users', sinceAssociation: true },
          { label: other, sources: [mwSource(MW_USAGE_WORKLOADS, other, other)], measure: 'activeUsers' as const, scope: tenantScope, unitsForMax: MW_BY_TRACK.usageGrowthOtherActiveUsersForMax[t], unitLabel: 'active users', sinceAssociation: true },
        ],
      },
      {
        id: 'deployments' as const, name: 'Deployments', family: 'customer-success' as const, kind: 'net-count' as const, max: 25, combine: 'best' as const,
        parts: [
          { label: 'CPOR', sources: [mwSource(MW_USAGE_WORKLOADS, 'CPOR:use-or-consume', 'CPOR')], criterion: { ...tenantScope, activeShare: gte(0.4) }, unitsForMax: 5, unitLabel: 'net new deployments', excludeAlreadyMetAtAssociation: true },
          { label: other, sources: [mwSource(MW_USAGE_WORKLOADS, other, other)], criterion: { ...tenantScope, activeShare: gte(0.4) }, unitsForMax: 10, unitLabel: 'net new deployments', excludeAlreadyMetAtAssociation: true },
        ],
      },
    ],
  };
};

const modernWork: AreaRules = { trackMode: 'best-of', tracks: bothTracks(mwTrack) };

// ---------- Security ----------
const SEC_AZURE_SERVICES = [
  'application-gateway', 'azure-ad-b2c', 'azure-ad-external-identities', 'azure-bastion', 'azure-ddos-protection', 'azure-firewall', 'azure-firewall-manager',
  'azure-front-door-service', 'azure-iot-security', 'key-vault', 'microsoft-defender-for-cloud', 'microsoft-entra', 'entra-domain-services', 'entra-verified-id',
  'microsoft-purview', 'microsoft-security-copilot', 'sentinel',
];
const SEC_M365_WORKLOADS = ['entra-id-p1', 'defender-for-office-365', 'defender-for-endpoint-p2', 'defender-for-identity', 'purview-information-protection', 'intune'];
const secAzure: Source = { label: 'Azure security services (PAL, CSP)', workloads: { platform: 'azure', include: SEC_AZURE_SERVICES, exclude: [] }, associations: ['PAL', 'CSP'], excludedOffers: OFFERS };
const secM365: Source = { label: 'Microsoft 365 security workloads (CPOR, CSP)', workloads: { platform: 'microsoft-365', include: SEC_M365_WORKLOADS, exclude: [] }, associations: ['CPOR:use-or-consume', 'CSP'], excludedOffers: OFFERS };

/** SEC26: what differs between the Security SMB and Enterprise tracks. */
const SEC_BY_TRACK = {
  m365PaidSeats: { enterprise: moreThan(300), smb: between(5, 300) },
  promotedTenantRule: { enterprise: false, smb: true },
  netCustomerAddsUnitsForMax: { enterprise: 10, smb: 5 },
  skillingGateMinPeople: { enterprise: 2, smb: 1 },
  /** Enterprise gates are prerequisites; SMB gates earn flat points once met. */
  skillingGatePoints: { enterprise: 0, smb: 4 },
  skillingScale: { enterprise: { peopleForMax: 6 }, smb: { pointsPerPerson: 8 } },
  usageGrowthAzureAcrUsd: { enterprise: moreThan(12_000), smb: { min: gt(0), max: lte(12_000) } },
  usageGrowthAcrUsdForMax: { enterprise: 25_000, smb: 15_000 },
  usageGrowthProtectedUsersForMax: { enterprise: 2500, smb: 1000 },
  deploymentsAzureAcrUsd: { enterprise: moreThan(12_000), smb: between(750, 12_000) },
} satisfies Record<string, PerTrack<unknown>>;

const securityTrack = (t: TrackName) => {
  const m365Scope = { measure: 'paidSeats' as const, by: 'any-workload' as const, window: { kind: 'month' as const, monthsAgo: 1 }, range: SEC_BY_TRACK.m365PaidSeats[t], promotedTenantRule: SEC_BY_TRACK.promotedTenantRule[t] };
  const azureTtm = { kind: 'ttm' as const, monthsAgo: 1 };
  const gate = { minPeople: SEC_BY_TRACK.skillingGateMinPeople[t], points: SEC_BY_TRACK.skillingGatePoints[t] };
  return {
    metrics: [
      {
        id: 'net-customer-adds' as const, name: 'Net customer adds', family: 'performance' as const, kind: 'net-count' as const, max: 20, combine: 'sum' as const,
        parts: [
          { label: 'Azure', sources: [secAzure], criterion: { measure: 'acrUsd' as const, by: 'tenant-sum' as const, window: azureTtm, range: atLeast(600) }, unitsForMax: SEC_BY_TRACK.netCustomerAddsUnitsForMax[t], unitLabel: 'net new customers' },
          { label: 'Microsoft 365', sources: [secM365], criterion: m365Scope, unitsForMax: SEC_BY_TRACK.netCustomerAddsUnitsForMax[t], unitLabel: 'net new customers' },
        ],
      },
      {
        id: 'intermediate-certifications' as const, name: 'Intermediate certifications', family: 'skilling' as const, kind: 'skilling' as const, max: 40,
        gates: [
          { label: 'Step 1: Azure Security Engineer or Cloud and AI Security Engineer', certifications: ['azure-security-engineer-associate', 'cloud-ai-security-engineer-associate'], ...gate },
          { label: 'Step 2: Security Operations Analyst', certifications: ['security-operations-analyst-associate'], ...gate },
        ],
        certifications: ['cybersecurity-architect-expert', 'identity-access-administrator-associate', 'information-protection-administrator-associate', 'information-security-administrator-associate'],
        ...SEC_BY_TRACK.skillingScale[t],
      },
      {
        id: 'usage-growth' as const, name: 'Usage growth', family: 'customer-success' as const, kind: 'growth-absolute' as const, max: 20, combine: 'sum' as const,
        parts: [
          { label: 'Azure security ACR', sources: [secAzure], measure: 'acrUsd' as const, scope: { measure: 'acrUsd' as const, by: 'tenant-sum' as const, window: azureTtm, range: SEC_BY_TRACK.usageGrowthAzureAcrUsd[t], promotedTenantRule: SEC_BY_TRACK.promotedTenantRule[t] }, unitsForMax: SEC_BY_TRACK.usageGrowthAcrUsdForMax[t], unitLabel: 'USD ACR growth' },
          { label: 'Microsoft 365 protected users', sources: [secM365], measure: 'protectedUsers' as const, scope: m365Scope, unitsForMax: SEC_BY_TRACK.usageGrowthProtectedUsersForMax[t], unitLabel: 'protected users growth' },
        ],
      },
      {
        id: 'deployments' as const, name: 'Deployments', family: 'customer-success' as const, kind: 'net-count' as const, max: 20, combine: 'sum' as const,
        parts: [
          { label: 'Azure', sources: [secAzure], criterion: { measure: 'acrUsd' as const, by: 'tenant-sum' as const, window: azureTtm, range: SEC_BY_TRACK.deploymentsAzureAcrUsd[t], promotedTenantRule: SEC_BY_TRACK.promotedTenantRule[t] }, unitsForMax: 6, unitLabel: 'net new deployments' },
          { label: 'Microsoft 365', sources: [secM365], criterion: { ...m365Scope, activeShare: gte(0.15) }, unitsForMax: 6, unitLabel: 'net new deployments' },
        ],
      },
    ],
  };
};

const security: AreaRules = { trackMode: 'best-of', tracks: bothTracks(securityTrack) };

export const v2026: RuleSetInput = {
  version: 'v2026',
  name: 'Microsoft Learn pages as captured in 2025-26 (with Azure and Security SMB tracks)',
  effectiveFrom: '2025-07-01',
  effectiveFromNote:
    'Assumption: the reference brackets these pages between Oct 2023 and May 2026 and dates their content after 31 May 2025 (§14 A6); ' +
    'the engine applies them from the start of Microsoft fiscal year 2026 (1 Jul 2025).',
  sources: ['AZ26', 'BA26', 'MW26', 'SEC26', 'PCS24'],
  certifications: [
    // Azure
    { id: ADMIN, name: 'Azure Administrator Associate', exams: ['AZ-104'], level: 'associate' },
    { id: ARCHITECT, name: 'Azure Solutions Architect Expert', exams: ['AZ-305'], level: 'expert' },
    { id: 'azure-database-administrator-associate', name: 'Azure Database Administrator Associate', exams: ['DP-300'], level: 'associate' },
    { id: 'azure-ai-engineer-associate', name: 'Azure AI Engineer Associate', exams: ['AI-102'], level: 'associate', retiredOn: '2026-06-30' },
    { id: 'azure-data-scientist-associate', name: 'Azure Data Scientist Associate', exams: ['DP-100'], level: 'associate', retiredOn: '2026-06-01' },
    { id: 'power-bi-data-analyst-associate', name: 'Power BI Data Analyst Associate', exams: ['PL-300'], level: 'associate' },
    { id: 'azure-cosmos-db-developer-specialty', name: 'Azure Cosmos DB Developer Specialty', exams: ['DP-420'], level: 'specialty' },
    { id: 'fabric-analytics-engineer-associate', name: 'Fabric Analytics Engineer Associate', exams: ['DP-600'], level: 'associate' },
    { id: 'fabric-data-engineer-associate', name: 'Fabric Data Engineer Associate', exams: ['DP-700'], level: 'associate' },
    { id: 'sql-ai-developer-associate', name: 'SQL AI Developer Associate', level: 'associate' },
    { id: 'azure-ai-apps-agents-developer-associate', name: 'Azure AI Apps and Agents Developer Associate', level: 'associate' },
    { id: 'machine-learning-operations-engineer-associate', name: 'Machine Learning Operations Engineer Associate', level: 'associate' },
    { id: 'azure-databricks-data-engineer-associate', name: 'Azure Databricks Data Engineer Associate', level: 'associate' },
    { id: 'azure-developer-associate', name: 'Azure Developer Associate', exams: ['AZ-204'], level: 'associate', retiredOn: '2026-07-31' },
    { id: 'power-platform-developer-associate', name: 'Power Platform Developer Associate', exams: ['PL-400'], level: 'associate' },
    { id: 'azure-ai-cloud-developer-associate', name: 'Azure AI Cloud Developer Associate', level: 'associate' },
    { id: 'github-agentic-ai-developer', name: 'GitHub Certified: Agentic AI Developer', level: 'other' },
    { id: 'devops-engineer-expert', name: 'DevOps Engineer Expert', exams: ['AZ-400'], level: 'expert' },
    { id: 'power-platform-solution-architect-expert', name: 'Power Platform Solution Architect Expert', exams: ['PL-600'], level: 'expert', retiredOn: '2026-06-30', note: 'BA26 footnotes the retirement; AZ26 does not. Applied per certification everywhere (reference §14 B12).' },
    { id: 'github-actions', name: 'GitHub Actions', exams: ['GH-200'], level: 'other' },
    { id: 'github-administration', name: 'GitHub Administration', exams: ['GH-100'], level: 'other' },
    { id: 'github-advanced-security', name: 'GitHub Advanced Security', exams: ['GH-500'], level: 'other' },
    { id: 'github-copilot', name: 'GitHub Copilot', exams: ['GH-300'], level: 'other' },
    { id: 'azure-network-engineer-associate', name: 'Azure Network Engineer Associate', exams: ['AZ-700'], level: 'associate' },
    { id: 'windows-server-hybrid-administrator-associate', name: 'Windows Server Hybrid Administrator Associate', exams: ['AZ-800', 'AZ-801'], level: 'associate' },
    { id: 'azure-virtual-desktop-specialty', name: 'Azure Virtual Desktop Specialty', exams: ['AZ-140'], level: 'specialty' },
    { id: 'azure-for-sap-workloads-specialty', name: 'Azure for SAP Workloads Specialty', exams: ['AZ-120'], level: 'specialty' },
    // Business Applications
    { id: 'd365-finance-functional-consultant', name: 'Dynamics 365 Finance Functional Consultant Associate', exams: ['MB-310'], level: 'associate' },
    { id: 'd365-finance-operations-apps-developer', name: 'Dynamics 365 Finance and Operations Apps Developer Associate', exams: ['MB-500'], level: 'associate' },
    { id: 'd365-supply-chain-functional-consultant', name: 'Dynamics 365 Supply Chain Management Functional Consultant Associate', exams: ['MB-330'], level: 'associate' },
    { id: 'd365-customer-service-functional-consultant', name: 'Dynamics 365 Customer Service Functional Consultant Associate', exams: ['MB-230'], level: 'associate' },
    { id: 'd365-field-service-functional-consultant', name: 'Dynamics 365 Field Service Functional Consultant Associate', exams: ['MB-240'], level: 'associate', retiredOn: '2026-06-30' },
    { id: 'd365-business-central-functional-consultant', name: 'Dynamics 365 Business Central Functional Consultant Associate', exams: ['MB-800'], level: 'associate' },
    { id: 'power-platform-functional-consultant', name: 'Power Platform Functional Consultant Associate', exams: ['PL-200'], level: 'associate', retiredOn: '2026-08-31' },
    { id: 'power-automate-rpa-developer', name: 'Power Automate RPA Developer Associate', exams: ['PL-500'], level: 'associate', retiredOn: '2026-06-30' },
    { id: 'd365-customer-experience-analyst', name: 'Dynamics 365 Customer Experience Analyst Associate', level: 'associate', retiredOn: '2026-07-31' },
    { id: 'd365-sales-ai-consultant', name: 'Dynamics 365 Sales AI Consultant', level: 'associate' },
    { id: 'intelligent-applications-builder', name: 'Intelligent Applications Builder', level: 'associate' },
    { id: 'd365-contact-center-ai-engineer', name: 'Dynamics 365 Contact Center AI Engineer', level: 'associate' },
    { id: 'd365-supply-chain-functional-consultant-expert', name: 'Dynamics 365 Supply Chain Management Functional Consultant Expert', exams: ['MB-335'], level: 'expert', retiredOn: '2026-06-30' },
    { id: 'd365-finance-operations-solution-architect-expert', name: 'Dynamics 365 Finance and Operations Apps Solution Architect Expert', exams: ['MB-700'], level: 'expert', retiredOn: '2026-06-30' },
    { id: 'd365-business-central-developer-associate', name: 'Dynamics 365 Business Central Developer Associate', exams: ['MB-820'], level: 'associate', note: 'An associate counted as advanced by BA26.' },
    { id: 'agentic-ai-business-solutions-architect', name: 'Agentic AI Business Solutions Architect', level: 'expert' },
    // Modern Work
    { id: 'microsoft-365-fundamentals', name: 'Microsoft 365 Fundamentals', exams: ['MS-900'], level: 'fundamentals', neverExpires: true, retiredOn: '2026-03-31', eligibleUntil: '2027-03-31' },
    { id: 'teams-administrator-associate', name: 'Teams Administrator Associate', exams: ['MS-700'], level: 'associate' },
    { id: 'identity-access-administrator-associate', name: 'Identity and Access Administrator Associate', exams: ['SC-300'], level: 'associate' },
    { id: 'collaboration-communications-systems-engineer-associate', name: 'Collaboration Communications Systems Engineer Associate', exams: ['MS-721'], level: 'associate' },
    { id: 'endpoint-administrator-associate', name: 'Endpoint Administrator Associate', exams: ['MD-102'], level: 'associate' },
    { id: 'copilot-agent-administration-fundamentals', name: 'Copilot and Agent Administration Fundamentals', level: 'fundamentals', neverExpires: true },
    { id: 'microsoft-365-enterprise-administrator-expert', name: 'Microsoft 365 Enterprise Administrator Expert', exams: ['MS-102'], level: 'expert', retiredOn: '2026-11-30', eligibleUntil: '2027-11-30' },
    { id: 'teams-meetings-rooms-technical-assessment', name: 'Teams Meetings and Meeting Rooms Technical Assessment (Partner University)', level: 'assessment', neverExpires: true, retiredOn: '2026-06-15', eligibleUntil: '2027-06-15' },
    // Security
    { id: 'azure-security-engineer-associate', name: 'Azure Security Engineer Associate', exams: ['AZ-500'], level: 'associate', retiredOn: '2026-08-31' },
    { id: 'cloud-ai-security-engineer-associate', name: 'Cloud and AI Security Engineer Associate', level: 'associate' },
    { id: 'security-operations-analyst-associate', name: 'Security Operations Analyst Associate', exams: ['SC-200'], level: 'associate' },
    { id: 'cybersecurity-architect-expert', name: 'Cybersecurity Architect Expert', exams: ['SC-100'], level: 'expert' },
    { id: 'information-protection-administrator-associate', name: 'Information Protection Administrator Associate', exams: ['SC-400'], level: 'associate', retiredOn: '2025-05-31', eligibleUntil: '2026-05-31' },
    { id: 'information-security-administrator-associate', name: 'Information Security Administrator Associate', exams: ['SC-401'], level: 'associate' },
  ],
  areas: {
    'data-ai': dataAi,
    infrastructure,
    'digital-app-innovation': appInnovation,
    'business-applications': businessApplications,
    'modern-work': modernWork,
    security,
  },
};
