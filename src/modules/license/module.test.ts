// The license module end to end on this machine: certificates bound to its MACs, the real program
// under a real supervisord, status through a real mutual-TLS call, and a re-run that changes nothing.
import { execFileSync } from 'node:child_process';
import { chmod, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildPackage,
  cleanupInstall,
  localEngine,
  outcomes,
  statusLines,
} from '../../../test/support/engine';
import { failureText } from '../../../test/support/events';
import { freePort, tempDir } from '../../../test/support/ports';
import { licenseModule } from './module';

describe('license module on this machine', () => {
  let root: string;
  let vars: Record<string, string>;
  let h: ReturnType<typeof localEngine>;

  beforeAll(async () => {
    root = await tempDir('license-mod');
    await chmod(root, 0o755); // the program runs as the service user and must reach its files
    await buildPackage(join(root, 'pkg'));
    vars = {
      INSTALL_PATH: join(root, 'bkce'),
      LAN_IP: '127.0.0.1',
      LICENSE_IP: '127.0.0.1',
      LICENSE_PORT: String(await freePort()),
      CONSUL_HTTP_PORT: String(await freePort()),
      CERT_PATH: join(root, 'bkce', 'cert'),
    };
    h = localEngine({
      controlDir: join(root, 'ctrl'),
      pkgDir: join(root, 'pkg'),
      modules: [licenseModule],
      vars,
    });
  });
  afterAll(async () => {
    if (root) await cleanupInstall(join(root, 'bkce'));
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('installs, starts and reports a valid certificate', async () => {
    for (const c of ['sync', 'install', 'start'] as const) {
      const r = await h.engine.run(c, 'license');
      expect(r.ok, failureText(h.events)).toBe(true);
    }
    const ls = (p: string) =>
      execFileSync('stat', ['-c', '%a %U:%G', join(vars.INSTALL_PATH!, p)], { encoding: 'utf8' }).trim();
    expect(ls('cert/license_prv.key')).toBe('640 root:blueking');
    expect(ls('logs/license')).toBe('750 root:blueking');
    expect(ls('logs/license/service')).toBe('750 blueking:blueking');
    const pid = execFileSync(
      'bash',
      ['-c', `supervisorctl -c ${vars.INSTALL_PATH}/etc/supervisord.conf pid license:license-server`],
      {
        encoding: 'utf8',
      },
    ).trim();
    expect(execFileSync('ps', ['-o', 'user=', '-p', pid], { encoding: 'utf8' }).trim()).toBe('blueking');
    expect(await stat(join(vars.INSTALL_PATH!, 'cert', 'platform.key')).then((s) => s.mode & 0o777)).toBe(
      0o600,
    );
    await expect(stat(join(vars.INSTALL_PATH!, 'cert', 'ca.key'))).rejects.toThrow();
    const conf = JSON.parse(await readFile(join(vars.INSTALL_PATH!, 'etc', 'license.json'), 'utf8'));
    expect(conf.port).toBe(Number(vars.LICENSE_PORT));
    const svc = JSON.parse(
      await readFile(join(vars.INSTALL_PATH!, 'etc', 'consul.d', 'service-license.json'), 'utf8'),
    );
    expect(svc.service.check.tcp).toBe(`127.0.0.1:${vars.LICENSE_PORT}`);

    h.events.length = 0;
    const s = await h.engine.run('status', 'license');
    expect(s.ok, failureText(h.events)).toBe(true);
    const lines = statusLines(h.events);
    expect(lines.some((l) => / RUNNING /.test(l))).toBe(true);
    expect(lines.find((l) => l.startsWith('license: certificate'))).toMatch(
      /^license: certificate valid until \d{4}-\d\d-\d\d \((36[45]) day\(s\) left\)$/,
    );
  });

  it('changes nothing on a second install and start', async () => {
    h.events.length = 0;
    expect((await h.engine.run('install', 'license')).ok, failureText(h.events)).toBe(true);
    expect((await h.engine.run('start', 'license')).ok, failureText(h.events)).toBe(true);
    const changed = h.events.filter((e) => e.type === 'step' && e.outcome === 'changed');
    expect(changed).toEqual([]);
    expect(outcomes(h.events, 'license', 'install')).toContain('certificates:skipped');
  });

  it('reports a stopped service as failed status', async () => {
    expect((await h.engine.run('stop', 'license')).ok).toBe(true);
    h.events.length = 0;
    const s = await h.engine.run('status', 'license');
    expect(s.ok).toBe(false);
    expect(statusLines(h.events).join('\n')).toMatch(/STOPPED/);
  });
});
