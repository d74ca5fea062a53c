import { verify as verifySignature, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import { rootCertificates } from 'node:tls';

/**
 * Authenticates a Partner Center webhook the way Microsoft documents it (docs/partner-center.md): the
 * `Authorization: Signature <base64>` header is an RSA-SHA256 signature over the UTF-8 body, made with the key of
 * the certificate at `X-MS-Certificate-Url`. The certificate is only downloaded from an allow-listed prefix, must
 * be within its validity dates, chain to a trusted issuer and name the expected Organization.
 */

export interface VerifyHeaders {
  authorization: string | null;
  certificateUrl: string | null;
  signatureAlgorithm: string | null;
}

export interface VerifyPolicy {
  /** URL prefixes the certificate may come from (normalised URLs are compared, so `..` cannot climb out). */
  certUrlPrefixes: readonly string[];
  /** The O= the leaf's subject must hold. */
  organization: string;
  /** Trust anchors: issuers a chain may end at. */
  anchors: readonly X509Certificate[];
  now?: Date;
}

export type VerifyResult = { ok: true; subject: string } | { ok: false; reason: string };

/** Downloads the certificate file (DER, or PEM with the leaf first and any intermediates after it). */
export type CertFetcher = (url: string) => Promise<Buffer>;

const MAX_CHAIN = 5;

/** The Organization values of a subject as node prints it (one `KEY=value` per line). */
export function organizationsOf(subject: string): string[] {
  return subject
    .split('\n')
    .filter((l) => l.startsWith('O='))
    .map((l) => l.slice(2).trim());
}

/** Every certificate in a downloaded file: one DER certificate, or a PEM bundle. */
export function parseCertificates(raw: Buffer): X509Certificate[] {
  const text = raw.toString('latin1');
  if (!text.includes('-----BEGIN CERTIFICATE-----')) return [new X509Certificate(raw)];
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((b) => new X509Certificate(b));
}

/** The certificate URL, normalised, when it starts with an allowed prefix; otherwise why not. */
export function checkCertUrl(value: string, prefixes: readonly string[]): { ok: true; url: string } | { ok: false; reason: string } {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, reason: 'X-MS-Certificate-Url is not a URL' };
  }
  if (url.username || url.password) return { ok: false, reason: 'X-MS-Certificate-Url carries credentials' };
  const href = url.href;
  if (!prefixes.some((p) => p && href.startsWith(p))) return { ok: false, reason: `certificate URL ${href.slice(0, 200)} is not under an allowed prefix (PARTNER_CENTER_CERT_URL_PREFIXES)` };
  return { ok: true, url: href };
}

const within = (c: X509Certificate, now: Date) => now.getTime() >= Date.parse(c.validFrom) && now.getTime() <= Date.parse(c.validTo);
const issuedBy = (child: X509Certificate, issuer: X509Certificate) => child.checkIssued(issuer) && child.verify(issuer.publicKey);

/** Why the chain from `leaf` does not reach an anchor, or undefined when it does. */
export function checkChain(leaf: X509Certificate, intermediates: readonly X509Certificate[], anchors: readonly X509Certificate[], now: Date): string | undefined {
  let current = leaf;
  for (let depth = 0; depth < MAX_CHAIN; depth++) {
    if (anchors.some((a) => within(a, now) && issuedBy(current, a))) return undefined;
    const next = intermediates.find((i) => i !== current && i.ca && within(i, now) && issuedBy(current, i));
    if (!next) return `certificate "${current.subject.replace(/\n/g, ', ')}" is not issued by a trusted CA`;
    current = next;
  }
  return `certificate chain longer than ${MAX_CHAIN}`;
}

/** Checks the headers, the certificate and the signature over the raw body; never throws for a bad request. */
export async function verifyPartnerCenterRequest(headers: VerifyHeaders, rawBody: string, policy: VerifyPolicy, fetchCert: CertFetcher): Promise<VerifyResult> {
  const now = policy.now ?? new Date();
  const auth = /^Signature\s+([A-Za-z0-9+/]+={0,2})$/.exec(headers.authorization?.trim() ?? '');
  if (!headers.authorization) return { ok: false, reason: 'no Authorization header' };
  if (!auth) return { ok: false, reason: 'Authorization is not "Signature <base64>"' };
  if (!headers.certificateUrl) return { ok: false, reason: 'no X-MS-Certificate-Url header' };
  if ((headers.signatureAlgorithm ?? '').trim().toLowerCase() !== 'rsa-sha256') return { ok: false, reason: `X-MS-Signature-Algorithm is ${JSON.stringify(headers.signatureAlgorithm)}, not rsa-sha256` };
  const url = checkCertUrl(headers.certificateUrl, policy.certUrlPrefixes);
  if (!url.ok) return url;

  let certs: X509Certificate[];
  try {
    certs = parseCertificates(await fetchCert(url.url));
  } catch (e) {
    return { ok: false, reason: `certificate from ${url.url} could not be read: ${(e as Error).message}` };
  }
  const leaf = certs[0];
  if (!leaf) return { ok: false, reason: `no certificate in ${url.url}` };
  if (!within(leaf, now)) return { ok: false, reason: `certificate is outside its validity (${leaf.validFrom} to ${leaf.validTo})` };
  const chain = checkChain(leaf, certs.slice(1), policy.anchors, now);
  if (chain) return { ok: false, reason: chain };
  const orgs = organizationsOf(leaf.subject);
  if (!orgs.includes(policy.organization)) return { ok: false, reason: `certificate Organization is ${JSON.stringify(orgs.join(', ') || '(none)')}, not ${JSON.stringify(policy.organization)}` };
  if (leaf.publicKey.asymmetricKeyType !== 'rsa') return { ok: false, reason: `certificate key is ${leaf.publicKey.asymmetricKeyType}, not RSA` };
  const good = verifySignature('sha256', Buffer.from(rawBody, 'utf8'), leaf.publicKey, Buffer.from(auth[1]!, 'base64'));
  if (!good) return { ok: false, reason: 'signature does not match the body' };
  return { ok: true, subject: leaf.subject.replace(/\n/g, ', ') };
}

/** The system's root CAs plus a PEM file of extra anchors. */
export function loadAnchors(caFile?: string): X509Certificate[] {
  const pems = [...rootCertificates];
  const anchors: X509Certificate[] = [];
  for (const pem of pems) {
    try {
      anchors.push(new X509Certificate(pem));
    } catch {
      // A root node cannot parse is one nobody can chain to.
    }
  }
  if (caFile) anchors.push(...parseCertificates(fs.readFileSync(caFile)));
  return anchors;
}

const MAX_CERT_BYTES = 64 * 1024;

/**
 * Downloads certificates with node's fetch and keeps each until its leaf's validTo (the key does not change under
 * a URL within a certificate's life; a renewed certificate is published under its own URL or after expiry).
 */
export function cachingCertFetcher(opts: { timeoutMs: number; now?: () => number }): CertFetcher {
  const cache = new Map<string, { raw: Buffer; until: number }>();
  const now = opts.now ?? Date.now;
  return async (url) => {
    const hit = cache.get(url);
    if (hit && hit.until > now()) return hit.raw;
    const res = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(opts.timeoutMs) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const raw = Buffer.from(await res.arrayBuffer());
    if (raw.length > MAX_CERT_BYTES) throw new Error(`larger than ${MAX_CERT_BYTES} bytes`);
    const leaf = parseCertificates(raw)[0];
    if (leaf) {
      if (cache.size > 100) cache.clear();
      cache.set(url, { raw, until: Date.parse(leaf.validTo) });
    }
    return raw;
  };
}
