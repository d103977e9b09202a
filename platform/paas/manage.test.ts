import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../test/support/http';
import { type MariaDb, startMariadb } from '../../test/support/mariadb';
import { testConfig } from '../../test/support/paas';
import { freePort, tempDir, waitFor } from '../../test/support/ports';
import { type RedisServer, startRedis } from '../../test/support/redis';
import { MIGRATIONS } from './migrations/index';

const ALL = MIGRATIONS.map((m) => `${m.id}_${m.name}`);

let m: MariaDb;
let r: RedisServer;
let dir: string;
let cfgFile: string;

/** Bundle an entry the way the release build does (one ESM file). */
async function bundle(entry: string, out: string): Promise<string> {
  const outfile = join(dir, out);
  await build({
    entryPoints: [join(import.meta.dirname, entry)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'silent',
    banner: { js: "import{createRequire}from'module';const require=createRequire(import.meta.url);" },
  });
  return outfile;
}

function run(file: string, args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [file, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    c.stdout.on('data', (d) => (out += d));
    c.stderr.on('data', (d) => (err += d));
    c.on('exit', (code) => resolve({ code: code ?? -1, out, err }));
    c.stdin.end(stdin);
  });
}

beforeAll(async () => {
  [m, r] = await Promise.all([startMariadb(), startRedis()]);
  dir = await tempDir('manage');
  cfgFile = join(dir, 'paas.json');
});
afterAll(async () => {
  await Promise.all([m?.stop(), r?.stop()]);
});

describe('manage (bundled) and the bundled login program', () => {
  it('migrates twice, creates the admin once, and never resets the password', async () => {
    const port = await freePort();
    const cfg = testConfig(m, r, { listen: { host: '127.0.0.1', ports: { login: port } } });
    await writeFile(
      cfgFile,
      JSON.stringify({ ...cfg, admin: { PAAS_ADMIN_USER: 'admin', PAAS_ADMIN_PASS: 'First1234' } }),
      { mode: 0o600 },
    );
    const manage = await bundle('manage.ts', 'manage.mjs');
    const m1 = await run(manage, ['migrate', '--config', cfgFile]);
    expect(m1).toMatchObject({ code: 0, out: `applied: ${ALL.join(', ')}\n` });
    expect((await run(manage, ['migrate', '--config', cfgFile])).out).toBe('schema up to date\n');
    expect((await run(manage, ['create-admin', '--config', cfgFile])).out).toBe('superuser admin created\n');
    const again = await run(
      manage,
      ['create-admin', '--config', cfgFile, '--password-stdin'],
      'Second1234\n',
    );
    expect(again).toMatchObject({ code: 0, out: 'superuser admin exists; password left unchanged\n' });
    expect((await run(manage, ['nope'])).code).toBe(2);
    const bad = await run(manage, ['migrate', '--config', join(dir, 'missing.json')]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^manage migrate: cannot read config file/);

    const login = await bundle('login/main.ts', 'login.mjs');
    const child = spawn(process.execPath, [login], {
      env: { ...process.env, BKCEC_CONFIG: cfgFile },
      stdio: 'ignore',
    });
    try {
      const c = new Client(`http://127.0.0.1:${port}`);
      await waitFor('bundled login', async () => (await c.req('/healthz/')).status === 200, 15_000);
      expect((await c.signIn('admin', 'Second1234')).status).toBe(401);
      expect((await c.signIn('admin', 'First1234')).status).toBe(302);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
