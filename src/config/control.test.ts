import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadControlDir } from './control';
import { PORT_DEFAULTS } from './defaults';
import { InputError } from './issues';

const CONSUL_KEY = randomBytes(32).toString('base64');
const GLOBALS = [
  'export BK_DOMAIN=bking.com',
  'export PAAS_FQDN=paas.$BK_DOMAIN',
  'export HTTP_SCHEMA=http',
  'export INSTALL_PATH=/data/bkce',
  'export HAS_DNS_SERVER=0',
  'export MYSQL_USER=bkcec',
  "export MYSQL_PASS='Secret1'",
  "export REDIS_PASS='Secret2'",
  'export PAAS_ADMIN_USER=admin',
  "export PAAS_ADMIN_PASS='Adm1n!pass'",
  "export ESB_TOKEN='tok'",
  "export ESB_SECRET_KEY='key'",
  `export CONSUL_ENCRYPT='${CONSUL_KEY}'`,
].join('\n');
const PORTS = PORT_DEFAULTS.map(([n, v]) => `export ${n}=${v}`).join('\n');
const CONFIG = '[bkce-basic]\n10.0.0.1 consul,license,mysql,redis,nginx,paas\n10.0.0.2 appo';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bkcec-ctl-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Replaces (or with `undefined`, deletes) the `export NAME=` line; a name not present is appended. */
function withVar(text: string, name: string, line: string | undefined): string {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.startsWith(`export ${name}=`));
  if (i < 0) return line === undefined ? text : `${text}\n${line}`;
  if (line === undefined) lines.splice(i, 1);
  else lines[i] = line;
  return lines.join('\n');
}

async function write(files: { config?: string; globals?: string; ports?: string }) {
  if (files.config !== undefined) await writeFile(join(dir, 'install.config'), files.config);
  if (files.globals !== undefined) await writeFile(join(dir, 'globals.env'), files.globals);
  if (files.ports !== undefined) await writeFile(join(dir, 'ports.env'), files.ports);
}

async function issuesOf(): Promise<string[]> {
  const err = await loadControlDir(dir).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InputError);
  return (err as InputError).message.split('\n');
}

