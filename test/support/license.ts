// Test helpers: certificates for every case, a running service on a random port, raw mTLS requests.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CertPair,
  issueCa,
  issueLeaf,
  platformSan,
  serverSan,
  validityFor,
} from '../../lib/license/issue';
import type { LicenseConfig } from '../../platform/license/config';
import { openJsonLog } from '../../platform/license/log';
import { type LicenseServer, startLicenseServer } from '../../platform/license/server';

const DAY = 86_400_000;

/** A CA, a server pair and a valid platform pair bound to `macs`, written into a temp folder. */
export async function makePki(macs: string[]) {
  const dir = await mkdtemp(join(tmpdir(), 'bkcec-license-'));
  const ca = await issueCa('test platform CA', validityFor(30));
  const server = await issueLeaf(ca, {
    commonName: 'license',
    usage: 'server',
    san: serverSan([]),
    validity: validityFor(30),
  });
  const platform = await platformCert(ca, macs, validityFor(30));
  const files = {
    ca: join(dir, 'ca.crt'),
    serverCert: join(dir, 'server.crt'),
    serverKey: join(dir, 'server.key'),
    platformCert: join(dir, 'platform.cert'),
    platformKey: join(dir, 'platform.key'),
  };
  await writeFile(files.ca, ca.certPem);
  await writeFile(files.serverCert, server.certPem);
  await writeFile(files.serverKey, server.keyPem, { mode: 0o600 });
  await writeFile(files.platformCert, platform.certPem);
  await writeFile(files.platformKey, platform.keyPem, { mode: 0o600 });
  return { dir, ca, server, platform, files, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
export type Pki = Awaited<ReturnType<typeof makePki>>;

/** A platform (client) certificate from `ca` bound to `macs`. */
export function platformCert(ca: CertPair, macs: string[], validity = validityFor(30)): Promise<CertPair> {
  return issueLeaf(ca, { commonName: 'test platform', usage: 'client', san: platformSan(macs), validity });
}

/** A validity window `fromDays`..`toDays` days from now. */
export function window(fromDays: number, toDays: number) {
  return { notBefore: new Date(Date.now() + fromDays * DAY), notAfter: new Date(Date.now() + toDays * DAY) };
}

/** Starts the service in this process on a random loopback port, logging to a new file in `pki.dir`. */
export async function startService(
  pki: Pki,
  extra: Partial<LicenseConfig> = {},
): Promise<LicenseServer & { logFile: string }> {
  const logFile = join(pki.dir, `license-${randomUUID()}.log`);
  const config: LicenseConfig = {
    listen: '127.0.0.1',
    port: 0,
    serverCert: pki.files.serverCert,
    serverKey: pki.files.serverKey,
    caCert: pki.files.ca,
    logFile,
    netClassDir: '/sys/class/net',
    maxBodyBytes: 64 * 1024,
    ...extra,
  };
  const log = openJsonLog(logFile);
  const server = await startLicenseServer(config, log);
  return {
    ...server,
    logFile,
    close: async () => {
      await server.close();
      await log.close();
    },
  };
}

/** A raw HTTPS request with a client pair (or none); resolves with status and parsed JSON body. */
export function rawRequest(
  port: number,
  o: { method?: string; path?: string; body?: string; ca: string; cert?: string; key?: string },
): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        servername: 'localhost',
        method: o.method ?? 'POST',
        path: o.path ?? '/certificate',
        ca: o.ca,
        cert: o.cert,
        key: o.key,
        agent: false,
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) }),
        );
      },
    );
    req.on('error', reject);
    req.end(o.body);
  });
}

/** Posts certificate text to /certificate authenticated with the fixture's valid platform pair. */
export function postCertificate(pki: Pki, port: number, certificate: string) {
  const body = JSON.stringify({ certificate, platform: 'test', requesttime: '2026-01-01 00:00:00' });
  return rawRequest(port, { body, ca: pki.ca.certPem, cert: pki.platform.certPem, key: pki.platform.keyPem });
}
