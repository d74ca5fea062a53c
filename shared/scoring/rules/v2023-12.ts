import { atLeast, between, bothTracks, gt, gte, moreThan, type PerTrack, type TrackName } from './builders';
import type { AreaRulesInput as AreaRules, RuleSetInput, SourceInput as Source } from './schema';

/**
 * The 2023 rule set with the Security skilling change that SEC23 announced for 1 Dec 2023: two people per gate step,
 * and Security Operations Analyst no longer earns points in step 3. Everything else is as in v2023, written out
 * here so that this file stands alone (AZ23, BA23, MW23, SEC23; mirror kvamseek/partner-center @85eb3c4).
 * Each classified or best-of area keeps what differs between its SMB and Enterprise tracks in one `*_BY_TRACK` table.
 */

const OFFERS: Source['excludedOffers'] = ['support', 'internal', 'benefit-program', 'trial'];
const azureAll: Source = { label: 'Azure consumption', workloads: { platform: 'azure', include: 'all', exclude: [] }, associations: ['CSP', 'DPOR', 'PAL'], excludedOffers: OFFERS };
const azureDeployable: Source = { ...azureAll, label: 'Azure services except Virtual Machines', workloads: { platform: 'azure', include: 'all', exclude: ['Virtual Machines', 'Virtual Machine Licenses'] } };

const ADMIN = 'azure-administrator-associate';
const ARCHITECT = 'azure-solutions-architect-expert';

function azureArea(skilling: AreaRules['tracks']['enterprise']['metrics']): AreaRules {
  return {
    trackMode: 'single',
    tracks: {
      enterprise: {
        metrics: [
          {
            id: 'net-customer-adds', name: 'Net customer adds', family: 'performance', kind: 'net-count', max: 30, combine: 'sum', baselineMonthsAgo: 12,
            parts: [{
              label: 'Azure customers', sources: [azureAll], unitsForMax: 3, unitLabel: 'net new customers', excludeAlreadyMetAtAssociation: false,
              criterion: { measure: 'acrUsd', by: 'tenant-sum', window: { kind: 'any-month', monthsAgo: [1, 2] }, range: atLeast(1000), promotedTenantRule: false },
            }],
          },
          ...skilling,
          { id: 'usage-growth', name: 'Usage growth', family: 'customer-success', kind: 'growth-percent', max: 20, sources: [azureAll], measure: 'acrUsd', baselineMinimum: gte(1000), pointsPerPercent: 1, ttmVariantAllowed: true },
          {
            id: 'deployments', name: 'Deployments', family: 'customer-success', kind: 'distinct-workloads', max: 10, sources: [azureDeployable], measure: 'acrUsd',
            window: { kind: 'ttm', monthsAgo: 1 }, range: moreThan(0), unitsForMax: 5, unitLabel: 'Azure services deployed',
          },
        ],
      },
    },
  };
}

const gated = (id: 'intermediate-certifications' | 'advanced-certifications', max: number, gates: [string, string][], certifications: string[]) => ({
  id,
  name: id === 'intermediate-certifications' ? 'Intermediate certifications' : 'Advanced certifications',
  family: 'skilling' as const,
  kind: 'skilling' as const,
  max,
  gates: gates.map(([label, cert]) => ({ label, certifications: [cert], minPeople: 2, points: 0 })),
  certifications,
  pointsPerPerson: 4,
});

