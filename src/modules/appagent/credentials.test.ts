import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureServers, parseServers } from './credentials';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('agent server credentials', () => {
  it('are made once, kept across runs, and stored 0600', async () => {
    const d = await mkdtemp(join(tmpdir(), 'bkcec-appsrv-'));
    dirs.push(d);
    const a = await ensureServers(d, ['appo@10.0.0.1']);
    const b = await ensureServers(d, ['appo@10.0.0.1', 'appt@10.0.0.2']);
    expect(b.get('appo@10.0.0.1')).toEqual(a.get('appo@10.0.0.1'));
    expect(b.get('appt@10.0.0.2')!.sid).not.toBe(a.get('appo@10.0.0.1')!.sid);
    expect((await stat(join(d, '.app_servers'))).mode & 0o777).toBe(0o600);
    expect((await readFile(join(d, '.app_servers'), 'utf8')).trim().split('\n')).toHaveLength(2);
  });

  it('refuses a damaged file with its line number', async () => {
    expect(() => parseServers('# c\nappo@10.0.0.1 not-a-uuid x\n', 'f')).toThrow(
      /^f:2: expected "appo\|appt@IP SERVER_ID TOKEN"/,
    );
    const d = await mkdtemp(join(tmpdir(), 'bkcec-appsrv-'));
    dirs.push(d);
    await writeFile(join(d, '.app_servers'), 'nginx@1.2.3.4 a b\n');
    await expect(ensureServers(d, ['appo@10.0.0.1'])).rejects.toThrow(/\.app_servers:1:/);
  });
});
