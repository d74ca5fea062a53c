import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import forge from 'node-forge';

/**
 * What a test needs to play Microsoft: a CA and certificates it issues (made here with node-forge, since node's
 * crypto cannot create X.509 certificates), signatures made the documented way, and one local server that is both
 * the certificate host and the Partner Center API.
 */

export interface Minted {
  certPem: string;
  keyPem: string;
}

function forgeKeys() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  return { keyPem, forgePrivate: forge.pki.privateKeyFromPem(keyPem), forgePublic: forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()) };
}

export function mintCertificate(opts: { commonName: string; organization?: string; issuer?: Minted; ca?: boolean; notBefore?: Date; notAfter?: Date }): Minted {
  const keys = forgeKeys();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.forgePublic;
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = opts.notBefore ?? new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = opts.notAfter ?? new Date(Date.now() + 365 * 86_400_000);
  const subject = [{ name: 'commonName', value: opts.commonName }, ...(opts.organization ? [{ name: 'organizationName', value: opts.organization }] : [])];
  cert.setSubject(subject);
  const issuerCert = opts.issuer ? forge.pki.certificateFromPem(opts.issuer.certPem) : undefined;
  cert.setIssuer(issuerCert ? issuerCert.subject.attributes : subject);
  cert.setExtensions([{ name: 'basicConstraints', cA: !!opts.ca }, { name: 'keyUsage', keyCertSign: !!opts.ca, digitalSignature: true }]);
  const signer = opts.issuer ? forge.pki.privateKeyFromPem(opts.issuer.keyPem) : keys.forgePrivate;
  cert.sign(signer, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.keyPem };
}

/** DER bytes of a PEM certificate, as Microsoft serves its .cer. */
export const derOf = (pem: string) => Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(forge.pki.certificateFromPem(pem))).getBytes(), 'binary');

/** The Authorization header value: RSA-SHA256 over the UTF-8 body, base64. */
export const signatureOf = (body: string, keyPem: string) => `Signature ${sign('sha256', Buffer.from(body, 'utf8'), keyPem).toString('base64')}`;

export interface FakePartnerCenter {
  url: string;
  /** Serves a certificate file at /cert/<name>. */
  setCert(name: string, body: Buffer | string): void;
  setCustomer(id: string, body: unknown): void;
  /** What GET /v1/customers?size=N lists, paged as Partner Center pages it (links.next with an MS-ContinuationToken). */
  setCustomerList(customers: unknown[]): void;
  /** What GET /v1/customers/{id}/subscriptions lists for a customer (none by default). */
  setSubscriptions(customerId: string, items: unknown[]): void;
  /** The next `n` reads of a resource fail with `status` (Retry-After `retryAfter` seconds when given). */
  failNext(n: number, status: number, retryAfter?: string): void;
  requests: { path: string; authorization?: string; continuation?: string }[];
  close(): Promise<void>;
}

export async function startFakePartnerCenter(opts: { token: string }): Promise<FakePartnerCenter> {
  const certs = new Map<string, Buffer | string>();
  const customers = new Map<string, unknown>();
  let list: unknown[] = [];
  const subscriptions = new Map<string, unknown[]>();
  const requests: FakePartnerCenter['requests'] = [];
  let failures = { n: 0, status: 503, retryAfter: undefined as string | undefined };
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const continuation = req.headers['ms-continuationtoken'] as string | undefined;
    requests.push({ path, authorization: req.headers.authorization, ...(continuation ? { continuation } : {}) });
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
    };
    if (path.startsWith('/cert/')) {
      const c = certs.get(path.slice('/cert/'.length));
      return c ? send(200, c, { 'content-type': 'application/pkix-cert' }) : send(404, { error: 'no such certificate' });
    }
    if (req.headers.authorization !== `Bearer ${opts.token}`) return send(401, { code: 401, description: 'bad token' });
    if (failures.n > 0) {
      failures.n--;
      return send(failures.status, { code: failures.status, description: 'try later' }, failures.retryAfter ? { 'retry-after': failures.retryAfter } : {});
    }
    if (path === '/v1/customers') {
      const size = Number(new URL(req.url!, 'http://x').searchParams.get('size') ?? 100);
      // The token is the offset, opaque to the caller; the next link is relative to the version, as Microsoft's are.
      const from = continuation ? Number(Buffer.from(continuation, 'base64').toString()) : 0;
      const items = list.slice(from, from + size);
      const more = from + size < list.length;
      return send(200, {
        totalCount: items.length,
        items,
        links: more ? { next: { uri: `/customers?size=${size}&seekOperation=Next`, method: 'GET', headers: [{ key: 'MS-ContinuationToken', value: Buffer.from(String(from + size)).toString('base64') }] } } : {},
        attributes: { objectType: 'Collection' },
      });
    }
    const subs = /^\/v1\/customers\/([^/]+)\/subscriptions$/.exec(path);
    if (subs) {
      const items = subscriptions.get(decodeURIComponent(subs[1]!)) ?? [];
      return send(200, { totalCount: items.length, items, links: {}, attributes: { objectType: 'Collection' } });
    }
    const m = /^\/v1\/customers\/([^/]+)/.exec(path);
    const customer = m ? customers.get(decodeURIComponent(m[1]!)) : undefined;
    if (!customer) return send(404, { code: 600, description: 'customer not found' });
    if (/\/subscriptions\/([^/]+)$/.test(path)) return send(200, { id: path.split('/').pop(), offerName: 'Microsoft 365 Business Premium', status: 'active', quantity: 25 });
    return send(200, customer);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    setCert: (name, body) => certs.set(name, body),
    setCustomer: (id, body) => customers.set(id, body),
    setCustomerList: (all) => (list = all),
    setSubscriptions: (id, items) => subscriptions.set(id, items),
    failNext: (n, status, retryAfter) => (failures = { n, status, retryAfter }),
    requests,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** A Partner Center event body as Microsoft documents it. */
export const pcEvent = (eventName: string, resourceUri: string, date = '2026-03-01T10:00:00.1234567+00:00') => JSON.stringify({ EventName: eventName, ResourceUri: resourceUri, ResourceName: eventName.split('-')[0], AuditUri: null, ResourceChangeUtcDate: date });