// ---------- Business Applications (2023 workload lists) ----------
const D365_NCA_WORKLOADS = [
  'business-central', 'ce-bundle', 'commerce', 'customer-insights', 'customer-service', 'fo-bundle', 'field-service', 'finance', 'fraud-protection', 'hr',
  'intelligent-order-management', 'marketing', 'mixed-reality', 'omni-channel', 'project-operations', 'sales', 'supply-chain', 'non-workload-specific',
];
const PP_NCA_WORKLOADS = ['ai-builder', 'power-apps', 'power-automate', 'power-bi', 'power-pages', 'power-virtual-agent'];
const BA_NCA_ASSOCIATIONS = ['CPOR:revrec', 'CPOR:osa', 'CPOR:revrec-performance', 'CSP', 'DPOR'] as const;
const baNcaSources: Source[] = [
  { label: 'Dynamics 365 revenue', workloads: { platform: 'dynamics-365', include: D365_NCA_WORKLOADS, exclude: [] }, associations: [...BA_NCA_ASSOCIATIONS], excludedOffers: OFFERS },
  { label: 'Power Platform revenue', workloads: { platform: 'power-platform', include: PP_NCA_WORKLOADS, exclude: [] }, associations: [...BA_NCA_ASSOCIATIONS], excludedOffers: OFFERS },
];
/** BA23 MCV rate card: MCV = units x rate. */
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
};
const D365_MCV_WORKLOADS = [
  'business-central', 'common-data-service', 'customer-engagement', 'sales', 'sales-insights', 'customer-service', 'field-service', 'core-hr',
  'finance-operations', 'finance', 'project-operations', 'guides', 'remote-assist', 'retail', 'talent-attract', 'talent-onboard',
];
const baMcvSources: Source[] = [
  // BA23: CSP usage was counted but displayed as DPOR, so CSP counts here too.
  { label: 'Dynamics 365 (CPOR usage, DPOR, CSP)', workloads: { platform: 'dynamics-365', include: D365_MCV_WORKLOADS, exclude: [] }, associations: ['CPOR:osu', 'DPOR', 'CSP'], excludedOffers: OFFERS, mcvRates: MCV_RATES },
  { label: 'Customer Insights (PAL)', workloads: { platform: 'dynamics-365', include: ['customer-insights'], exclude: [] }, associations: ['PAL'], excludedOffers: OFFERS, mcvRates: MCV_RATES },
  { label: 'Power Platform (PAL)', workloads: { platform: 'power-platform', include: ['power-apps', 'power-automate', 'power-bi'], exclude: [] }, associations: ['PAL'], excludedOffers: OFFERS, mcvRates: MCV_RATES },
];

// BA23's Power Platform App Maker (not eligible from 1 Dec 2023) and Dynamics 365 + Power Platform Solution Architect
// Expert (not eligible from 1 Jul 2023) can never count from this version's first day, so its metrics leave them
// out; their definitions below stay, so a holder is told why they do not count.
const BA_INT_CERTS = [
  'd365-finance-functional-consultant', 'd365-commerce-functional-consultant', 'd365-finance-operations-apps-developer', 'd365-supply-chain-functional-consultant',
  'd365-supply-chain-manufacturing-functional-consultant', 'd365-customer-service-functional-consultant', 'd365-sales-functional-consultant',
  'd365-field-service-functional-consultant', 'd365-business-central-functional-consultant', 'd365-marketing-functional-consultant',
  'power-bi-data-analyst-associate', 'power-platform-functional-consultant', 'power-platform-developer-associate', 'customer-data-platform-specialty',
  'azure-enterprise-data-analyst-associate', 'power-automate-rpa-developer',
];
const BA_ADV_CERTS = ['d365-supply-chain-functional-consultant-expert', 'd365-finance-operations-solution-architect-expert', 'power-platform-solution-architect-expert'];

/** BA23: what differs between the Business Applications SMB and Enterprise tracks. */
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

// ---------- Modern Work (best of two tracks) ----------
const MW_WORKLOADS = [
  'intune', 'exchange-online', 'microsoft-365-apps', 'sharepoint-online', 'teams', 'teams-meetings', 'teams-phone', 'teams-phone-calling', 'teams-apps',
  'viva-engage', 'viva-insights', 'viva-topics', 'viva-learning', 'viva-connections',
];
const MW_INT_CERTS = [
  'microsoft-365-fundamentals', 'teams-application-developer-associate', 'teams-administrator-associate', 'messaging-administrator-associate',
  'identity-access-administrator-associate', 'collaboration-communications-systems-engineer-associate', 'endpoint-administrator-associate',
];
const MW_ADV_CERTS = ['microsoft-365-enterprise-administrator-expert', 'teams-meetings-rooms-technical-assessment'];

/** MW23: what differs between the Modern Work SMB and Enterprise tracks. */
const MW_BY_TRACK = {
  /** The association that counts besides CPOR. */
  otherAssociation: { enterprise: 'DPOR', smb: 'CSP' },
  /** Paid seats on at least one workload that put a tenant in the track (net customer adds, usage growth and deployments). */
  tenantPaidSeats: { enterprise: moreThan(300), smb: between(11, 300) },
  /** The promoted-tenant rule came with the 2026 pages. */
  promotedTenantRule: { enterprise: false, smb: false },
  netCustomerAddsLabel: { enterprise: 'Tenants with more than 300 paid seats (CPOR, DPOR)', smb: 'Tenants with 11-300 paid seats (CPOR, CSP)' },
  netCustomerAddsUnitsForMax: { enterprise: 5, smb: 10 },
  intermediatePeopleForMax: { enterprise: 4, smb: 2 },
  advancedPeopleForMax: { enterprise: 2, smb: 1 },
  usageGrowthCporActiveUsersForMax: { enterprise: 1000, smb: 500 },
  usageGrowthOtherActiveUsersForMax: { enterprise: 4000, smb: 2000 },
} as const satisfies Record<string, PerTrack<unknown>>;

