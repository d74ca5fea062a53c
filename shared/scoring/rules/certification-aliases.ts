/**
 * The one alias table: what people and sources call a certification (its Microsoft Learn name, former names,
 * the exam code(s) that earn it, ids older rule versions gave it) mapped to the id the rule sets use. Webhook
 * events, the Learn transcript sync and the import files all resolve through it (shared/scoring/certification-names.ts).
 * Data, not code: a new certification or a renamed one is a new row or a new alias. Every certification of every
 * rule version must have a row whose names and exams cover the rule file's (test/scoring/certification-names.test.ts).
 *
 * Exams are every exam that earned the certification, current first, then retired ones (a person certified
 * through a retired exam holds the same certification). An expert certification earned by one exam plus a
 * prerequisite certification lists that one exam. Names are matched after normalising (see normaliseCertName):
 * the "Microsoft Certified:" style prefixes, case, punctuation and "and"/"&" differences do not matter.
 */
export interface CertificationAlias {
  certificationId: string;
  /** Display names, current first, then former names. */
  names: string[];
  /** Exam codes (AZ-104...), current first, then retired ones; empty when none is known, then only names match. */
  exams: string[];
  /** Ids older rule versions give the same certification; a holding is stored under the current id. */
  formerIds?: string[];
}

export const CERTIFICATION_ALIASES: readonly CertificationAlias[] = [
  { certificationId: 'azure-administrator-associate', names: ['Azure Administrator Associate'], exams: ['AZ-104', 'AZ-103', 'AZ-100', 'AZ-101'] },
  { certificationId: 'azure-solutions-architect-expert', names: ['Azure Solutions Architect Expert'], exams: ['AZ-305', 'AZ-303', 'AZ-304', 'AZ-300', 'AZ-301'] },
  { certificationId: 'azure-database-administrator-associate', names: ['Azure Database Administrator Associate'], exams: ['DP-300'] },
  { certificationId: 'azure-ai-engineer-associate', names: ['Azure AI Engineer Associate'], exams: ['AI-102', 'AI-100'] },
  { certificationId: 'azure-data-scientist-associate', names: ['Azure Data Scientist Associate'], exams: ['DP-100'] },
  { certificationId: 'azure-data-engineer-associate', names: ['Azure Data Engineer Associate'], exams: ['DP-203', 'DP-200', 'DP-201'] },
  { certificationId: 'power-bi-data-analyst-associate', names: ['Power BI Data Analyst Associate', 'Data Analyst Associate'], exams: ['PL-300', 'DA-100'] },
  { certificationId: 'customer-data-platform-specialty', names: ['Customer Data Platform Specialty'], exams: ['MB-260'] },
  { certificationId: 'azure-cosmos-db-developer-specialty', names: ['Azure Cosmos DB Developer Specialty'], exams: ['DP-420'] },
  { certificationId: 'azure-developer-associate', names: ['Azure Developer Associate'], exams: ['AZ-204', 'AZ-203'] },
  { certificationId: 'power-platform-developer-associate', names: ['Power Platform Developer Associate'], exams: ['PL-400'] },
  { certificationId: 'azure-iot-developer-specialty', names: ['Azure IoT Developer Specialty'], exams: ['AZ-220'] },
  { certificationId: 'devops-engineer-expert', names: ['DevOps Engineer Expert'], exams: ['AZ-400'] },
  { certificationId: 'power-platform-solution-architect-expert', names: ['Power Platform Solution Architect Expert'], exams: ['PL-600'] },
  { certificationId: 'azure-network-engineer-associate', names: ['Azure Network Engineer Associate'], exams: ['AZ-700'] },
  { certificationId: 'windows-server-hybrid-administrator-associate', names: ['Windows Server Hybrid Administrator Associate'], exams: ['AZ-800','AZ-801'] },
  { certificationId: 'azure-stack-hub-operator-associate', names: ['Azure Stack Hub Operator Associate'], exams: ['AZ-600'] },
  { certificationId: 'azure-virtual-desktop-specialty', names: ['Azure Virtual Desktop Specialty'], exams: ['AZ-140'] },
  { certificationId: 'azure-for-sap-workloads-specialty', names: ['Azure for SAP Workloads Specialty'], exams: ['AZ-120'] },
  { certificationId: 'd365-finance-functional-consultant', names: ['Dynamics 365 Finance Functional Consultant Associate'], exams: ['MB-310'] },
  { certificationId: 'd365-commerce-functional-consultant', names: ['Dynamics 365 Commerce Functional Consultant Associate'], exams: ['MB-340'] },
  { certificationId: 'd365-finance-operations-apps-developer', names: ['Dynamics 365 Finance and Operations Apps Developer Associate'], exams: ['MB-500'] },
  { certificationId: 'd365-supply-chain-functional-consultant', names: ['Dynamics 365 Supply Chain Management Functional Consultant Associate'], exams: ['MB-330'] },
  { certificationId: 'd365-supply-chain-manufacturing-functional-consultant', names: ['Dynamics 365 Supply Chain Management, Manufacturing Functional Consultant Associate'], exams: ['MB-320'] },
  { certificationId: 'd365-customer-service-functional-consultant', names: ['Dynamics 365 Customer Service Functional Consultant Associate'], exams: ['MB-230'] },
  { certificationId: 'd365-sales-functional-consultant', names: ['Dynamics 365 Sales Functional Consultant Associate'], exams: ['MB-210'] },
  { certificationId: 'd365-field-service-functional-consultant', names: ['Dynamics 365 Field Service Functional Consultant Associate'], exams: ['MB-240'] },
  { certificationId: 'd365-business-central-functional-consultant', names: ['Dynamics 365 Business Central Functional Consultant Associate'], exams: ['MB-800'] },
  { certificationId: 'd365-marketing-functional-consultant', names: ['Dynamics 365 Marketing Functional Consultant Associate'], exams: ['MB-220'] },
  { certificationId: 'power-platform-app-maker', names: ['Power Platform App Maker Associate'], exams: ['PL-100'] },
  { certificationId: 'power-platform-functional-consultant', names: ['Power Platform Functional Consultant Associate'], exams: ['PL-200'] },
  { certificationId: 'azure-enterprise-data-analyst-associate', names: ['Azure Enterprise Data Analyst Associate'], exams: ['DP-500'] },
  { certificationId: 'power-automate-rpa-developer', names: ['Power Automate RPA Developer Associate'], exams: ['PL-500'] },
  { certificationId: 'd365-supply-chain-functional-consultant-expert', names: ['Dynamics 365 Supply Chain Management Functional Consultant Expert'], exams: ['MB-335'] },
  { certificationId: 'd365-finance-operations-solution-architect-expert', names: ['Dynamics 365 Finance and Operations Apps Solution Architect Expert'], exams: ['MB-700'] },
  { certificationId: 'd365-power-platform-solution-architect-expert', names: ['Dynamics 365 + Power Platform Solution Architect Expert'], exams: ['MB-600'] },
  { certificationId: 'microsoft-365-fundamentals', names: ['Microsoft 365 Fundamentals'], exams: ['MS-900'] },
  { certificationId: 'teams-application-developer-associate', names: ['Teams Application Developer Associate'], exams: ['MS-600'] },
  { certificationId: 'teams-administrator-associate', names: ['Teams Administrator Associate'], exams: ['MS-700'] },
  { certificationId: 'messaging-administrator-associate', names: ['Messaging Administrator Associate'], exams: ['MS-203', 'MS-202'] },
  { certificationId: 'identity-access-administrator-associate', names: ['Identity and Access Administrator Associate'], exams: ['SC-300'] },
  { certificationId: 'collaboration-communications-systems-engineer-associate', names: ['Collaboration Communications Systems Engineer Associate'], exams: ['MS-721'] },
  { certificationId: 'endpoint-administrator-associate', names: ['Endpoint Administrator Associate', 'Modern Desktop Administrator Associate'], exams: ['MD-102','MD-100','MD-101'] },
  { certificationId: 'microsoft-365-enterprise-administrator-expert', names: ['Microsoft 365 Enterprise Administrator Expert', 'Enterprise Administrator Expert'], exams: ['MS-102', 'MS-100', 'MS-101'] },
  { certificationId: 'teams-meetings-rooms-technical-assessment', names: ['Teams Meetings and Meeting Rooms Technical Assessment (Partner University)', 'Teams Meetings and Meeting Rooms Technical Assessment'], exams: [] },
  { certificationId: 'azure-security-engineer-associate', names: ['Azure Security Engineer Associate'], exams: ['AZ-500'] },
  { certificationId: 'security-operations-analyst-associate', names: ['Security Operations Analyst Associate'], exams: ['SC-200'] },
  { certificationId: 'microsoft-365-security-administrator-associate', names: ['Microsoft 365 Security Administrator Associate', 'Security Administrator Associate'], exams: ['MS-500'] },
  { certificationId: 'cybersecurity-architect-expert', names: ['Cybersecurity Architect Expert'], exams: ['SC-100'] },
  { certificationId: 'fabric-analytics-engineer-associate', names: ['Fabric Analytics Engineer Associate'], exams: ['DP-600'] },
  { certificationId: 'fabric-data-engineer-associate', names: ['Fabric Data Engineer Associate'], exams: ['DP-700'] },
  { certificationId: 'sql-ai-developer-associate', names: ['SQL AI Developer Associate'], exams: [] },
  { certificationId: 'azure-ai-apps-agents-developer-associate', names: ['Azure AI Apps and Agents Developer Associate'], exams: [] },
  { certificationId: 'machine-learning-operations-engineer-associate', names: ['Machine Learning Operations Engineer Associate'], exams: [] },
  { certificationId: 'azure-databricks-data-engineer-associate', names: ['Azure Databricks Data Engineer Associate'], exams: [] },
  { certificationId: 'azure-ai-cloud-developer-associate', names: ['Azure AI Cloud Developer Associate'], exams: [] },
  { certificationId: 'github-agentic-ai-developer', names: ['GitHub Certified: Agentic AI Developer'], exams: [] },
  { certificationId: 'github-actions', names: ['GitHub Actions'], exams: ['GH-200'] },
  { certificationId: 'github-administration', names: ['GitHub Administration'], exams: ['GH-100'] },
  { certificationId: 'github-advanced-security', names: ['GitHub Advanced Security'], exams: ['GH-500'] },
  { certificationId: 'github-copilot', names: ['GitHub Copilot'], exams: ['GH-300'] },
  { certificationId: 'd365-customer-experience-analyst', names: ['Dynamics 365 Customer Experience Analyst Associate'], exams: [] },
  { certificationId: 'd365-sales-ai-consultant', names: ['Dynamics 365 Sales AI Consultant'], exams: [] },
  { certificationId: 'intelligent-applications-builder', names: ['Intelligent Applications Builder'], exams: [] },
  { certificationId: 'd365-contact-center-ai-engineer', names: ['Dynamics 365 Contact Center AI Engineer'], exams: [] },
  { certificationId: 'd365-business-central-developer-associate', names: ['Dynamics 365 Business Central Developer Associate'], exams: ['MB-820'] },
  { certificationId: 'agentic-ai-business-solutions-architect', names: ['Agentic AI Business Solutions Architect'], exams: [] },
  { certificationId: 'copilot-agent-administration-fundamentals', names: ['Copilot and Agent Administration Fundamentals'], exams: [] },
  { certificationId: 'cloud-ai-security-engineer-associate', names: ['Cloud and AI Security Engineer Associate'], exams: [] },
  // v2023/v2023-12 call SC-400 information-protection-compliance-administrator-associate; holdings take the current id.
  { certificationId: 'information-protection-administrator-associate', names: ['Information Protection Administrator Associate', 'Information Protection and Compliance Administrator Associate'], exams: ['SC-400'], formerIds: ['information-protection-compliance-administrator-associate'] },
  { certificationId: 'information-security-administrator-associate', names: ['Information Security Administrator Associate'], exams: ['SC-401'] },
];
