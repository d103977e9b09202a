// The initdata steps carry the database's identity: the same database keeps their journal hash, a
// dropped-and-recreated or wiped one changes it (so the journal runs them again).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stepHash } from '../../engine/script';
import type { HostContext, RunContext } from '../../engine/types';
import { LocalTransport } from '../../transport/local';
import { initdataSteps, prepareTokens } from './initdata';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'bkcec-dbident-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

async function hashes(): Promise<Record<string, string>> {
  const vars = {
    INSTALL_PATH: join(root, 'install'),
    LAN_IP: '127.0.0.1',
    MYSQL_IP: '127.0.0.1',
    PAAS_ADMIN_PASS: 'x',
  };
  const run: RunContext = {
    controlDir: join(root, 'ctrl'),
    pkgDir: join(root, 'pkg'),
    dryRun: false,
    allHosts: ['127.0.0.1'],
    varsOf: () => vars,
    transport: async (ip) => new LocalTransport(ip),
    hostsOf: () => ['127.0.0.1'],
    projectsOf: () => [],
    log: () => {},
  };
  mkdirSync(run.controlDir, { recursive: true });
  const facts = await prepareTokens(run);
  const h = { ip: '127.0.0.1', vars, index: 0, hosts: ['127.0.0.1'], run } as HostContext;
  return Object.fromEntries((await initdataSteps(h, facts)).map((s) => [s.id, stepHash(s)]));
}

describe('paas initdata and the database', () => {
  it('runs again when the database folder was wiped or recreated, not while it is the same', async () => {
    const db = join(root, 'install', 'public', 'mysql', 'open_paas');
    mkdirSync(db, { recursive: true });
    const first = await hashes();
    expect(await hashes()).toEqual(first);
    rmSync(db, { recursive: true });
    const wiped = await hashes();
    mkdirSync(db);
    const recreated = await hashes();
    for (const id of ['migrate', 'admin', 'esb-sync', 'app-accounts']) {
      expect(wiped[id], id).not.toBe(first[id]);
      expect(recreated[id], id).not.toBe(first[id]);
    }
    expect(wiped['wait-services']).toBe(first['wait-services']);
  });
});
