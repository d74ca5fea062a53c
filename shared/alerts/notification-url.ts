import { z } from 'zod';
import { DOC_IDS, type ProfileDoc } from '../state/documents';
import { initProfile, readStateDoc, updateStateDoc } from '../state/state-store';

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

/** The URL, or undefined for text that is none: zod 4 runs later checks even after `.url()` failed. */
function parseUrl(u: string): URL | undefined {
  try {
    return new URL(u);
  } catch {
    return undefined;
  }
}

/** HTTPS only, except plain HTTP to this machine for local development. */
export const notificationUrlSchema = z
  .url({ message: 'must be an absolute URL' })
  .max(2048)
  .refine((u) => {
    const url = parseUrl(u);
    return !url || url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.test(url.hostname));
  }, 'must be https:// (plain http:// is accepted for localhost only)')
  .refine((u) => {
    const url = parseUrl(u);
    return !url || (!url.username && !url.password);
  }, 'must not contain credentials');

export const notificationSettingsSchema = z.object({ url: notificationUrlSchema.nullable() }).strict();

/** Sets (or with null, removes) where the partner's alerts are POSTed. Undefined when the partner is unknown. */
export async function setNotificationUrl(partnerId: string, url: string | null): Promise<{ url: string | null } | undefined> {
  if (!(await readStateDoc<ProfileDoc>(partnerId, DOC_IDS.profile))) return undefined;
  await updateStateDoc<ProfileDoc>(partnerId, DOC_IDS.profile, initProfile(partnerId), (doc) => {
    if ((doc.notificationUrl ?? null) === url) return false;
    if (url) doc.notificationUrl = url;
    else delete doc.notificationUrl;
    return true;
  });
  return { url };
}

export async function getNotificationUrl(partnerId: string): Promise<{ url: string | null } | undefined> {
  const profile = await readStateDoc<ProfileDoc>(partnerId, DOC_IDS.profile);
  return profile ? { url: profile.notificationUrl ?? null } : undefined;
}
