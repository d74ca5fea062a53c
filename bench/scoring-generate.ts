import { listCertifications, type PartnerSnapshotInput } from '../shared/scoring';

/**
 * Deterministic generator of realistic partner snapshots for benchmarks and examples: customers that start,
 * grow and churn, several workloads per platform, associations that begin at different times (some pending or
 * ended), and professionals with certifications that expire, renew or retire.
 */

export interface GenerateOptions {
  tenants: number;
  associations: number;
  professionals: number;
  months: number;
  /** Evaluation date the telemetry leads up to (telemetry ends the month before). */
  date: string;
  seed?: number;
  partnerId?: string;
}

export const LARGE_PARTNER: GenerateOptions = { tenants: 2000, associations: 5000, professionals: 500, months: 24, date: '2026-11-15' };

/** mulberry32: small, fast and reproducible across Node versions. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const AZURE_SERVICES = ['Virtual Machines', 'Storage', 'Azure SQL Database', 'Azure Kubernetes Service', 'App Service', 'Key Vault', 'Sentinel', 'Azure Firewall', 'Azure Cosmos DB', 'Azure OpenAI', 'Microsoft Defender for Cloud', 'Azure Monitor'];
const M365_WORKLOADS = ['Exchange Online', 'Teams', 'SharePoint Online', 'Intune', 'Microsoft 365 Apps', 'Defender for Office 365', 'Entra ID P1', 'Viva Engage'];
const BA_WORKLOADS: [string, 'dynamics-365' | 'power-platform'][] = [
  ['Sales', 'dynamics-365'],
  ['Customer Service', 'dynamics-365'],
  ['Business Central', 'dynamics-365'],
  ['Finance', 'dynamics-365'],
  ['Customer Insights', 'dynamics-365'],
  ['Power Apps', 'power-platform'],
  ['Power BI', 'power-platform'],
  ['Power Automate', 'power-platform'],
];

function monthLabel(index: number): string {
  const y = Math.floor(index / 12);
  const m = index - y * 12 + 1;
  return `${y}-${m < 10 ? '0' : ''}${m}`;
}

function dateAt(monthIndex: number, day: number): string {
  return `${monthLabel(monthIndex)}-${String(Math.min(28, Math.max(1, day))).padStart(2, '0')}`;
}

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

function sample<T>(r: () => number, xs: readonly T[], n: number): T[] {
  const copy = [...xs];
  const out: T[] = [];
  while (out.length < n && copy.length) out.push(copy.splice(Math.floor(r() * copy.length), 1)[0]!);
  return out;
}

export function generateSnapshot(o: GenerateOptions): PartnerSnapshotInput {
  const r = rng(o.seed ?? 42);
  const now = Number(o.date.slice(0, 4)) * 12 + Number(o.date.slice(5, 7)) - 1;
  const first = now - o.months;
  const customers: NonNullable<PartnerSnapshotInput['customers']> = [];
  const associations: NonNullable<PartnerSnapshotInput['associations']> = [];
  const telemetry: NonNullable<PartnerSnapshotInput['telemetry']> = [];
  let assocId = 0;
  const addAssoc = (a: Omit<NonNullable<PartnerSnapshotInput['associations']>[number], 'id'>) => associations.push({ id: `a${++assocId}`, ...a });

  for (let t = 0; t < o.tenants; t++) {
    const tenantId = `tenant-${String(t).padStart(5, '0')}`;
    const smb = r() < 0.75;
    customers.push({ tenantId, name: `Customer ${t}`, segment: smb ? 'smb' : 'enterprise', cloud: r() < 0.01 ? 'sovereign' : 'commercial' });
    // Customers arrive over time and some leave, so net adds are neither zero nor everything.
    const start = first + Math.floor(r() * o.months * 0.8);
    const end = r() < 0.1 ? start + Math.floor(r() * (now - start)) : now;
    const growth = 0.98 + r() * 0.06;
    const profile = r();
    const hasAzure = profile < 0.65;
    const hasM365 = profile > 0.35;
    const hasBa = r() < 0.3;
    const assocStart = dateAt(start, 1 + Math.floor(r() * 27));

    if (hasAzure) {
      const type = r() < 0.6 ? 'PAL' : r() < 0.5 ? 'CSP' : 'DPOR';
      addAssoc({ type, tenantId, startDate: assocStart, ...(type === 'CSP' ? { cspTier: r() < 0.5 ? 1 : 2 } : {}) });
      const services = sample(r, AZURE_SERVICES, 1 + Math.floor(r() * 4));
      const base = smb ? 100 + r() * 3000 : 1000 + r() * 40000;
      for (let m = start; m < end; m++) {
        const f = Math.pow(growth, m - start);
        for (const s of services) telemetry.push({ tenantId, month: monthLabel(m), platform: 'azure', workload: s, associationType: type, acrUsd: Math.round(((base * f) / services.length) * (0.8 + r() * 0.4) * 100) / 100, offer: r() < 0.01 ? 'trial' : 'standard' });
      }
    }
    if (hasM365) {
      const type = smb ? (r() < 0.5 ? 'CSP' : 'CPOR') : r() < 0.5 ? 'DPOR' : 'CPOR';
      if (type === 'CPOR') addAssoc({ type, tenantId, role: 'use-or-consume', startDate: assocStart, solutionArea: r() < 0.5 ? 'modern-work' : 'security' });
      else addAssoc({ type, tenantId, startDate: assocStart });
      const seats = Math.round(smb ? 8 + r() * 300 : 300 + r() * 5000);
      const workloads = sample(r, M365_WORKLOADS, 2 + Math.floor(r() * 3));
      let active = 0.2 + r() * 0.3;
      for (let m = start; m < end; m++) {
        active = Math.min(0.95, active + r() * 0.03);
        const s = Math.round(seats * Math.pow(growth, m - start));
        for (const w of workloads) {
          const users = Math.round(s * active);
          telemetry.push({ tenantId, month: monthLabel(m), platform: 'microsoft-365', workload: w, associationType: type, paidSeats: s, activeUsers: users, ...(w.startsWith('Defender') || w === 'Intune' || w === 'Entra ID P1' ? { protectedUsers: users } : {}) });
        }
      }
    }
    if (hasBa) {
      const type = r() < 0.4 ? 'CPOR' : r() < 0.5 ? 'DPOR' : 'CSP';
      if (type === 'CPOR') addAssoc({ type, tenantId, role: r() < 0.5 ? 'osu' : 'revrec', startDate: assocStart, solutionArea: 'business-applications' });
      else addAssoc({ type, tenantId, startDate: assocStart });
      const pp = r() < 0.5;
      if (pp) addAssoc({ type: 'PAL', tenantId, startDate: assocStart });
      const workloads = sample(r, BA_WORKLOADS, 1 + Math.floor(r() * 3));
      const users = Math.round(10 + r() * (smb ? 50 : 400));
      for (let m = start; m < end; m++) {
        const u = Math.round(users * Math.pow(growth, m - start));
        for (const [w, platform] of workloads) {
          const assoc = platform === 'power-platform' || w === 'Customer Insights' ? (pp ? 'PAL' : type) : type;
          telemetry.push({ tenantId, month: monthLabel(m), platform, workload: w, associationType: assoc, revenueUsd: Math.round(u * (40 + r() * 60)), mcvUnits: w === 'Customer Insights' ? u * 500 : u });
        }
      }
    }
  }
  // Top up to the requested count with the kinds of associations partners accumulate: extra claims, ended and pending ones.
  while (associations.length < o.associations && o.tenants > 0) {
    const c = pick(r, customers);
    const kind = r();
    const startMonth = first + Math.floor(r() * (o.months - 1));
    const startDate = dateAt(startMonth, 1 + Math.floor(r() * 27));
    if (kind < 0.3) addAssoc({ type: 'CPOR', tenantId: c.tenantId, role: pick(r, ['osa', 'revrec', 'osu', 'use-or-consume'] as const), startDate, workloads: [pick(r, M365_WORKLOADS)] });
    else if (kind < 0.5) addAssoc({ type: 'PAL', tenantId: c.tenantId, startDate, status: 'ended', endDate: dateAt(startMonth + 1 + Math.floor(r() * (now - startMonth - 1)), 28) });
    else if (kind < 0.6) addAssoc({ type: 'CPOR', tenantId: c.tenantId, role: 'use-or-consume', startDate, status: 'pending' });
    else addAssoc({ type: pick(r, ['CSP', 'DPOR', 'PAL'] as const), tenantId: c.tenantId, startDate, subscriptionId: `sub-${Math.floor(r() * 1e9)}` });
  }
  associations.length = Math.min(associations.length, Math.max(o.associations, 0));

  const certs = listCertifications().filter((c) => c.usedIn.length > 0);
  const professionals: NonNullable<PartnerSnapshotInput['professionals']> = [];
  for (let p = 0; p < o.professionals; p++) {
    const n = 1 + Math.floor(r() * 4);
    const held = sample(r, certs, n).map((c) => {
      const earned = dateAt(now - 1 - Math.floor(r() * 36), 1 + Math.floor(r() * 27));
      const renewed = r() < 0.6;
      const expiry = `${Number(earned.slice(0, 4)) + (renewed ? 2 : 1)}${earned.slice(4)}`;
      return { certificationId: c.id, earnedOn: earned, ...(c.neverExpires ? {} : { expiresOn: expiry }) };
    });
    const linked = r() < 0.95;
    professionals.push({ id: `person-${p}`, learnProfileId: `learn-${p}`, name: `Person ${p}`, linked, ...(linked ? { linkedOn: dateAt(now - 40, 1) } : {}), certifications: held });
  }
  return { schemaVersion: 1, partnerId: o.partnerId ?? `partner-${o.seed ?? 42}`, name: 'Generated partner', customers, associations, professionals, telemetry, enrollments: [] };
}
