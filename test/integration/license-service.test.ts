import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLicenseClient } from '../../lib/license/client';
import { ensureLicenseCerts } from '../../src/modules/license/ensure';

const MAC = '02:42:0a:4d:00:0b';

/** Starts the bundled program; resolves with the port from its ready line. */
function run(bundle: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [bundle, ...args], {
    env: { PATH: process.env.PATH, ...env },
    cwd: tmpdir(),
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (err += c));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const ready = new Promise<number>((resolve, reject) => {
    child.stdout.on('data', () => {
      const m = /listening on [^:]+:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    void exited.then((code) => reject(new Error(`exited ${code} before ready: ${err}`)));
  });
  ready.catch(() => {}); // tests of failed starts await `exited` only
  return { child, ready, exited, stderr: () => err };
}

describe('bundled license program', () => {
  let dir: string;
  let bundle: string;
  let cfgPath: string;
  let certs: Awaited<ReturnType<typeof ensureLicenseCerts>>;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bkcec-lmain-'));
    bundle = join(dir, 'dist', 'license.mjs');
    await build({
      entryPoints: [join(__dirname, '..', '..', 'platform', 'license', 'main.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: bundle,
      logLevel: 'error',
    });
    certs = await ensureLicenseCerts({ dir: join(dir, 'cert'), hosts: [{ ip: '10.77.0.11', macs: [MAC] }] });
    await mkdir(join(dir, 'net', 'eth0'), { recursive: true });
    await writeFile(join(dir, 'net', 'eth0', 'address'), `${MAC}\n`);
    const p = certs.paths;
    cfgPath = join(dir, 'license.json');
    const config = {
      listen: '127.0.0.1',
      port: 0,
      serverCert: p.serverCert,
      serverKey: p.serverKey,
      caCert: p.caCert,
      logFile: 'logs/license.log',
      netClassDir: 'net',
    };
    await writeFile(cfgPath, JSON.stringify(config));
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('serves checks with controller-made certificates, reads MACs on each check, stops on SIGTERM', async () => {
    const svc = run(bundle, ['--config', cfgPath]);
    children.push(svc.child);
    const port = await svc.ready;
    const p = certs.paths;
    const opts = {
      url: `https://localhost:${port}`,
      caPath: p.serverCaCert,
      certPath: p.platformCert,
      keyPath: p.platformKey,
      ttlMs: 0,
    };
    expect(await createLicenseClient(opts).check()).toMatchObject({ status: true, result: 0 });
    await writeFile(join(dir, 'net', 'eth0', 'address'), '02:42:0a:4d:00:99\n');
    expect((await createLicenseClient(opts).check()).result).toBe(1006);
    svc.child.kill('SIGTERM');
    expect(await svc.exited).toBe(0);
    const log = await readFile(join(dir, 'logs', 'license.log'), 'utf8');
    expect(log).toMatch(/"event":"listening".*"macs":\["02:42:0a:4d:00:0b"\]/);
    expect(log).toMatch(/"event":"check","client":"bkcec platform","platform":"bkcec","result":1006/);
    expect(log).toContain('"event":"stopping","signal":"SIGTERM"');
  });

  it('takes its config from BKCEC_CONFIG', async () => {
    const svc = run(bundle, [], { BKCEC_CONFIG: cfgPath });
    children.push(svc.child);
    expect(await svc.ready).toBeGreaterThan(0);
    svc.child.kill('SIGTERM');
    expect(await svc.exited).toBe(0);
  });

  it('exits 2 with a clear message on a bad config', async () => {
    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ port: 8443 }));
    const svc = run(bundle, ['--config', bad]);
    children.push(svc.child);
    expect(await svc.exited).toBe(2);
    expect(svc.stderr()).toMatch(/license: .*bad\.json: invalid license config: serverCert/);
    const none = run(bundle, []);
    children.push(none.child);
    expect(await none.exited).toBe(2);
    expect(none.stderr()).toContain('expected --config PATH or env BKCEC_CONFIG, found neither');
  });
});
