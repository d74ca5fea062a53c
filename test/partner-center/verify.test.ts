import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkCertUrl, verifyPartnerCenterRequest, type VerifyHeaders, type VerifyPolicy } from '../../shared/partner-center/verify';
import { derOf, mintCertificate, pcEvent, signatureOf, type Minted } from './fake-partner-center';

/** The documented checks one by one, against a chain minted here: a root, an issuing CA and Microsoft-like leaves. */

const PREFIX = 'https://certs.example.test/cert/';
let root: Minted;
let issuing: Minted;
let leaf: Minted;
let expired: Minted;
let otherOrg: Minted;
let selfSigned: Minted;
let files: Map<string, Buffer>;
let policy: VerifyPolicy;
const body = pcEvent('reseller-relationship-accepted-by-customer', 'https://api.partnercenter.microsoft.com/v1/customers/c1');
const fetchCert = async (url: string) => {
  const f = files.get(url);
  if (!f) throw new Error('HTTP 404');
  return f;
};
const headers = (over: Partial<VerifyHeaders> = {}, key = leaf.keyPem, signed = body): VerifyHeaders => ({ authorization: signatureOf(signed, key), certificateUrl: `${PREFIX}pc.cer`, signatureAlgorithm: 'rsa-sha256', ...over });

beforeAll(() => {
  root = mintCertificate({ commonName: 'Test Root', organization: 'Test Trust', ca: true });
  issuing = mintCertificate({ commonName: 'Test Issuing CA', organization: 'Test Trust', ca: true, issuer: root });
  leaf = mintCertificate({ commonName: 'pcnotifications', organization: 'Microsoft Corporation', issuer: issuing });
  expired = mintCertificate({ commonName: 'old', organization: 'Microsoft Corporation', issuer: issuing, notBefore: new Date('2020-01-01'), notAfter: new Date('2021-01-01') });
  otherOrg = mintCertificate({ commonName: 'pcnotifications', organization: 'Contoso Ltd', issuer: issuing });
  selfSigned = mintCertificate({ commonName: 'pcnotifications', organization: 'Microsoft Corporation' });
  files = new Map([
    [`${PREFIX}pc.cer`, Buffer.from(leaf.certPem + issuing.certPem)],
    [`${PREFIX}pc-der.cer`, derOf(leaf.certPem)],
    [`${PREFIX}expired.cer`, Buffer.from(expired.certPem + issuing.certPem)],
    [`${PREFIX}other-org.cer`, Buffer.from(otherOrg.certPem + issuing.certPem)],
    [`${PREFIX}self.cer`, Buffer.from(selfSigned.certPem)],
    ['https://elsewhere.example.test/cert/pc.cer', Buffer.from(leaf.certPem + issuing.certPem)],
  ]);
  policy = { certUrlPrefixes: [PREFIX], organization: 'Microsoft Corporation', anchors: [new X509Certificate(root.certPem)] };
});
const keys = () => ({ expired, otherOrg, selfSigned });

describe('verifyPartnerCenterRequest', () => {
  it('accepts a body signed with the key of a certificate that chains to a trusted root and names Microsoft', async () => {
    expect(await verifyPartnerCenterRequest(headers(), body, policy, fetchCert)).toEqual({ ok: true, subject: expect.stringContaining('O=Microsoft Corporation') });
  });

  it('accepts a DER certificate issued directly by a configured CA', async () => {
    const p = { ...policy, anchors: [new X509Certificate(issuing.certPem)] };
    expect((await verifyPartnerCenterRequest(headers({ certificateUrl: `${PREFIX}pc-der.cer` }), body, p, fetchCert)).ok).toBe(true);
  });

  it('refuses a signature made with another key', async () => {
    expect(await verifyPartnerCenterRequest(headers({}, keys().otherOrg.keyPem), body, policy, fetchCert)).toEqual({ ok: false, reason: 'signature does not match the body' });
  });

  it('refuses a body changed after signing, by one character', async () => {
    const changed = body.replace('c1', 'c2');
    expect(await verifyPartnerCenterRequest(headers(), changed, policy, fetchCert)).toEqual({ ok: false, reason: 'signature does not match the body' });
  });

  it('refuses a certificate from a host not on the list, and a path climbing out of the prefix, without downloading it', async () => {
    let fetched = 0;
    const counting = async (u: string) => (fetched++, fetchCert(u));
    const r = await verifyPartnerCenterRequest(headers({ certificateUrl: 'https://elsewhere.example.test/cert/pc.cer' }), body, policy, counting);
    expect(r).toEqual({ ok: false, reason: expect.stringContaining('not under an allowed prefix') });
    expect(checkCertUrl(`${PREFIX}../other/pc.cer`, [PREFIX]).ok).toBe(false);
    expect(checkCertUrl('https://certs.example.test.evil.test/cert/pc.cer', [PREFIX]).ok).toBe(false);
    expect(checkCertUrl(`https://user:pw@certs.example.test/cert/pc.cer`, [PREFIX]).ok).toBe(false);
    expect(fetched).toBe(0);
  });

  it('refuses an expired certificate', async () => {
    const r = await verifyPartnerCenterRequest(headers({ certificateUrl: `${PREFIX}expired.cer` }, keys().expired.keyPem), body, policy, fetchCert);
    expect(r).toEqual({ ok: false, reason: expect.stringContaining('outside its validity') });
  });

  it('refuses a certificate of another Organization, even though its chain is good', async () => {
    const r = await verifyPartnerCenterRequest(headers({ certificateUrl: `${PREFIX}other-org.cer` }, keys().otherOrg.keyPem), body, policy, fetchCert);
    expect(r).toEqual({ ok: false, reason: 'certificate Organization is "Contoso Ltd", not "Microsoft Corporation"' });
  });

  it('refuses a self-signed certificate that claims to be Microsoft', async () => {
    const r = await verifyPartnerCenterRequest(headers({ certificateUrl: `${PREFIX}self.cer` }, keys().selfSigned.keyPem), body, policy, fetchCert);
    expect(r).toEqual({ ok: false, reason: expect.stringContaining('is not issued by a trusted CA') });
  });

  it('refuses missing or malformed headers, naming which', async () => {
    const cases: [Partial<VerifyHeaders>, string][] = [
      [{ authorization: null }, 'no Authorization header'],
      [{ authorization: 'Bearer abc' }, 'Authorization is not "Signature <base64>"'],
      [{ certificateUrl: null }, 'no X-MS-Certificate-Url header'],
      [{ signatureAlgorithm: null }, 'X-MS-Signature-Algorithm is null, not rsa-sha256'],
      [{ signatureAlgorithm: 'hmac-sha256' }, 'X-MS-Signature-Algorithm is "hmac-sha256", not rsa-sha256'],
      [{ certificateUrl: 'not a url' }, 'X-MS-Certificate-Url is not a URL'],
    ];
    for (const [over, reason] of cases) expect(await verifyPartnerCenterRequest(headers(over), body, policy, fetchCert)).toEqual({ ok: false, reason });
  });

  it('refuses when the certificate cannot be downloaded', async () => {
    const r = await verifyPartnerCenterRequest(headers({ certificateUrl: `${PREFIX}missing.cer` }), body, policy, fetchCert);
    expect(r).toEqual({ ok: false, reason: expect.stringContaining('could not be read: HTTP 404') });
  });
});
