import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLicenseClient } from '../../lib/license/client';
import { makePki, type Pki, startService } from '../../test/support/license';

const MAC = '02:42:ac:11:00:07';

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

async function checkLines(logFile: string): Promise<number> {
  const text = await readFile(logFile, 'utf8').catch(() => '');
  return text.split('\n').filter((l) => l.includes('"event":"check"')).length;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('license client', () => {
  let pki: Pki;
  const opts = (port: number) => ({
    url: `https://localhost:${port}`,
    caPath: pki.files.ca,
    certPath: pki.files.platformCert,
    keyPath: pki.files.platformKey,
  });

  beforeAll(async () => {
    pki = await makePki([MAC]);
  });
  afterAll(() => pki.cleanup());

  it('caches a valid answer for ttlMs, then asks again', async () => {
    const svc = await startService(pki, { macs: [MAC] });
    try {
      const client = createLicenseClient({ ...opts(svc.port), ttlMs: 300 });
      const [a, b] = await Promise.all([client.check(), client.check()]);
      expect(a).toMatchObject({ status: true, result: 0, message: 'success' });
      expect(b).toBe(a);
      expect(await client.check()).toBe(a);
      expect(await checkLines(svc.logFile)).toBe(1);
      await sleep(350);
      expect((await client.check()).result).toBe(0);
      expect(await checkLines(svc.logFile)).toBe(2);
    } finally {
      await svc.close();
    }
  });

  it('does not cache an invalid answer', async () => {
    const svc = await startService(pki, { macs: ['02:00:00:00:00:01'] });
    try {
      const client = createLicenseClient({ ...opts(svc.port), ttlMs: 60_000 });
      expect((await client.check()).result).toBe(1006);
      expect((await client.check()).result).toBe(1006);
      expect(await checkLines(svc.logFile)).toBe(2);
    } finally {
      await svc.close();
    }
  });

  it('retries a failed call and succeeds once the service is up', async () => {
    const port = await freePort();
    const client = createLicenseClient({ ...opts(port), backoffMs: 150 });
    const pending = client.check();
    await sleep(60);
    const svc = await startService(pki, { macs: [MAC], port });
    try {
      expect((await pending).result).toBe(0);
    } finally {
      await svc.close();
    }
  });

  it('gives up after 1 + retries attempts and says why', async () => {
    let connections = 0;
    const broken: Server = createServer((sock) => {
      connections++;
      sock.destroy();
    });
    await new Promise<void>((r) => broken.listen(0, '127.0.0.1', r));
    const port = (broken.address() as { port: number }).port;
    try {
      const client = createLicenseClient({ ...opts(port), backoffMs: 10 });
      await expect(client.check()).rejects.toThrow(/license check failed after 3 attempt\(s\)/);
      expect(connections).toBe(3);
      const once = createLicenseClient({ ...opts(port), retries: 0 });
      await expect(once.check()).rejects.toThrow(/after 1 attempt/);
      expect(connections).toBe(4);
    } finally {
      await new Promise((r) => broken.close(r));
    }
  });

  it('times out an attempt that gets no answer', async () => {
    const silent: Server = createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    try {
      const client = createLicenseClient({ ...opts(port), retries: 0, timeoutMs: 200 });
      await expect(client.check()).rejects.toThrow(
        /no answer from https:\/\/localhost:\d+\/certificate within 200 ms/,
      );
    } finally {
      silent.close();
      await new Promise((r) => setTimeout(r, 10));
    }
  });
});
