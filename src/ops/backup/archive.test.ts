// The archive on its own: packed root-only, unpacked only whole; every kind of damage refused.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pack, stage, unpack, withScratch } from './archive';
import { entryOf, FORMAT, type Manifest } from './manifest';

const work = mkdtempSync(join(tmpdir(), 'bkcec-archive-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const files = new Map<string, Buffer>([
  ['db/databases.sql', Buffer.from("CREATE DATABASE open_paas;\nINSERT INTO t VALUES ('x\\'y');\n")],
  ['control/globals.env', Buffer.from("export PAAS_ADMIN_PASS='Aa1!secretsecret'\n")],
  ['control/cert/platform.key', Buffer.from('-----BEGIN PRIVATE KEY-----\n')],
]);
const manifest = (f: Map<string, Buffer>): Manifest => ({
  format: FORMAT,
  created: '2026-12-01T00:00:00Z',
  source: { fqdn: 'paas.example.com', mysqlHost: '10.0.0.1' },
  databases: ['open_paas'],
  packages: [],
  files: [...f].map(([p, d]) => entryOf(p, d)),
});

/** Packs `f` with manifest `m` into a new archive; returns its path. */
async function make(name: string, f = files, m = manifest(files)): Promise<string> {
  const out = join(work, name);
  await withScratch(async (dir) => {
    await stage(dir, f);
    await pack(dir, out, m);
  });
  return out;
}

/** Re-tars a folder by hand (what a damaged or hostile archive looks like). */
const retar = (dir: string, out: string) => execFileSync('tar', ['-czf', out, '-C', dir, '.']);

describe('backup archive', () => {
  it('is written 0600 and unpacks to the same bytes', async () => {
    const a = await make('ok.tar.gz');
    expect(statSync(a).mode & 0o777).toBe(0o600);
    await withScratch(async (dir) => {
      const m = await unpack(a, dir);
      expect(m.files.map((f) => f.path).sort()).toEqual([...files.keys()].sort());
      expect(readFileSync(join(dir, 'db/databases.sql'))).toEqual(files.get('db/databases.sql'));
    });
  });

  it('refuses a flipped byte in the gzip stream', async () => {
    const a = await make('flip.tar.gz');
    const b = readFileSync(a);
    const i = Math.floor(b.length / 2);
    b[i] = (b[i] ?? 0) ^ 0xff;
    writeFileSync(a, b);
    await expect(withScratch((d) => unpack(a, d))).rejects.toThrow(/tar|damaged/);
  });

  it('refuses a changed, a missing and an unlisted file, naming each', async () => {
    const a = await make('base.tar.gz');
    const dir = mkdtempSync(join(work, 'x-'));
    execFileSync('tar', ['-xzf', a, '-C', dir]);
    writeFileSync(join(dir, 'db/databases.sql'), 'DROP DATABASE open_paas;\n');
    rmSync(join(dir, 'control/cert/platform.key'));
    writeFileSync(join(dir, 'control/extra'), 'x');
    retar(dir, join(work, 'bad.tar.gz'));
    const err = await withScratch((d) => unpack(join(work, 'bad.tar.gz'), d)).catch((e: Error) => e.message);
    expect(err).toMatch(/db\/databases\.sql: (expected \d+ bytes|SHA-256 differs)/);
    expect(err).toMatch(/control\/cert\/platform\.key: listed in the manifest, missing/);
    expect(err).toMatch(/control\/extra: in the archive but not in its manifest/);
    expect(err).toMatch(/nothing was changed/);
  });

  it('refuses symlinks and a manifest naming a path outside db/ and control/', async () => {
    const dir = mkdtempSync(join(work, 'l-'));
    await stage(dir, files);
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest(files)));
    symlinkSync('/etc/shadow', join(dir, 'control/link'));
    retar(dir, join(work, 'link.tar.gz'));
    await expect(withScratch((d) => unpack(join(work, 'link.tar.gz'), d))).rejects.toThrow(/refusing member/);
    const evil = new Map([['control/../../etc/x', Buffer.from('x')]]);
    const m = { ...manifest(files), files: [...evil].map(([p, d]) => entryOf(p, d)) };
    const d2 = mkdtempSync(join(work, 'e-'));
    writeFileSync(join(d2, 'manifest.json'), JSON.stringify(m));
    retar(d2, join(work, 'evil.tar.gz'));
    await expect(withScratch((d) => unpack(join(work, 'evil.tar.gz'), d))).rejects.toThrow(
      /not a bkcec backup manifest/,
    );
  });
});