/** [name, file, variable, new line (undefined = delete), expected "line:col", message fragment] */
const BAD: [string, 'globals' | 'ports', string, string | undefined, string, string][] = [
  [
    'domain without dot',
    'globals',
    'BK_DOMAIN',
    'export BK_DOMAIN=localhost',
    '1:18',
    'expected a domain with a dot',
  ],
  [
    'domain underscore',
    'globals',
    'BK_DOMAIN',
    'export BK_DOMAIN=bk_ing.com',
    '1:18',
    "letters, digits, '-' and '.'",
  ],
  [
    'domain upper TLD',
    'globals',
    'BK_DOMAIN',
    'export BK_DOMAIN=bking.COM',
    '1:18',
    'end with .<lowercase letters>',
  ],
  [
    'domain leading hyphen',
    'globals',
    'BK_DOMAIN',
    'export BK_DOMAIN=-bk.com',
    '1:18',
    "no leading/trailing '-'",
  ],
  [
    'FQDN outside domain',
    'globals',
    'PAAS_FQDN',
    'export PAAS_FQDN=paas.other.com',
    '2:18',
    "ending with .bking.com (BK_DOMAIN, for the login cookie), found 'paas.other.com'",
  ],
  [
    'other FQDN outside domain',
    'globals',
    'JOB_FQDN',
    'export JOB_FQDN=job.bking.org',
    '14:17',
    'JOB_FQDN: expected a name ending with .bking.com',
  ],
  [
    'bad schema',
    'globals',
    'HTTP_SCHEMA',
    'export HTTP_SCHEMA=ftp',
    '3:20',
    "expected http or https, found 'ftp'",
  ],
  [
    'relative install path',
    'globals',
    'INSTALL_PATH',
    'export INSTALL_PATH=data/bkce',
    '4:21',
    'expected an absolute path',
  ],
  ['root install path', 'globals', 'INSTALL_PATH', 'export INSTALL_PATH=/', '4:21', "found '/'"],
  [
    'dotdot install path',
    'globals',
    'INSTALL_PATH',
    'export INSTALL_PATH=/data/../x',
    '4:21',
    'expected an absolute path',
  ],
  [
    'bad HAS_DNS_SERVER',
    'globals',
    'HAS_DNS_SERVER',
    'export HAS_DNS_SERVER=yes',
    '5:23',
    "expected 0 (write /etc/hosts) or 1 (own DNS), found 'yes'",
  ],
  [
    'bad BK_LANGUAGE',
    'globals',
    'BK_LANGUAGE',
    'export BK_LANGUAGE=fr',
    '14:20',
    "expected zh-cn or en, found 'fr'",
  ],
  ['bad mysql user', 'globals', 'MYSQL_USER', 'export MYSQL_USER=bk-cec', '6:19', 'expected a MySQL user'],
  [
    'missing secret',
    'globals',
    'MYSQL_PASS',
    undefined,
    '1:1',
    'expected MYSQL_PASS to be set, found no definition',
  ],
  [
    'empty secret',
    'globals',
    'MYSQL_PASS',
    "export MYSQL_PASS=''",
    '7:19',
    'expected a value for MYSQL_PASS, found an empty one',
  ],
  [
    'secret with space',
    'globals',
    'REDIS_PASS',
    "export REDIS_PASS='a b'",
    '8:19',
    'expected a secret without whitespace',
  ],
  [
    'weak admin password',
    'globals',
    'PAAS_ADMIN_PASS',
    "export PAAS_ADMIN_PASS='short'",
    '10:24',
    'expected 8-20 characters',
  ],
  [
    'admin password bad symbol',
    'globals',
    'PAAS_ADMIN_PASS',
    "export PAAS_ADMIN_PASS='Abcdefg1&'",
    '10:24',
    'symbols only from',
  ],
  [
    'short admin user',
    'globals',
    'PAAS_ADMIN_USER',
    'export PAAS_ADMIN_USER=ad',
    '9:24',
    'expected a user name of 4-20',
  ],
  [
    'bad consul key',
    'globals',
    'CONSUL_ENCRYPT',
    "export CONSUL_ENCRYPT='abc'",
    '13:23',
    'expected base64 of 32 random bytes',
  ],
  [
    'array secret',
    'globals',
    'ESB_TOKEN',
    'export ESB_TOKEN=( a b )',
    '11:18',
    'expected ESB_TOKEN to be a single value, found an array',
  ],
  [
    'generated name defined',
    'globals',
    'LAN_IP',
    'export LAN_IP=10.0.0.9',
    '14:8',
    'expected LAN_IP to be left to bkcec',
  ],
  [
    'generated IP name defined',
    'ports',
    'MYSQL_IP0',
    'MYSQL_IP0=10.0.0.9',
    `${PORT_DEFAULTS.length + 1}:1`,
    'expected MYSQL_IP0 to be left to bkcec',
  ],
  [
    'ssh port zero',
    'globals',
    'BK_SSH_PORT',
    'export BK_SSH_PORT=0',
    '14:20',
    "BK_SSH_PORT: expected a port number 1-65535, found '0'",
  ],
  [
    'ssh user',
    'globals',
    'BK_SSH_USER',
    'export BK_SSH_USER=Root',
    '14:20',
    "expected a Unix user name like root, found 'Root'",
  ],
  [
    'ssh key missing',
    'globals',
    'BK_SSH_KEY',
    'export BK_SSH_KEY=nokey',
    '14:19',
    'expected a private key file, found nothing at',
  ],
  [
    'port too big',
    'ports',
    'MYSQL_PORT',
    'export MYSQL_PORT=70000',
    '4:19',
    "MYSQL_PORT: expected a port number 1-65535, found '70000'",
  ],
  ['port leading zero', 'ports', 'REDIS_PORT', 'export REDIS_PORT=06379', '5:19', "found '06379'"],
  [
    'port missing',
    'ports',
    'LOGIN_PORT',
    undefined,
    '1:1',
    'expected LOGIN_PORT to be set, found no definition',
  ],
  [
    'extra port checked',
    'ports',
    'EXTRA_PORT',
    'export EXTRA_PORT=http',
    `${PORT_DEFAULTS.length + 1}:19`,
    'EXTRA_PORT: expected a port number',
  ],
  [
    'ports collide on a host',
    'ports',
    'ESB_PORT',
    'export ESB_PORT=$MYSQL_PORT',
    '12:17',
    'expected distinct ports on 10.0.0.1, found MYSQL_PORT and ESB_PORT both 3306',
  ],
  [
    'shell in ports',
    'ports',
    'ESB_PORT',
    'export ESB_PORT=`echo 1`',
    '12:17',
    "found '`' which needs a shell",
  ],
];

