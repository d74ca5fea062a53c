import { z } from 'zod';
import { certificationAlias } from './certification-names';
import { listCertifications, type CertificationInfo } from './certifications';
import { ruleSetFor } from './rules';
import { AREA_NAMES, isoDateSchema, type AreaId } from './snapshot';

/**
 * The certification catalogue as a sender sees it on a date: every certification of the rule version in effect,
 * the names and exam codes it may be sent by, and where it counts. GET /api/catalog/certifications serves it.
 */

export const certificationCatalogQuerySchema = z.object({
  date: isoDateSchema.optional().describe('Date YYYY-MM-DD whose rule version is listed (default today, UTC).'),
});

export interface CatalogCertification {
  id: string;
  name: string;
  level: CertificationInfo['level'];
  /** Everything the certification may be sent by besides its id: Learn names, exam codes (retired ones too), former ids. */
  aliases: { names: string[]; exams: string[]; formerIds: string[] };
  retiredOn?: string;
  /** Last day it counts for PCS. */
  eligibleUntil?: string;
  /** Whether a valid holding counts on the date (false once past eligibleUntil). */
  countsOnDate: boolean;
  countsFor: { area: AreaId; areaName: string; track: string; metric: string; role: 'points' | 'gate' }[];
}

export interface CertificationCatalog {
  date: string;
  ruleVersion: string;
  certifications: CatalogCertification[];
}

export function certificationCatalog(date: string): CertificationCatalog {
  const ruleVersion = ruleSetFor(date).version;
  const certifications = listCertifications(ruleVersion).map((c): CatalogCertification => {
    const alias = certificationAlias(c.id);
    return {
      id: c.id,
      name: c.name,
      level: c.level,
      aliases: {
        names: [...new Set([c.name, ...(alias?.names ?? [])])],
        exams: [...new Set([...c.exams, ...(alias?.exams ?? [])])],
        formerIds: alias?.formerIds ?? [],
      },
      ...(c.retiredOn ? { retiredOn: c.retiredOn } : {}),
      ...(c.eligibleUntil ? { eligibleUntil: c.eligibleUntil } : {}),
      countsOnDate: !c.eligibleUntil || date <= c.eligibleUntil,
      countsFor: c.usedIn.map((u) => ({ area: u.area as AreaId, areaName: AREA_NAMES[u.area as AreaId], track: u.track, metric: u.metric, role: u.role })),
    };
  });
  return { date, ruleVersion, certifications };
}
