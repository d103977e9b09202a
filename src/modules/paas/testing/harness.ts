// Test harness for module tests: a real package directory (scripts/build.mjs), an engine over local
// transports with hand-made host variables, every event collected, and supervisord shut down after.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort } from '../../../../test/support/ports';
import type { EngineInventory } from '../../../engine/context';
import { Engine } from '../../../engine/engine';
import type { EngineEvent } from '../../../engine/events';
import type { ModuleDef } from '../../../engine/types';
import { LocalTransport } from '../../../transport/local';
import type { Transport } from '../../../transport/transport';

const run = promisify(execFile);
const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

/** Builds the package directory into `dir` with the real build script. */
export async function buildPackage(dir: string): Promise<void> {
  await run(process.execPath, [join(REPO, 'scripts', 'build.mjs')], {
    env: { ...process.env, BKCEC_PKG: dir },
    cwd: REPO,
  });
}

/** An engine for one host (`vars.LAN_IP`) running `modules` locally; `events` keeps everything emitted. */
export function localEngine(o: {
  controlDir: string;
  pkgDir: string;
  modules: readonly ModuleDef[];
  vars: Record<string, string>;
  projects?: string[];
}) {
  const ip = o.vars.LAN_IP!;
  const events: EngineEvent[] = [];
  const inventory: EngineInventory = {
    controlDir: o.controlDir,
    hosts: [ip],
    hostsOf: (m) => (o.modules.some((d) => d.name === m) ? [ip] : []),
    projectsOf: () => undefined,
    varsOf: () => o.vars,
  };
  let transport: Transport | undefined;
  const engine = new Engine({
    inventory,
    modules: o.modules,
    pkgDir: o.pkgDir,
    openTransport: async () => {
      transport ??= new LocalTransport(ip);
      return transport;
    },
    projects: o.projects,
    emit: (e) => events.push(e),
  });
  return { engine, events };
}

/** Step events of one (module, command) as `step:outcome` strings. */
export function outcomes(events: readonly EngineEvent[], module: string, command: string): string[] {
  return events.flatMap((e) =>
    e.type === 'step' && e.module === module && e.command === command ? [`${e.step}:${e.outcome}`] : [],
  );
}

/** Status lines emitted by status steps. */
export const statusLines = (events: readonly EngineEvent[]): string[] =>
  events.flatMap((e) => (e.type === 'status' ? [e.text] : []));

/** Failure messages, for assertion messages. */
export const failures = (events: readonly EngineEvent[]): string =>
  events
    .flatMap((e) =>
      e.type === 'failure' ? [`${e.host} ${e.module} ${e.step}: ${e.stderrTail.join(' | ')}`] : [],
    )
    .join('\n');

/** Stops the supervisord of `installPath` (and its programs), then removes the folder. */
export async function cleanupInstall(installPath: string): Promise<void> {
  await run('supervisorctl', ['-c', join(installPath, 'etc', 'supervisord.conf'), 'shutdown']).catch(
    () => {},
  );
  for (let i = 0; i < 50; i++) {
    const alive = await run('pgrep', ['-f', `${installPath}/etc/supervisord.conf`]).then(
      () => true,
      () => false,
    );
    if (!alive) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await rm(installPath, { recursive: true, force: true });
}

/** Host variables of a one-host paas on 127.0.0.1 against test MariaDB/Redis, every port free. */
export async function paasVars(
  installPath: string,
  db: { host: string; port: number; rootUser: string; rootPassword: string },
  redis: { host: string; port: number; password: string },
  adminPass: string,
): Promise<Record<string, string>> {
  const ip = '127.0.0.1';
  const vars: Record<string, string> = {
    INSTALL_PATH: installPath,
    LAN_IP: ip,
    HAS_DNS_SERVER: '1',
    PAAS_FQDN: 'paas.bking.com',
    MYSQL_HOST: db.host,
    MYSQL_PORT: String(db.port),
    MYSQL_USER: db.rootUser,
    MYSQL_PASS: db.rootPassword,
    REDIS_HOST: redis.host,
    REDIS_PORT: String(redis.port),
    REDIS_PASS: redis.password,
    PAAS_DOMAIN: 'paas.bking.com',
    PAAS_INNER_DOMAIN: 'paas.service.consul:80',
    BK_COOKIE_DOMAIN: '.bking.com',
    HTTP_SCHEMA: 'http',
    ESB_SECRET_KEY: randomBytes(30).toString('base64url'),
    ESB_TOKEN: randomBytes(20).toString('hex'),
    PAAS_ADMIN_USER: 'admin',
    PAAS_ADMIN_PASS: adminPass,
    CONSUL_HTTP_PORT: String(await freePort()),
    PAAS_IP: ip,
  };
  for (const p of ['APPENGINE', 'PAAS', 'ESB', 'LOGIN']) {
    vars[`${p}_PORT`] = String(await freePort());
    vars[`PAAS_${p}_IP`] = ip;
    vars[`PAAS_${p}_IP0`] = ip;
  }
  return vars;
}