describe('loadControlDir: bad globals.env / ports.env', () => {
  it.each(BAD)('%s', async (_name, which, variable, line, pos, fragment) => {
    const globals = which === 'globals' ? withVar(GLOBALS, variable, line) : GLOBALS;
    const ports = which === 'ports' ? withVar(PORTS, variable, line) : PORTS;
    await write({ config: CONFIG, globals, ports });
    const file = join(dir, which === 'globals' ? 'globals.env' : 'ports.env');
    const lines = await issuesOf();
    expect(
      lines.some((l) => l.startsWith(`${file}:${pos}: `) && l.includes(fragment)),
      lines.join('\n'),
    ).toBe(true);
  });
});

describe('loadControlDir', () => {
  it('loads a valid directory with SSH defaults', async () => {
    await write({ config: CONFIG, globals: GLOBALS, ports: PORTS });
    const cfg = await loadControlDir(dir);
    expect(cfg.dir).toBe(dir);
    expect(cfg.inventory.hosts.map((h) => h.ip)).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(cfg.globals.get('PAAS_FQDN')).toBe('paas.bking.com');
    expect(cfg.ports.get('PAAS_HTTP_PORT')).toBe('80');
    expect(cfg.ssh).toEqual({ user: 'root', port: 22 });
  });

  it('resolves SSH paths against the control directory', async () => {
    await writeFile(join(dir, 'id_test'), 'key');
    const ssh =
      'export BK_SSH_USER=deploy\nexport BK_SSH_PORT=2222\nBK_SSH_KEY=id_test\nBK_SSH_KNOWN_HOSTS=/etc/kh';
    await write({ config: CONFIG, globals: `${GLOBALS}\n${ssh}`, ports: PORTS });
    const cfg = await loadControlDir(dir);
    expect(cfg.ssh).toEqual({
      user: 'deploy',
      port: 2222,
      keyPath: join(dir, 'id_test'),
      knownHostsPath: '/etc/kh',
    });
  });

  it('names every missing file', async () => {
    const lines = await issuesOf();
    expect(lines).toEqual(
      ['install.config', 'globals.env', 'ports.env'].map(
        (f) =>
          `${join(dir, f)}:1:1: expected a readable ${join(dir, f)}, found no such file (run bkcec init to create one)`,
      ),
    );
  });

  it('throws one error with the issues of all three files, in file order', async () => {
    await write({
      config: '10.0.0.1 consul,mysql,gse',
      globals: withVar(GLOBALS, 'HTTP_SCHEMA', 'export HTTP_SCHEMA=ftp'),
      ports: withVar(PORTS, 'MYSQL_PORT', 'export MYSQL_PORT=x'),
    });
    const lines = await issuesOf();
    expect(lines).toEqual([
      `${join(dir, 'install.config')}:1:23: expected a module name (consul, license, mysql, redis, nginx, paas, appo, appt), found 'gse'`,
      `${join(dir, 'globals.env')}:3:20: HTTP_SCHEMA: expected http or https, found 'ftp'`,
      `${join(dir, 'ports.env')}:4:19: MYSQL_PORT: expected a port number 1-65535, found 'x'`,
    ]);
  });

  it('never echoes a secret in an issue', async () => {
    await write({
      config: CONFIG,
      globals: withVar(GLOBALS, 'PAAS_ADMIN_PASS', "export PAAS_ADMIN_PASS='zz9&topsecret'"),
      ports: PORTS,
    });
    const lines = await issuesOf();
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('topsecret');
  });
});
