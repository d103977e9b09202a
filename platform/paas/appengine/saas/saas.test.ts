// S-mart packages: every malformed package refused at upload naming its problem with nothing
// stored; a good one stored with its md5, its app created from app.yml, served to agents only.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PaasDeps, startPaasDeps } from '../../../../test/support/paas';
import { rows } from '../../common/db/pool';
import { upsertServer } from '../agents/store';
import { buildAppengineApp } from '../app';
import { appYml, smart, tarGz } from './testing';
import { checkPackage, LIMITS } from './validate';

const malformed: [string, Buffer, RegExp][] = [
  ['not gzip', Buffer.from('PK\x03\x04 a zip file'), /expected a \.tar\.gz file/],
  ['gzip of no tar', gzipSync(Buffer.alloc(0)), /expected a tar archive with files, found none/],
  [
    'no app.yml',
    tarGz([{ path: 'demo/src/wsgi.py', data: 'x' }]),
    /expected demo\/app\.yml in the package, found none/,
  ],
  [
    'app.yml in src/ only',
    tarGz([{ path: 'demo/src/app.yml', data: appYml('demo') }]),
    /expected app\.yml directly in demo\//,
  ],
  [
    'no top folder',
    tarGz([
      { path: 'app.yml', data: appYml('demo') },
      { path: 'src/wsgi.py', data: 'x' },
    ]),
    /expected one top folder <code>\/ with app\.yml and src\/, found app\.yml, src/,
  ],
  [
    'no src/',
    tarGz([{ path: 'demo/app.yml', data: appYml('demo') }]),
    /expected the app's code in demo\/src\//,
  ],
  [
    'code mismatch',
    smart('demo', [], appYml('other')),
    /app_code other does not match the package's top folder demo\//,
  ],
  [
    'path escape',
    smart('demo', [{ path: 'demo/src/../../../etc/cron.d/x', data: 'x' }]),
    /path escapes the package/,
  ],
  ['absolute path', smart('demo', [{ path: '/etc/passwd', data: 'x' }]), /absolute path/],
  [
    'symlink',
    smart('demo', [{ path: 'demo/src/settings.py', symlink: '/etc/shadow' }]),
    /symlinks are not allowed/,
  ],
  ['hard link', smart('demo', [{ path: 'demo/src/h', hardlink: 'etc/shadow' }]), /hardlinks are not allowed/],
  ['device', smart('demo', [{ path: 'demo/src/dev', flag: '3' }]), /type "3" members are not allowed/],
  ['bad YAML', smart('demo', [], 'app_code: [demo'), /app\.yml: expected YAML/],
  ['no app_name', smart('demo', [], appYml('demo', { app_name: null })), /expected app_name, found none/],
  [
    'bad language',
    smart('demo', [], appYml('demo', { language: 'java' })),
    /expected language python or nodejs/,
  ],
  [
    'bad env key',
    smart('demo', [], appYml('demo', { env: [{ key: 'PATH', value: '/tmp' }] })),
    /expected env keys starting with BKAPP_/,
  ],
  [
    'bad code',
    smart('Bad-Code', [], appYml('Bad-Code')),
    /expected app_code of lower-case letters, digits and _/,
  ],
];

describe('S-mart package checks', () => {
  it.each(malformed)('refuses a package with %s', (_what, buf, why) => {
    expect(() => checkPackage(buf)).toThrow(why);
  });

  it('refuses an oversized package and one that inflates past the limit', () => {
    const buf = smart('demo', [{ path: 'demo/pkgs/big.whl', data: Buffer.alloc(2_000_000) }]);
    expect(() => checkPackage(buf, { ...LIMITS, packageBytes: 1000 })).toThrow(
      /package too large: \d+ bytes, expected at most 1000/,
    );
    expect(() => checkPackage(buf, { ...LIMITS, unpackedBytes: 1_000_000 })).toThrow(
      /expected at most 1000000 bytes once unpacked/,
    );
  });

  it('accepts codes with underscores and reads app.yml fields with their defaults', () => {
    const buf = smart(
      'bk_sops',
      [{ path: 'bk_sops/pkgs/six.whl', data: 'w' }],
      appYml('bk_sops', { is_use_celery: true, env: [{ key: 'BKAPP_X', value: 'it\'s "q"' }] }),
    );
    const p = checkPackage(buf);
    expect(p.meta).toMatchObject({
      app_code: 'bk_sops',
      app_name: 'Sample',
      version: '1.0.0',
      language: 'python',
      is_use_celery: true,
      is_use_celery_beat: false,
      env: [{ key: 'BKAPP_X', value: 'it\'s "q"' }],
    });
    expect(p.md5).toBe(createHash('md5').update(buf).digest('hex'));
  });
});

