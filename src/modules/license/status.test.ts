import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JsonLog, openJsonLog } from '../../../platform/license/log';
import { type LicenseServer, startLicenseServer } from '../../../platform/license/server';
import { ensureLicenseCerts, type LicenseCertResult } from './ensure';
import { licenseStatus } from './status';

const MAC = '02:42:0a:4d:00:0b';

describe('licenseStatus against a running service (imported bundle, local server CA)', () => {
  let root: string;
  let certs: LicenseCertResult;
  let svc: LicenseServer;
  let log: JsonLog;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'bkcec-lstatus-'));
    const issuer = join(root, 'issuer');
    await ensureLicenseCerts({ dir: issuer, hosts: [{ ip: '10.77.0.11', macs: [MAC] }], validityDays: 200 });
    await mkdir(join(root, 'bundle'));
    for (const n of ['ca.crt', 'platform.cert', 'platform.key'])
      await copyFile(join(issuer, n), join(root, 'bundle', n));
    certs = await ensureLicenseCerts({
      dir: join(root, 'cert'),
      hosts: [{ ip: '10.77.0.11', macs: [MAC] }],
      bundleDir: join(root, 'bundle'),
    });
    const p = certs.paths;
    log = openJsonLog(join(root, 'license.log'));
    svc = await startLicenseServer(
      {
        listen: '127.0.0.1',
        port: 0,
        serverCert: p.serverCert,
        serverKey: p.serverKey,
        caCert: p.caCert,
        netClassDir: '/sys/class/net',
        macs: [MAC],
        maxBodyBytes: 65536,
      },
      log,
    );
  });
  afterAll(async () => {
    await svc?.close();
    await log?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('reports a valid license with its end date and days left', async () => {
    const p = certs.paths;
    const s = await licenseStatus(
      `https://localhost:${svc.port}`,
      p.serverCaCert,
      p.platformCert,
      p.platformKey,
    );
    expect(s).toMatchObject({ valid: true, result: 0, message: 'success', daysLeft: 199 });
    expect(s.validEnd?.getTime()).toBeGreaterThan(Date.now() + 199 * 86_400_000);
  });

  it('refuses a server whose certificate is not from the CA it was given', async () => {
    const p = certs.paths;
    const s = await licenseStatus(`https://localhost:${svc.port}`, p.caCert, p.platformCert, p.platformKey);
    expect(s).toMatchObject({ valid: false, result: null });
    expect(s.message).toMatch(/license check failed after 1 attempt\(s\): .*(certificate|issuer)/i);
  });

  it('reports an unreachable service without throwing', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as { port: number }).port;
    await new Promise((r) => probe.close(r));
    const p = certs.paths;
    const s = await licenseStatus(`https://127.0.0.1:${port}`, p.serverCaCert, p.platformCert, p.platformKey);
    expect(s).toEqual({
      valid: false,
      result: null,
      message: expect.stringMatching(/ECONNREFUSED/),
      validEnd: null,
      daysLeft: null,
    });
  });
});
