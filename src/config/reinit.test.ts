import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../cli/main';
import { Journal, stepKey } from '../engine/journal';
import { loadControlDir } from './control';
import { initControlDir } from './init';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bkcec-reinit-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const secretsOf = async () => {
  const g = (await loadControlDir(dir)).globals;
  return Object.fromEntries(
    ['MYSQL_PASS', 'REDIS_PASS', 'PAAS_ADMIN_PASS', 'ESB_TOKEN', 'ESB_SECRET_KEY', 'CONSUL_ENCRYPT'].map(
      (n) => [n, g.get(n)],
    ),
  );
};
/** What a deploy leaves: a journal with finished steps. */
const deployed = async () => {
  const j = await Journal.load(dir);
  j.markDone(stepKey('10.0.0.1', 'consul', 'install', 'config'), 'h1');
  await j.save();
};
/** Runs the real command line; returns its exit code and what it printed. */
async function cli(...args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const stdout = new PassThrough();
  stdout.on('data', (c) => {
    out += c;
  });
  const errWrite = process.stderr.write;
  process.stderr.write = ((c: string) => {
    out += c;
    return true;
  }) as typeof process.stderr.write;
  try {
    const code = await main(['-C', dir, 'init', '--layout', '10.0.0.1=consul,mysql', ...args], { stdout });
    return { code, out };
  } finally {
    process.stderr.write = errWrite;
  }
}

describe('init --force over an existing control directory', () => {
  it('keeps every secret globals.env holds, live platform or not, and rewrites the rest', async () => {
    await initControlDir(dir, { layout: '10.0.0.1=consul' });
    const before = await secretsOf();
    await deployed();
    const r = await cli('--force');
    expect(r).toMatchObject({ code: 0 });
    expect(r.out).toContain(
      'kept the secrets globals.env held: CONSUL_ENCRYPT, MYSQL_PASS, REDIS_PASS, PAAS_ADMIN_PASS, ESB_TOKEN, ESB_SECRET_KEY\n',
    );
    expect(await secretsOf()).toEqual(before);
    expect((await loadControlDir(dir)).inventory.hosts[0]!.modules.map((m) => m.module)).toEqual([
      'consul',
      'mysql',
    ]);
  });

  it('refuses on a live platform when a secret would be new, naming what breaks, and writes nothing', async () => {
    await initControlDir(dir, { layout: '10.0.0.1=consul' });
    await deployed();
    const file = join(dir, 'globals.env');
    const text = (await readFile(file, 'utf8')).replace(
      /^export CONSUL_ENCRYPT=.*$/m,
      "export CONSUL_ENCRYPT='c2hvcnQ='",
    );
    await writeFile(file, text);
    const r = await cli('--force');
    expect(r.code).toBe(2);
    expect(r.out).toContain('its journal records 1 deployed steps');
    expect(r.out).toContain('found CONSUL_ENCRYPT missing or invalid');
    expect(r.out).toContain('cannot join Consul');
    expect(r.out).toContain('--force --regenerate-secrets');
    expect(await readFile(file, 'utf8')).toBe(text);
    expect(await readFile(join(dir, 'install.config'), 'utf8')).toContain('\n10.0.0.1 consul\n');
  });

  it('refuses on a live platform whose globals.env is gone (init without --force too)', async () => {
    await initControlDir(dir, { layout: '10.0.0.1=consul' });
    await deployed();
    for (const f of ['globals.env', 'install.config', 'ports.env']) await rm(join(dir, f));
    const r = await cli();
    expect(r.code).toBe(2);
    expect(r.out).toContain(
      'MYSQL_PASS, REDIS_PASS, PAAS_ADMIN_PASS, ESB_TOKEN, ESB_SECRET_KEY, CONSUL_ENCRYPT missing',
    );
    await expect(readFile(join(dir, 'globals.env'))).rejects.toThrow('ENOENT');
  });

  it('makes new values for what is missing when nothing was deployed', async () => {
    await initControlDir(dir, { layout: '10.0.0.1=consul' });
    const before = await secretsOf();
    const file = join(dir, 'globals.env');
    await writeFile(file, (await readFile(file, 'utf8')).replace(/^export REDIS_PASS=.*$/m, ''));
    expect((await cli('--force')).code).toBe(0);
    const after = await secretsOf();
    expect(after.REDIS_PASS).toMatch(/^[A-Za-z0-9]{24}$/);
    expect(after.REDIS_PASS).not.toBe(before.REDIS_PASS);
    expect({ ...after, REDIS_PASS: 0 }).toEqual({ ...before, REDIS_PASS: 0 });
  });

  it('--regenerate-secrets replaces every secret of a live platform and says what that breaks', async () => {
    await initControlDir(dir, { layout: '10.0.0.1=consul' });
    const before = await secretsOf();
    await deployed();
    expect((await cli('--regenerate-secrets')).code).toBe(2);
    expect(await secretsOf()).toEqual(before);
    const r = await cli('--force', '--regenerate-secrets');
    expect(r.code).toBe(0);
    expect(r.out).toContain('hosts of a deployed platform still hold the old ones');
    const after = await secretsOf();
    for (const [k, v] of Object.entries(after)) expect([k, v]).not.toEqual([k, before[k]]);
  });

  it('treats an unreadable journal as live', async () => {
    await initControlDir(dir, { layout: '10.0.0.1=consul' });
    await mkdir(join(dir, '.bkcec'));
    await writeFile(join(dir, '.bkcec', 'journal.json'), '{broken');
    await rm(join(dir, 'globals.env'));
    expect((await cli('--force')).code).toBe(2);
  });
});