const mwSource = (association: 'CPOR:use-or-consume' | 'DPOR' | 'CSP', label: string): Source => ({
  label, workloads: { platform: 'microsoft-365', include: MW_WORKLOADS, exclude: [] }, associations: [association], excludedOffers: OFFERS,
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
          sources: [{ ...mwSource('CPOR:use-or-consume', 'Microsoft 365'), associations: ['CPOR:use-or-consume' as const, other] }],
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
          { label: 'CPOR', sources: [mwSource('CPOR:use-or-consume', 'CPOR')], measure: 'activeUsers' as const, scope: tenantScope, unitsForMax: MW_BY_TRACK.usageGrowthCporActiveUsersForMax[t], unitLabel: 'active users', sinceAssociation: true },
          { label: other, sources: [mwSource(other, other)], measure: 'activeUsers' as const, scope: tenantScope, unitsForMax: MW_BY_TRACK.usageGrowthOtherActiveUsersForMax[t], unitLabel: 'active users', sinceAssociation: true },
        ],
      },
      {
        id: 'deployments' as const, name: 'Deployments', family: 'customer-success' as const, kind: 'net-count' as const, max: 25, combine: 'best' as const,
        parts: [
          { label: 'CPOR', sources: [mwSource('CPOR:use-or-consume', 'CPOR')], criterion: { ...tenantScope, activeShare: gte(0.4) }, unitsForMax: 5, unitLabel: 'net new deployments', excludeAlreadyMetAtAssociation: true },
          { label: other, sources: [mwSource(other, other)], criterion: { ...tenantScope, activeShare: gte(0.4) }, unitsForMax: 10, unitLabel: 'net new deployments', excludeAlreadyMetAtAssociation: true },
        ],
      },
    ],
  };
};

const modernWork: AreaRules = { trackMode: 'best-of', tracks: bothTracks(mwTrack) };

// ---------- Security (single track) ----------
const SEC_AZURE_SERVICES = [
  'advanced-data-security', 'advanced-threat-protection', 'application-gateway', 'azure-ad-b2c', 'azure-ad-domain-services', 'azure-ad-external-identities',
  'azure-bastion', 'azure-ddos-protection', 'azure-defender', 'azure-firewall', 'azure-firewall-manager', 'azure-front-door-service', 'azure-iot-security',
  'key-vault', 'network-watcher', 'security-center', 'sentinel',
];
const SEC_M365_WORKLOADS = ['azure-ad-premium', 'defender-for-office-365', 'defender-for-endpoint', 'defender-for-identity', 'microsoft-information-protection', 'intune'];
const secAzure: Source = { label: 'Azure security services (PAL)', workloads: { platform: 'azure', include: SEC_AZURE_SERVICES, exclude: [] }, associations: ['PAL'], excludedOffers: OFFERS };
const secM365: Source = { label: 'Microsoft 365 security workloads (CPOR)', workloads: { platform: 'microsoft-365', include: SEC_M365_WORKLOADS, exclude: [] }, associations: ['CPOR:use-or-consume'], excludedOffers: OFFERS };
const m365Customer = { measure: 'paidSeats' as const, by: 'any-workload' as const, window: { kind: 'month' as const, monthsAgo: 1 }, range: atLeast(25), promotedTenantRule: false };

/** Security skilling from 1 Dec 2023: two people per gate step. */
const SECURITY_GATE_MIN_PEOPLE = 2;

