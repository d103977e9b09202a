// appengine's license gate as a deploy wires it: certificates made the way `install license` makes
// them, shipped and rendered by the paas steps, read by the real appengine program (main.ts) from the
// rendered open_paas.json, asking the real license server.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmod, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appHeaders, call, finalEvent } from '../../../test/support/agent/engine';
import { localEngine, paasVars } from '../../../test/support/engine';
import { failureText } from '../../../test/support/events';
import { platformCert, startService, window } from '../../../test/support/license';
import { type PaasDeps, startPaasDeps } from '../../../test/support/paas';
import { freePort, tempDir, waitFor } from '../../../test/support/ports';
import { repoRoot } from '../../paths';
import { serviceUserSteps } from '../common/service-user';
import { ensureLicenseCerts } from '../license/ensure';
import { controlCertPaths } from '../license/paths';
import { configStep } from './config';
import { licenseCertSteps, paasCertPaths } from './license';
import { paasManifest } from './manifest';

const MAC = 'aa:bb:cc:dd:ee:19';
let root: string;
let deps: PaasDeps;
let vars: Record<string, string>;
let licensePort: number;
let appengine: ChildProcess | undefined;
let base: string;
let stopLicense: (() => Promise<void>) | undefined;

/** Runs the paas steps that carry the license: service user, certificates, rendered config. */
async function installLicenseParts(): Promise<void> {
  const h = localEngine({
    controlDir: join(root, 'ctrl'),
    pkgDir: join(root, 'pkg'),
    vars,
    placement: { license: ['127.0.0.1'] },
    modules: [
      {
        ...paasManifest,
        after: [],
        hosts: () => ['127.0.0.1'],
        commands: {
          install: {
            steps: async (hc) => [
              ...serviceUserSteps(hc.vars),
              ...(await licenseCertSteps(hc)),
              await configStep(hc),
            ],
          },
        },
      },
    ],
  });
  const r = await h.engine.run('install', 'paas');
  expect(r.ok, failureText(h.events)).toBe(true);
}

async function startLicense(): Promise<void> {
  const c = controlCertPaths(join(root, 'ctrl'));
  const svc = await startService(
    { dir: root, files: { ca: c.caCert, serverCert: c.serverCert, serverKey: c.serverKey } } as never,
    { port: licensePort, macs: [MAC] },
  );
  stopLicense = () => svc.close();
}

/** Creates an app through appengine and asks for a test deploy; returns the final event. */
async function deploy(code: string) {
  const admin = { 'x-app-code': 'bk_paas', 'x-app-token': vars.ESB_TOKEN! };
  const created = await call(base, '/v1/apps/', { json: { app_code: code, name: code }, headers: admin });
  expect(created.body.result, JSON.stringify(created.body)).toBe(true);
  const token = created.body.data.token as string;
  const r = await call(base, `/v1/apps/${code}/test/releases/`, {
    json: { envs: {} },
    headers: appHeaders(code, token),
  });
  return { reply: r.body, event: await finalEvent(base, code, token, r.body.data.event_id) };
}

beforeAll(async () => {
  root = await tempDir('paas-license');
  await chmod(root, 0o755); // the programs run as the service user and must reach their files
  deps = await startPaasDeps();
  licensePort = await freePort();
  vars = {
    ...(await paasVars(join(root, 'bkce'), deps.mariadb, deps.redis, 'Adm1n!pass')),
    LICENSE_IP: '127.0.0.1',
    LICENSE_HOST: 'localhost',
    LICENSE_PORT: String(licensePort),
  };
  await ensureLicenseCerts({ dir: join(root, 'ctrl', 'cert'), hosts: [{ ip: '127.0.0.1', macs: [MAC] }] });
  await installLicenseParts();
  const conf = join(vars.INSTALL_PATH!, 'etc', 'open_paas.json');
  appengine = spawn(
    process.execPath,
    ['--import', 'tsx', 'platform/paas/appengine/main.ts', '--config', conf],
    {
      cwd: repoRoot,
      stdio: 'ignore',
    },
  );
  base = `http://127.0.0.1:${vars.APPENGINE_PORT}`;
  await waitFor('appengine', async () =>
    fetch(`${base}/v1/healthz/`).then(
      () => true,
      () => false,
    ),
  );
}, 120_000);

afterAll(async () => {
  appengine?.kill();
  await stopLicense?.();
  await deps?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('appengine asks the license service before each deploy', () => {
  it('ships the platform pair and the server CA, the key readable by the service user only', async () => {
    const p = paasCertPaths(vars);
    const conf = JSON.parse(await readFile(join(vars.INSTALL_PATH!, 'etc', 'open_paas.json'), 'utf8'));
    expect(conf.license).toEqual({
      url: `https://localhost:${licensePort}`,
      caPath: p.ca,
      certPath: p.cert,
      keyPath: p.key,
    });
    expect((await stat(p.key)).mode & 0o777).toBe(0o640);
    expect(execFileSync('stat', ['-c', '%U:%G', p.key], { encoding: 'utf8' }).trim()).toBe('root:blueking');
    const c = controlCertPaths(join(root, 'ctrl'));
    expect(await readFile(p.cert, 'utf8')).toBe(await readFile(c.platformCert, 'utf8'));
    expect(await readFile(p.ca, 'utf8')).toBe(await readFile(c.serverCaCert, 'utf8'));
    // The programs run as the service user: it can read the key.
    expect(
      execFileSync('runuser', ['-u', 'blueking', '--', 'head', '-c', '27', p.key], { encoding: 'utf8' }),
    ).toBe('-----BEGIN PRIVATE KEY-----');
  });

  it('refuses the deploy while the license service is stopped', async () => {
    const { reply, event } = await deploy('lic-down');
    expect(reply).toMatchObject({ result: false, data: { error_code: 20101 } });
    expect(event.status).toBe('FAILURE');
    expect(event.logs).toMatch(
      /certificate verification failed, deploy refused: license service unreachable/,
    );
  });

  it('refuses the deploy with an expired platform certificate', async () => {
    await startLicense();
    const c = controlCertPaths(join(root, 'ctrl'));
    const valid = await readFile(c.platformCert, 'utf8');
    const ca = {
      certPem: await readFile(c.caCert, 'utf8'),
      keyPem: await readFile(join(root, 'ctrl', 'cert', 'ca.key'), 'utf8'),
    };
    const expired = await platformCert(ca, [MAC], window(-30, -1));
    await writeFile(c.platformCert, expired.certPem);
    const key = await readFile(c.platformKey, 'utf8');
    await writeFile(c.platformKey, expired.keyPem);
    await installLicenseParts();
    const { reply, event } = await deploy('lic-old');
    expect(reply).toMatchObject({ result: false, data: { error_code: 20101 } });
    expect(event.logs).toMatch(/deploy refused: license certificate expired on /);
    // Back to the valid pair: the same appengine lets the next deploy through the gate.
    await writeFile(c.platformCert, valid);
    await writeFile(c.platformKey, key);
    await installLicenseParts();
    const ok = await deploy('lic-ok');
    expect(ok.event.logs).not.toMatch(/deploy refused/);
    expect(ok.event.logs).toMatch(/no test server available/);
  });
});
