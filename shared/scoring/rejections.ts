import type { CompiledSource } from './source-match';
import type { Stream } from './telemetry-streams';

/** Why a tenant's telemetry was left out of a source, and the words an explanation uses for it. */

export interface Rejection {
  code: 'offer' | 'sovereign' | 'type' | 'association';
  stream: Stream;
  source: CompiledSource;
}

export const tenantSubject = (tenant: unknown): string => `tenant ${String(tenant)}`;

/** The small value a lazy explanation line keeps instead of the stream, so a result never keeps the call's telemetry alive. */
export function rejectionDetail(r: Rejection): string {
  if (r.code === 'offer') return r.stream.offer;
  if (r.code === 'association' && r.stream.associationType === 'CPOR') return `CPOR|${r.stream.workload}`;
  return r.stream.associationType;
}

export const rejectionText = (code: unknown, detail: unknown, accepts: unknown): string => {
  const d = String(detail);
  switch (code as Rejection['code']) {
    case 'offer':
      return `${d} offers are excluded`;
    case 'sovereign':
      return 'tenant is in a sovereign cloud, which is not scored';
    case 'type':
      return `usage attributed through ${d}, which this metric does not accept (accepts ${String(accepts)})`;
    case 'association': {
      if (!d.startsWith('CPOR|')) return `no active ${d} association on the tenant`;
      const roles = String(accepts)
        .split(', ')
        .filter((k) => k.startsWith('CPOR:'))
        .map((k) => k.slice(5));
      return `no active CPOR claim with role ${roles.join('/')} covering ${d.slice(5)}`;
    }
  }
};