const security: AreaRules = {
  trackMode: 'single',
  tracks: {
    enterprise: {
      metrics: [
        {
          id: 'net-customer-adds', name: 'Net customer adds', family: 'performance', kind: 'net-count', max: 20, combine: 'sum', baselineMonthsAgo: 12,
          parts: [
            { label: 'Azure', sources: [secAzure], criterion: { measure: 'acrUsd', by: 'tenant-sum', window: { kind: 'ttm', monthsAgo: 1 }, range: atLeast(100), promotedTenantRule: false }, unitsForMax: 10, unitLabel: 'net new customers', excludeAlreadyMetAtAssociation: false },
            { label: 'Microsoft 365', sources: [secM365], criterion: m365Customer, unitsForMax: 10, unitLabel: 'net new customers', excludeAlreadyMetAtAssociation: false },
          ],
        },
        {
          id: 'intermediate-certifications', name: 'Intermediate certifications', family: 'skilling', kind: 'skilling', max: 40,
          gates: [
            { label: 'Step 1: Azure Security Engineer Associate', certifications: ['azure-security-engineer-associate'], minPeople: SECURITY_GATE_MIN_PEOPLE, points: 0 },
            { label: 'Step 2: Security Operations Analyst or Microsoft 365 Security Administrator', certifications: ['security-operations-analyst-associate', 'microsoft-365-security-administrator-associate'], minPeople: SECURITY_GATE_MIN_PEOPLE, points: 0 },
          ],
          certifications: ['cybersecurity-architect-expert', 'identity-access-administrator-associate', 'information-protection-compliance-administrator-associate'],
          peopleForMax: 6,
        },
        {
          id: 'usage-growth', name: 'Usage growth', family: 'customer-success', kind: 'growth-absolute', max: 20, combine: 'sum',
          parts: [
            { label: 'Azure security ACR', sources: [secAzure], measure: 'acrUsd', unitsForMax: 25_000, unitLabel: 'USD ACR growth', sinceAssociation: false },
            { label: 'Microsoft 365 protected users', sources: [secM365], measure: 'protectedUsers', unitsForMax: 2500, unitLabel: 'protected users growth', sinceAssociation: false },
          ],
        },
        {
          id: 'deployments', name: 'Deployments', family: 'customer-success', kind: 'net-count', max: 20, combine: 'sum', baselineMonthsAgo: 12,
          parts: [
            { label: 'Azure', sources: [secAzure], criterion: { measure: 'acrUsd', by: 'tenant-sum', window: { kind: 'ttm', monthsAgo: 1 }, range: atLeast(12_000), promotedTenantRule: false }, unitsForMax: 6, unitLabel: 'net new deployments', excludeAlreadyMetAtAssociation: false },
            { label: 'Microsoft 365', sources: [secM365], criterion: { ...m365Customer, activeShare: gte(0.15) }, unitsForMax: 6, unitLabel: 'net new deployments', excludeAlreadyMetAtAssociation: false },
          ],
        },
      ],
    },
  },
};

