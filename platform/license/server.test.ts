import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESULT } from '../../lib/license/codes';
import { issueCa } from '../../lib/license/issue';
import {
  makePki,
  type Pki,
  platformCert,
  postCertificate,
  rawRequest,
  startService,
  window,
} from '../../test/support/license';

const HOST_MAC = '02:42:ac:11:00:02';
const OTHER_MAC = '02:42:ac:11:00:99';

describe('license service over mutual TLS', () => {
  let pki: Pki;
  let svc: Awaited<ReturnType<typeof startService>>;

  beforeAll(async () => {
    pki = await makePki([HOST_MAC, '0a:0b:0c:0d:0e:0f']);
    svc = await startService(pki, { macs: [HOST_MAC] });
  });
  afterAll(async () => {
    await svc.close();
    await pki.cleanup();
  });

  it('answers result 0 for a valid platform certificate', async () => {
    const { status, json } = await postCertificate(pki, svc.port, pki.platform.certPem);
    expect(status).toBe(200);
    expect(json).toMatchObject({ status: true, result: 0, message: 'success', message_cn: '证书校验成功' });
    expect(json.validendtime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(json.validstarttime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  });

  it('gives a distinct code for each reason a certificate is refused', async () => {
    const expired = await platformCert(pki.ca, [HOST_MAC], window(-10, -1));
    const future = await platformCert(pki.ca, [HOST_MAC], window(1, 10));
    const foreign = await platformCert(await issueCa('another CA', window(-1, 10)), [HOST_MAC]);
    const otherMac = await platformCert(pki.ca, [OTHER_MAC]);
    const cases: Array<[string, number, RegExp]> = [
      [expired.certPem, RESULT.expired, /expired at/],
      [future.certPem, RESULT.notYetValid, /valid from/],
      [foreign.certPem, RESULT.untrusted, /signed by "CN=test platform CA/],
      [
        otherMac.certPem,
        RESULT.macNotListed,
        new RegExp(`expected one of this host's MACs \\(${HOST_MAC}\\).*found ${OTHER_MAC}`),
      ],
      [pki.ca.certPem, RESULT.untrusted, /CA certificate/],
      ['not a certificate', RESULT.malformedCert, /BEGIN CERTIFICATE/],
    ];
    const codes = new Set<number>();
    for (const [pem, code, message] of cases) {
      const { status, json } = await postCertificate(pki, svc.port, pem);
      expect(status).toBe(200);
      expect(json).toMatchObject({ status: false, result: code });
      expect(json.message).toMatch(message);
      codes.add(code);
    }
    expect(codes.size).toBe(5);
  });

  it('refuses certificate text tampered to list this host', async () => {
    const other = await platformCert(pki.ca, [OTHER_MAC]);
    const der = Buffer.from(other.certPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    const at = der.indexOf(Buffer.from(OTHER_MAC));
    expect(at).toBeGreaterThan(0);
    der.write(HOST_MAC, at, 'latin1');
    const tampered = `-----BEGIN CERTIFICATE-----\n${der.toString('base64')}\n-----END CERTIFICATE-----\n`;
    const { json } = await postCertificate(pki, svc.port, tampered);
    expect(json.result).toBe(RESULT.untrusted);

    const garbled = pki.platform.certPem.replace(/\n[A-Za-z0-9+/]{20}/, '\n!!!!garbled!!!!!!!!!');
    expect((await postCertificate(pki, svc.port, garbled)).json.result).toBe(RESULT.malformedCert);
  });

  it('refuses at the TLS layer a client without a certificate or with one from another CA', async () => {
    await expect(
      rawRequest(svc.port, { path: '/healthz', method: 'GET', ca: pki.ca.certPem }),
    ).rejects.toThrow();
    const stranger = await platformCert(await issueCa('another CA', window(-1, 10)), [HOST_MAC]);
    await expect(
      rawRequest(svc.port, {
        path: '/healthz',
        method: 'GET',
        ca: pki.ca.certPem,
        cert: stranger.certPem,
        key: stranger.keyPem,
      }),
    ).rejects.toThrow();
  });

  it('answers 400 to a malformed body and keeps serving', async () => {
    const auth = { ca: pki.ca.certPem, cert: pki.platform.certPem, key: pki.platform.keyPem };
    const bad = await rawRequest(svc.port, { ...auth, body: '{"certificate": ' });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ status: false, result: RESULT.badRequest });
    expect(bad.json.message).toMatch(/expected a JSON body, found invalid JSON/);
    const notObject = await rawRequest(svc.port, { ...auth, body: '[1]' });
    expect(notObject.json.message).toMatch(/found an array/);
    const noCert = await rawRequest(svc.port, { ...auth, body: '{"platform":"x"}' });
    expect(noCert.json).toMatchObject({ result: RESULT.badRequest });
    const big = await rawRequest(svc.port, {
      ...auth,
      body: JSON.stringify({ certificate: 'x'.repeat(70_000) }),
    });
    expect(big).toMatchObject({ status: 413, json: { result: RESULT.tooLarge } });
    expect((await postCertificate(pki, svc.port, pki.platform.certPem)).json.result).toBe(0);
    const health = await rawRequest(svc.port, { ...auth, method: 'GET', path: '/healthz' });
    expect(health).toEqual({ status: 200, json: { ok: true } });
    expect((await rawRequest(svc.port, { ...auth, method: 'GET', path: '/nope' })).status).toBe(404);
  });

  it('logs one JSON line per check with the client CN and result, never the certificate', async () => {
    const lines = (await readFile(svc.logFile, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const checks = lines.filter((l) => l.event === 'check');
    expect(checks.length).toBeGreaterThanOrEqual(10);
    expect(checks[0]).toMatchObject({ client: 'test platform', platform: 'test', result: 0 });
    expect(typeof checks[0].time).toBe('string');
    const text = await readFile(svc.logFile, 'utf8');
    expect(text).not.toContain('BEGIN CERTIFICATE');
    expect(text).not.toContain(pki.platform.certPem.split('\n')[1]);
  });
});

describe('license service MAC source', () => {
  it('reads MACs from its net class folder on every check and says when it cannot', async () => {
    const pki = await makePki([HOST_MAC]);
    const net = join(pki.dir, 'net');
    await mkdir(join(net, 'eth0'), { recursive: true });
    await writeFile(join(net, 'eth0', 'address'), `${OTHER_MAC}\n`);
    const svc = await startService(pki, { netClassDir: net });
    try {
      expect((await postCertificate(pki, svc.port, pki.platform.certPem)).json.result).toBe(
        RESULT.macNotListed,
      );
      await writeFile(join(net, 'eth0', 'address'), `${HOST_MAC}\n`);
      expect((await postCertificate(pki, svc.port, pki.platform.certPem)).json.result).toBe(RESULT.ok);
      await rm(net, { recursive: true });
      const gone = await postCertificate(pki, svc.port, pki.platform.certPem);
      expect(gone).toMatchObject({ status: 500, json: { result: RESULT.hostMacsUnreadable } });
      expect(gone.json.message).toMatch(/cannot read this host's MACs: .*ENOENT/);
    } finally {
      await svc.close();
      await pki.cleanup();
    }
  });
});
