import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { principalFromEasyAuth } from '../../shared/access/principal';
import { applySignIn, authLevelAdmits, crossSiteRefusal, KEY_PRINCIPAL, keyLevelOf, loadOrCreateKeys } from '../../tools/devhost/local-auth';

describe('the local host keys', () => {
  it('are generated once, kept readable by the user only, and read back on the next start', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'keys-'));
    const first = loadOrCreateKeys(dir);
    expect(first.created).toBe(true);
    expect(first.masterKey).not.toBe(first.functionKey);
    expect(statSync(first.file!).mode & 0o777).toBe(0o600);
    const again = loadOrCreateKeys(dir);
    expect(again).toMatchObject({ masterKey: first.masterKey, functionKey: first.functionKey, created: false });
    writeFileSync(first.file!, '{"masterKey":"short"}');
    expect(() => loadOrCreateKeys(dir)).toThrow(/not a keys file/);
    expect(JSON.parse(readFileSync(first.file!, 'utf8'))).toEqual({ masterKey: 'short' });
  });

  it('are checked as the Functions host checks them', () => {
    const keys = loadOrCreateKeys(undefined);
    expect(keys.file).toBeUndefined();
    const none = new URLSearchParams();
    expect(keyLevelOf(keys, { 'x-functions-key': keys.masterKey }, none)).toBe('master');
    expect(keyLevelOf(keys, {}, new URLSearchParams({ code: keys.functionKey }))).toBe('function');
    expect(keyLevelOf(keys, { 'x-functions-key': `${keys.masterKey}x` }, none)).toBeUndefined();
    expect(authLevelAdmits('anonymous', undefined)).toBe(true);
    expect(authLevelAdmits('function', undefined)).toBe(false);
    expect(authLevelAdmits('function', 'function')).toBe(true);
    expect(authLevelAdmits('admin', 'function')).toBe(false);
    expect(authLevelAdmits('admin', 'master')).toBe(true);
  });
});

describe('the local sign-in', () => {
  it('drops whatever principal headers a client sent and sets its own, which the app reads as Easy Auth output', () => {
    const headers: Record<string, string> = { 'x-ms-client-principal': 'forged', 'x-ms-client-principal-id': 'forged', accept: '*/*' };
    applySignIn(headers, undefined);
    expect(headers).toEqual({ accept: '*/*' });
    applySignIn(headers, KEY_PRINCIPAL);
    expect(principalFromEasyAuth(headers['x-ms-client-principal'])).toEqual(KEY_PRINCIPAL);
  });

  it('refuses bodies a web page could send and cross-origin changes without a key', () => {
    const host = '127.0.0.1:7071';
    expect(crossSiteRefusal('POST', { host, 'content-type': 'text/plain;charset=UTF-8' }, 'master', true, true)?.status).toBe(415);
    expect(crossSiteRefusal('PUT', { host, 'content-type': 'multipart/form-data; boundary=x' }, undefined, true, true)?.status).toBe(415);
    expect(crossSiteRefusal('POST', { host, 'content-type': 'text/plain' }, undefined, true, false)).toBeUndefined();
    expect(crossSiteRefusal('POST', { host }, undefined, true, true)).toBeUndefined();
    expect(crossSiteRefusal('POST', { host, 'content-type': 'text/csv' }, undefined, true, true)).toBeUndefined();
    expect(crossSiteRefusal('POST', { host, origin: 'https://evil.example' }, undefined, false, true)?.status).toBe(403);
    expect(crossSiteRefusal('POST', { host, origin: 'null' }, undefined, false, true)?.status).toBe(403);
    expect(crossSiteRefusal('POST', { host, origin: `http://${host}` }, undefined, false, true)).toBeUndefined();
    expect(crossSiteRefusal('POST', { host, origin: 'https://evil.example' }, 'function', false, true)).toBeUndefined();
    expect(crossSiteRefusal('GET', { host, origin: 'https://evil.example' }, undefined, false, true)).toBeUndefined();
  });
});
