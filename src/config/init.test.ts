import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadControlDir } from './control';
import { primaryIpv4 } from './hostip';
import { initControlDir, layoutHostLines } from './init';
import { InputError } from './issues';
import { loginPasswordProblem } from './rules';

let base: string;
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'bkcec-init-'));
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

const mode = async (p: string) => (await stat(p)).mode & 0o777;

describe('initControlDir', () => {
  it('writes a directory that loads cleanly: this machine alone by default', async () => {
    const dir = join(base, 'ctl', 'sub');
    await initControlDir(dir);
    const cfg = await loadControlDir(dir);
    expect(cfg.inventory.group).toBe('bkce-basic');
    expect(cfg.inventory.hosts).toEqual([
      {
        ip: await primaryIpv4(),
        modules: ['consul', 'license', 'mysql', 'redis', 'nginx', 'paas', 'appt'].map((module) => ({
          module,
        })),
      },
    ]);
    expect(cfg.globals.get('BK_DOMAIN')).toBe('bking.com');
    expect(cfg.globals.get('PAAS_FQDN')).toBe('paas.bking.com');
    expect(cfg.globals.get('MYSQL_USER')).toBe('bkcec');
    expect(cfg.ports.get('PAAS_HTTP_PORT')).toBe('80');
    expect(cfg.ports.get('LOGIN_PORT')).toBe('8003');
    expect(loginPasswordProblem(cfg.globals.get('PAAS_ADMIN_PASS') as string)).toBeUndefined();
    expect(Buffer.from(cfg.globals.get('CONSUL_ENCRYPT') as string, 'base64')).toHaveLength(32);
    expect(cfg.ssh).toEqual({ user: 'root', port: 22 });
  });

  it('makes globals.env 0600 and a new control directory 0700', async () => {
    const dir = join(base, 'new');
    await initControlDir(dir, { layout: '10.0.0.1=consul,mysql' });
    expect(await mode(dir)).toBe(0o700);
    expect(await mode(join(dir, 'globals.env'))).toBe(0o600);
    expect(await mode(join(dir, 'install.config'))).toBe(0o644);
  });

  it('gives the parents it creates 0755 (service users traverse them), whatever the umask', async () => {
    const old = process.umask(0o077);
    try {
      await initControlDir(join(base, 'data', 'install'), { layout: '10.0.0.1=consul' });
    } finally {
      process.umask(old);
    }
    expect(await mode(join(base, 'data'))).toBe(0o755);
    expect(await mode(join(base, 'data', 'install'))).toBe(0o700);
  });

  it('leaves the mode of an existing directory alone', async () => {
    await mkdir(join(base, 'existing'), { mode: 0o755 });
    await initControlDir(join(base, 'existing'), { layout: '10.0.0.1=consul' });
    expect(await mode(join(base, 'existing'))).toBe(0o755);
  });

  it('writes a --layout with projects and loads it back in order', async () => {
    const dir = join(base, 'three');
    const layout =
      '10.0.0.3=paas,license,redis,consul 10.0.0.1=nginx,appt,consul 10.0.0.2=mysql,consul,paas(esb-login)';
    await initControlDir(dir, { layout });
    const cfg = await loadControlDir(dir);
    expect(cfg.inventory.hosts.map((h) => h.ip)).toEqual(['10.0.0.3', '10.0.0.1', '10.0.0.2']);
    expect(cfg.inventory.hosts[2]!.modules.at(-1)).toEqual({ module: 'paas', projects: ['esb', 'login'] });
    expect(await readFile(join(dir, 'install.config'), 'utf8')).toContain(
      '\n10.0.0.2 mysql,consul,paas(esb-login)\n',
    );
  });

  it('refuses to overwrite unless forced, then keeps the secrets', async () => {
    const dir = join(base, 'twice');
    await initControlDir(dir, { layout: '10.0.0.1=consul' });
    const before = await readFile(join(dir, 'globals.env'), 'utf8');
    await expect(initControlDir(dir, { layout: '10.0.0.1=consul' })).rejects.toThrow(
      `${join(dir, 'install.config')}:1:1: expected no install.config yet (pass --force to overwrite it), found one`,
    );
    await rm(join(dir, 'install.config'));
    await expect(initControlDir(dir)).rejects.toThrow(
      `${join(dir, 'globals.env')}:1:1: expected no globals.env yet`,
    );
    expect(await readFile(join(dir, 'globals.env'), 'utf8')).toBe(before);
    await initControlDir(dir, { layout: '10.0.0.1=consul', force: true });
    const after = await readFile(join(dir, 'globals.env'), 'utf8');
    expect(after).toBe(before);
    expect(await mode(join(dir, 'globals.env'))).toBe(0o600);
    await loadControlDir(dir);
  });

  it('tightens a pre-existing loose globals.env when forced', async () => {
    const dir = join(base, 'loose');
    await mkdir(dir);
    await writeFile(join(dir, 'globals.env'), 'old', { mode: 0o644 });
    await initControlDir(dir, { layout: '10.0.0.1=consul', force: true });
    expect(await mode(join(dir, 'globals.env'))).toBe(0o600);
  });

  it('rejects a bad layout before writing anything', async () => {
    const dir = join(base, 'bad');
    const err = await initControlDir(dir, { layout: '10.0.0.1=consul,mysql 10.0.0.2=gse' }).catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toBe(
      "--layout:1:32: expected a module name (consul, license, mysql, redis, nginx, paas, appo, appt), found 'gse'",
    );
    await expect(stat(dir)).rejects.toThrow('ENOENT');
  });
});

describe('layoutHostLines', () => {
  it.each([
    ['10.0.0.1', "--layout:1:1: expected IP=module,module, found '10.0.0.1'"],
    ['10.0.0.1=consul 10.0.0.2=consul', '--layout:1:26: expected consul on 1, 3, 5 or 7 hosts'],
    ['10.0.0.1=consul,mysql, redis', "--layout:1:24: expected IP=module,module, found 'redis'"],
    [
      '10.0.0.1=consul 10.0.0.300=appo',
      '--layout:1:17: expected every part of an IPv4 address to be 0-255, found 300',
    ],
    [
      '10.0.0.1=consul,paas(x)',
      "--layout:1:22: expected a project of paas (appengine, paas, esb, login), found 'x'",
    ],
    ['', '--layout:1:1: expected at least one host line (IP module,module), found none'],
  ])('%j', (layout, message) => {
    expect(() => layoutHostLines(layout)).toThrow(message);
  });

  it('turns entries into host lines', () => {
    expect(layoutHostLines(' 10.0.0.1=consul,mysql  10.0.0.1=redis ')).toEqual([
      '10.0.0.1 consul,mysql',
      '10.0.0.1 redis',
    ]);
  });
});