describe('upload through the appengine API', () => {
  let deps: PaasDeps;
  let engine: FastifyInstance;
  let base: string;
  let admin: Record<string, string>;
  beforeAll(async () => {
    deps = await startPaasDeps();
    engine = buildAppengineApp({ config: deps.config, db: deps.db, log: false });
    base = await engine.listen({ host: '127.0.0.1', port: 0 });
    admin = { 'x-app-code': 'bk_paas', 'x-app-token': deps.config.secrets.ESB_TOKEN };
  });
  afterAll(async () => {
    await engine?.close();
    await deps?.stop();
  });
  const upload = async (buf: Buffer, headers = admin) => {
    const r = await fetch(`${base}/v1/saas/packages/`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/gzip', 'x-file-name': 'demo.tar.gz' },
      body: buf,
    });
    // biome-ignore lint/suspicious/noExplicitAny: each test asserts the shape it expects
    return { status: r.status, body: (await r.json()) as any };
  };
  const count = async (sql: string) => (await rows<{ n: number }>(deps.db, sql))[0]!.n;

  it('refuses each malformed package naming the problem, storing nothing', async () => {
    for (const [what, buf, why] of malformed) {
      const r = await upload(buf);
      expect(r.status, what).toBe(400);
      expect(r.body.message, what).toMatch(/^S-mart package refused: /);
      expect(r.body.message, what).toMatch(why);
    }
    expect(await count('SELECT COUNT(*) AS n FROM engine_saas_packages')).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM engine_saas_package_chunks')).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM engine_apps')).toBe(0);
  });

  it('needs the platform headers', async () => {
    expect((await upload(smart('demo'), {})).status).toBe(403);
    expect(await count('SELECT COUNT(*) AS n FROM engine_saas_packages')).toBe(0);
  });

  it('stores a good package with its md5, creates the app from app.yml, serves it to agents only', async () => {
    const buf = smart('bk_demo', [], appYml('bk_demo', { app_name: 'Demo SaaS', language: 'python' }));
    const r = await upload(buf);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const md5 = createHash('md5').update(buf).digest('hex');
    expect(r.body.data).toMatchObject({
      md5,
      size: buf.length,
      app: { app_code: 'bk_demo', app_lang: 'python', name: 'Demo SaaS' },
    });
    const [app] = await rows<{ app_lang: string }>(
      deps.db,
      "SELECT app_lang FROM engine_apps WHERE app_code = 'bk_demo'",
    );
    expect(app?.app_lang).toBe('python');
    const id = r.body.data.package_id;
    const list = await fetch(`${base}/v1/apps/bk_demo/saas/packages/`, {
      headers: { 'x-app-code': 'bk_demo', 'x-app-token': r.body.data.app.token },
    });
    expect(((await list.json()) as { data: unknown }).data).toEqual([
      expect.objectContaining({ id, md5, version: '1.0.0' }),
    ]);
    const dl = (h: Record<string, string>) =>
      fetch(`${base}/v1/saas/packages/${id}/download/`, { headers: h });
    expect((await dl({})).status).toBe(403);
    expect((await dl(admin)).status).toBe(403);
    const s = await upsertServer(deps.db, {
      ip: '127.0.0.1',
      agentPort: 1,
      webPort: 2,
      category: 'tapp',
      name: 'a',
    });
    const got = await dl({ 'x-id': s.s_id, 'x-token': s.token });
    expect(got.status).toBe(200);
    expect(
      createHash('md5')
        .update(Buffer.from(await got.arrayBuffer()))
        .digest('hex'),
    ).toBe(md5);
  });
});
