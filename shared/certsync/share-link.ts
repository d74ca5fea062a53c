/**
 * Microsoft Learn transcript share links: https://learn.microsoft.com/<locale>/users/<name>/transcript/<shareId>.
 * Validated when registered, so the nightly sync never meets a link it cannot use.
 */

export interface ShareLink {
  url: string;
  locale: string;
  userName: string;
  shareId: string;
}

export type ShareLinkResult = { ok: true; link: ShareLink } | { ok: false; reason: string };

const LOCALE = /^[a-z]{2}(-[a-z0-9]{2,4})?$/i;
const USER = /^[A-Za-z0-9._~-]{1,100}$/;
const SHARE_ID = /^[A-Za-z0-9]{6,64}$/;

export function parseShareLink(input: string): ShareLinkResult {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return { ok: false, reason: 'is not a URL; expected https://learn.microsoft.com/<locale>/users/<name>/transcript/<shareId>' };
  }
  if (url.protocol !== 'https:') return { ok: false, reason: `must use https, not ${url.protocol.replace(':', '')}` };
  if (url.hostname.toLowerCase() !== 'learn.microsoft.com') return { ok: false, reason: `must be on learn.microsoft.com, not ${url.hostname}` };
  if (url.username || url.password || url.port) return { ok: false, reason: 'must not carry credentials or a port' };
  const parts = url.pathname.split('/').filter((p) => p !== '');
  if (parts.length !== 5 || parts[1]!.toLowerCase() !== 'users' || parts[3]!.toLowerCase() !== 'transcript') {
    return { ok: false, reason: `path must be /<locale>/users/<name>/transcript/<shareId>, got ${url.pathname}` };
  }
  const [locale, , userName, , shareId] = parts as [string, string, string, string, string];
  if (!LOCALE.test(locale)) return { ok: false, reason: `"${locale}" is not a locale such as en-us` };
  if (!USER.test(userName)) return { ok: false, reason: `"${userName}" is not a Learn user name` };
  if (!SHARE_ID.test(shareId)) return { ok: false, reason: `"${shareId}" is not a transcript share id (6 to 64 letters and digits)` };
  return { ok: true, link: { url: `https://learn.microsoft.com/${locale.toLowerCase()}/users/${userName}/transcript/${shareId}`, locale: locale.toLowerCase(), userName, shareId } };
}
