// The journal's memory of placements, and what a shrunk install.config leaves departed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineInventory } from './context';
import { Journal, stepKey } from './journal';
import { departed, removalInventory, removalModules } from './remove';
import type { ModuleDef } from './types';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function journalWith(placements: [string, string][]): Promise<Journal> {
  const dir = mkdtempSync(join(tmpdir(), 'bkcec-remove-'));
  dirs.push(dir);
  const j = await Journal.load(dir);
  for (const [host, module] of placements) {
    j.markDone(stepKey(host, module, 'install', 'config'), 'h1', 'id');
    j.markDone(stepKey(host, module, 'install', 'installed-module'), 'h2', 'id');
    j.markDone(stepKey(host, module, 'sync', '/data/x'), 'h3', 'id');
    j.setHostId(host, 'id');
  }
  return j;
}

const mod = (name: string, hosts?: ModuleDef['hosts']): ModuleDef => ({
  name,
  after: [],
  commands: {},
  hosts,
});
const MODULES = [mod('consul', (c) => [...c.allHosts]), mod('paas'), mod('mysql')];

function inventory(placement: Record<string, string[]>): EngineInventory {
  const hosts = [...new Set(Object.values(placement).flat())];
  return {
    controlDir: '/x',
    hosts,
    hostsOf: (m) => placement[m] ?? [],
    projectsOf: () => undefined,
    varsOf: (ip) => ({ LAN_IP: ip, INSTALL_PATH: '/data/bkce', PAAS_IP: (placement.paas ?? []).join(' ') }),
  };
}

describe('departed placements', () => {
  it('names what the journal installed and install.config no longer places, in module order', async () => {
    const j = await journalWith([
      ['10.0.0.1', 'mysql'],
      ['10.0.0.1', 'consul'],
      ['10.0.0.2', 'paas'],
      ['10.0.0.2', 'consul'],
      ['10.0.0.3', 'paas'],
      ['10.0.0.3', 'consul'],
    ]);
    // 10.0.0.3 left; paas moved off 10.0.0.2 (which stays, with mysql now).
    const inv = inventory({ mysql: ['10.0.0.1', '10.0.0.2'], paas: ['10.0.0.1'] });
    expect(departed(j, MODULES, inv)).toEqual([
      { host: '10.0.0.3', module: 'consul' },
      { host: '10.0.0.2', module: 'paas' },
      { host: '10.0.0.3', module: 'paas' },
    ]);
  });

  it('a module never installed (install unfinished) is not departed', async () => {
    const j = await journalWith([['10.0.0.1', 'consul']]);
    j.markDone(stepKey('10.0.0.9', 'paas', 'install', 'config'), 'h', 'id');
    expect(departed(j, MODULES, inventory({ paas: ['10.0.0.1'] }))).toEqual([]);
  });

  it('the removal runs each module on its departed hosts only, a gone host with the current variables', () => {
    const inv = inventory({ paas: ['10.0.0.1'], mysql: ['10.0.0.1'] });
    const gone = [
      { host: '10.0.0.3', module: 'consul' },
      { host: '10.0.0.3', module: 'paas' },
    ];
    const r = removalInventory(inv, gone);
    const mods = removalModules(MODULES, gone);
    expect(mods.map((m) => m.name)).toEqual(['consul', 'paas']);
    const hostsOf = (m: ModuleDef) => m.hosts?.({ allHosts: r.hosts, hostsOf: (x) => r.hostsOf(x) });
    expect(mods.map(hostsOf)).toEqual([['10.0.0.3'], ['10.0.0.3']]);
    expect(r.varsOf('10.0.0.3')).toMatchObject({ LAN_IP: '10.0.0.3', PAAS_IP: '10.0.0.1' });
  });
});

describe('forgetModule', () => {
  it('forgets the module on the host, then the host once nothing is installed there', async () => {
    const j = await journalWith([
      ['10.0.0.3', 'paas'],
      ['10.0.0.3', 'consul'],
      ['10.0.0.1', 'paas'],
    ]);
    j.owe('10.0.0.3', 'paas:esb');
    j.owe('10.0.0.3', 'consul');
    j.forgetModule('10.0.0.3', 'paas');
    expect(j.has(stepKey('10.0.0.3', 'paas', 'install', 'config'))).toBe(false);
    expect(j.isOwed('10.0.0.3', 'paas:esb')).toBe(false);
    expect(j.isOwed('10.0.0.3', 'consul')).toBe(true);
    expect(j.lastHostId('10.0.0.3')).toBe('id');
    j.forgetModule('10.0.0.3', 'consul');
    expect(j.installedPlacements()).toEqual([{ host: '10.0.0.1', module: 'paas' }]);
    expect(j.owedList()).toEqual([]);
    expect(j.lastHostId('10.0.0.3')).toBeUndefined();
    // A module whose name starts like another is not touched (paas vs paas2).
    expect(j.has(stepKey('10.0.0.1', 'paas', 'sync', '/data/x'))).toBe(true);
  });
});