export const v2023_12: RuleSetInput = {
  version: 'v2023-12',
  name: 'Microsoft Learn pages of 2023 with the 1 Dec 2023 Security skilling change',
  effectiveFrom: '2023-12-01',
  effectiveFromNote: 'SEC23 gives 1 Dec 2023 for the Security step change; the rest of the 2023 rules continue until v2026.',
  sources: ['PCS23', 'AZ23', 'BA23', 'MW23', 'SEC23', 'ANN2309'],
  certifications: [
    { id: ADMIN, name: 'Azure Administrator Associate', exams: ['AZ-104'], level: 'associate' },
    { id: ARCHITECT, name: 'Azure Solutions Architect Expert', exams: ['AZ-305'], level: 'expert' },
    { id: 'azure-database-administrator-associate', name: 'Azure Database Administrator Associate', exams: ['DP-300'], level: 'associate' },
    { id: 'azure-ai-engineer-associate', name: 'Azure AI Engineer Associate', exams: ['AI-102'], level: 'associate' },
    { id: 'azure-data-scientist-associate', name: 'Azure Data Scientist Associate', exams: ['DP-100'], level: 'associate' },
    { id: 'azure-data-engineer-associate', name: 'Azure Data Engineer Associate', exams: ['DP-203'], level: 'associate' },
    { id: 'power-bi-data-analyst-associate', name: 'Power BI Data Analyst Associate', exams: ['PL-300'], level: 'associate' },
    { id: 'customer-data-platform-specialty', name: 'Customer Data Platform Specialty', exams: ['MB-260'], level: 'specialty' },
    { id: 'azure-cosmos-db-developer-specialty', name: 'Azure Cosmos DB Developer Specialty', exams: ['DP-420'], level: 'specialty' },
    { id: 'azure-developer-associate', name: 'Azure Developer Associate', exams: ['AZ-204'], level: 'associate' },
    { id: 'power-platform-developer-associate', name: 'Power Platform Developer Associate', exams: ['PL-400'], level: 'associate' },
    { id: 'azure-iot-developer-specialty', name: 'Azure IoT Developer Specialty', exams: ['AZ-220'], level: 'specialty', retiredOn: '2023-07-31', eligibleUntil: '2024-07-31' },
    { id: 'devops-engineer-expert', name: 'DevOps Engineer Expert', exams: ['AZ-400'], level: 'expert' },
    { id: 'power-platform-solution-architect-expert', name: 'Power Platform Solution Architect Expert', exams: ['PL-600'], level: 'expert' },
    { id: 'azure-network-engineer-associate', name: 'Azure Network Engineer Associate', exams: ['AZ-700'], level: 'associate' },
    { id: 'windows-server-hybrid-administrator-associate', name: 'Windows Server Hybrid Administrator Associate', exams: ['AZ-800', 'AZ-801'], level: 'associate' },
    { id: 'azure-stack-hub-operator-associate', name: 'Azure Stack Hub Operator Associate', exams: ['AZ-600'], level: 'associate', retiredOn: '2023-07-31', eligibleUntil: '2024-07-31' },
    { id: 'azure-virtual-desktop-specialty', name: 'Azure Virtual Desktop Specialty', exams: ['AZ-140'], level: 'specialty' },
    { id: 'azure-for-sap-workloads-specialty', name: 'Azure for SAP Workloads Specialty', exams: ['AZ-120'], level: 'specialty' },
    { id: 'd365-finance-functional-consultant', name: 'Dynamics 365 Finance Functional Consultant Associate', exams: ['MB-310'], level: 'associate' },
    { id: 'd365-commerce-functional-consultant', name: 'Dynamics 365 Commerce Functional Consultant Associate', exams: ['MB-340'], level: 'associate' },
    { id: 'd365-finance-operations-apps-developer', name: 'Dynamics 365 Finance and Operations Apps Developer Associate', exams: ['MB-500'], level: 'associate' },
    { id: 'd365-supply-chain-functional-consultant', name: 'Dynamics 365 Supply Chain Management Functional Consultant Associate', exams: ['MB-330'], level: 'associate' },
    { id: 'd365-supply-chain-manufacturing-functional-consultant', name: 'Dynamics 365 Supply Chain Management, Manufacturing Functional Consultant Associate', exams: ['MB-320'], level: 'associate' },
    { id: 'd365-customer-service-functional-consultant', name: 'Dynamics 365 Customer Service Functional Consultant Associate', exams: ['MB-230'], level: 'associate', retiredOn: '2023-06-30', eligibleUntil: '2024-06-30' },
    { id: 'd365-sales-functional-consultant', name: 'Dynamics 365 Sales Functional Consultant Associate', exams: ['MB-210'], level: 'associate' },
    { id: 'd365-field-service-functional-consultant', name: 'Dynamics 365 Field Service Functional Consultant Associate', exams: ['MB-240'], level: 'associate' },
    { id: 'd365-business-central-functional-consultant', name: 'Dynamics 365 Business Central Functional Consultant Associate', exams: ['MB-800'], level: 'associate' },
    { id: 'd365-marketing-functional-consultant', name: 'Dynamics 365 Marketing Functional Consultant Associate', exams: ['MB-220'], level: 'associate' },
    { id: 'power-platform-app-maker', name: 'Power Platform App Maker Associate', exams: ['PL-100'], level: 'associate', eligibleUntil: '2023-11-30', note: 'BA23: not eligible from 1 Dec 2023 (removed, not retired).' },
    { id: 'power-platform-functional-consultant', name: 'Power Platform Functional Consultant Associate', exams: ['PL-200'], level: 'associate' },
    { id: 'azure-enterprise-data-analyst-associate', name: 'Azure Enterprise Data Analyst Associate', exams: ['DP-500'], level: 'associate' },
    { id: 'power-automate-rpa-developer', name: 'Power Automate RPA Developer Associate', exams: ['PL-500'], level: 'associate' },
    { id: 'd365-supply-chain-functional-consultant-expert', name: 'Dynamics 365 Supply Chain Management Functional Consultant Expert', exams: ['MB-335'], level: 'expert' },
    { id: 'd365-finance-operations-solution-architect-expert', name: 'Dynamics 365 Finance and Operations Apps Solution Architect Expert', exams: ['MB-700'], level: 'expert' },
    { id: 'd365-power-platform-solution-architect-expert', name: 'Dynamics 365 + Power Platform Solution Architect Expert', exams: ['MB-600'], level: 'expert', retiredOn: '2021-06-30', eligibleUntil: '2023-06-30', note: 'BA23: not eligible effective 1 Jul 2023 (two years after retirement).' },
    { id: 'microsoft-365-fundamentals', name: 'Microsoft 365 Fundamentals', exams: ['MS-900'], level: 'fundamentals', neverExpires: true },
    { id: 'teams-application-developer-associate', name: 'Teams Application Developer Associate', exams: ['MS-600'], level: 'associate' },
    { id: 'teams-administrator-associate', name: 'Teams Administrator Associate', exams: ['MS-700'], level: 'associate' },
    { id: 'messaging-administrator-associate', name: 'Messaging Administrator Associate', exams: ['MS-203'], level: 'associate' },
    { id: 'identity-access-administrator-associate', name: 'Identity and Access Administrator Associate', exams: ['SC-300'], level: 'associate' },
    { id: 'collaboration-communications-systems-engineer-associate', name: 'Collaboration Communications Systems Engineer Associate', exams: ['MS-721'], level: 'associate' },
    { id: 'endpoint-administrator-associate', name: 'Endpoint Administrator Associate (formerly Modern Desktop Administrator Associate)', exams: ['MD-102', 'MD-100', 'MD-101'], level: 'associate' },
    { id: 'microsoft-365-enterprise-administrator-expert', name: 'Microsoft 365 Enterprise Administrator Expert', exams: ['MS-102'], level: 'expert' },
    { id: 'teams-meetings-rooms-technical-assessment', name: 'Teams Meetings and Meeting Rooms Technical Assessment (Partner University)', level: 'assessment', neverExpires: true },
    { id: 'azure-security-engineer-associate', name: 'Azure Security Engineer Associate', exams: ['AZ-500'], level: 'associate' },
    { id: 'security-operations-analyst-associate', name: 'Security Operations Analyst Associate', exams: ['SC-200'], level: 'associate' },
    { id: 'microsoft-365-security-administrator-associate', name: 'Microsoft 365 Security Administrator Associate', exams: ['MS-500'], level: 'associate', retiredOn: '2023-06-30', eligibleUntil: '2024-06-30' },
    { id: 'cybersecurity-architect-expert', name: 'Cybersecurity Architect Expert', exams: ['SC-100'], level: 'expert' },
    { id: 'information-protection-compliance-administrator-associate', name: 'Information Protection and Compliance Administrator Associate', exams: ['SC-400'], level: 'associate' },
  ],
  areas: {
    'data-ai': azureArea([
      gated('intermediate-certifications', 40, [['Step 1: Azure Solutions Architect Expert', ARCHITECT], ['Step 2: Azure Administrator Associate', ADMIN]], [
        'azure-database-administrator-associate', 'azure-ai-engineer-associate', 'azure-data-scientist-associate', 'azure-data-engineer-associate',
        'power-bi-data-analyst-associate', 'customer-data-platform-specialty', 'azure-cosmos-db-developer-specialty',
      ]),
    ]),
    infrastructure: azureArea([
      gated('intermediate-certifications', 20, [['Step 1: Azure Administrator Associate', ADMIN]], ['azure-network-engineer-associate', 'windows-server-hybrid-administrator-associate', 'azure-stack-hub-operator-associate']),
      gated('advanced-certifications', 20, [['Step 1: Azure Solutions Architect Expert', ARCHITECT]], ['azure-virtual-desktop-specialty', 'azure-for-sap-workloads-specialty']),
    ]),
    'digital-app-innovation': azureArea([
      gated('intermediate-certifications', 20, [['Step 1: Azure Administrator Associate', ADMIN]], ['azure-developer-associate', 'power-platform-developer-associate']),
      gated('advanced-certifications', 20, [['Step 1: Azure Solutions Architect Expert', ARCHITECT]], ['azure-iot-developer-specialty', 'devops-engineer-expert', 'power-platform-solution-architect-expert']),
    ]),
    'business-applications': businessApplications,
    'modern-work': modernWork,
    security,
  },
};
