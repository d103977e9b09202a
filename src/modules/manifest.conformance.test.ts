// The module conformance suite: every manifest of the composition root (src/modules/index.ts) is
// held to the same rules, so a new module passes or fails here before any host sees it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/ports';
import { engineInventory } from '../cli/session';
import { type ControlConfig, initControlDir, loadControlDir } from '../config';
import { Engine } from '../engine/engine';
import type { EngineEvent } from '../engine/events';
import { dependencyOrder } from '../engine/order';
import { unitList } from '../engine/script';
import { COMMANDS, type Command, type ModuleDef, type Step } from '../engine/types';
import { type Inventory, validateInventory } from '../inventory';
import { moduleDefs } from './index';

/** Three hosts with every module placed as its manifest allows, paas split over two hosts. */
const LAYOUT = [
  '10.0.0.1=consul,license,mysql,redis,nginx',
  '10.0.0.2=consul,paas(appengine-paas),appo',
  '10.0.0.3=consul,paas(esb-login),appt',
].join(' ');

type Built = { module: string; command: Command; host: string; steps: Step[] };

/**
 * The modules with every command's steps recorded as the engine builds them, and the package folders
 * their sync names made (empty) so shipping is planned as with a built package.
 */
function recording(built: Built[]): ModuleDef[] {
  return moduleDefs.map((m) => ({
    ...m,
    sync:
      m.sync &&
      ((h) => {
        const specs = m.sync!(h);
        for (const s of specs) mkdirSync(join(h.run.pkgDir, s.local), { recursive: true });
        return specs;
      }),
    commands: Object.fromEntries(
      Object.entries(m.commands).map(([command, def]) => [
        command,
        {
          ...def,
          steps: async (h: Parameters<typeof def.steps>[0], prepared: unknown) => {
            const steps = [...(await def.steps(h, prepared))];
            built.push({ module: m.name, command: command as Command, host: h.ip, steps });
            return steps;
          },
        },
      ]),
    ),
  }));
}

describe('module manifests', () => {
  let dir: string;
  let cfg: ControlConfig;
  const built: Built[] = [];
  const events: EngineEvent[] = [];
  let opened = 0;

  beforeAll(async () => {
    dir = await tempDir('conformance');
    await initControlDir(dir, { layout: LAYOUT });
    cfg = await loadControlDir(dir);
    const consul = join(dir, 'pkg', 'consul', 'consul');
    mkdirSync(dirname(consul), { recursive: true });
    writeFileSync(consul, '', { mode: 0o755 });
    const engine = new Engine({
      inventory: engineInventory(cfg),
      modules: recording(built),
      pkgDir: join(dir, 'pkg'),
      openTransport: async (h) => {
        opened++;
        throw new Error(`a dry run opened the transport of ${h}`);
      },
      dryRun: true,
      emit: (e) => events.push(e),
    });
    await engine.deploy();
    for (const c of COMMANDS) await engine.run(c, 'all');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('a dry run of deploy and of every command on all opens no transport', () => {
    expect(opened).toBe(0);
    const failed = events.flatMap((e) =>
      e.type === 'failure' ? [`${e.module} ${e.command} ${e.host}`] : [],
    );
    expect(failed).toEqual([]);
  });

  it('every command that a module defines builds steps for each of its hosts', () => {
    for (const m of moduleDefs)
      for (const c of Object.keys(m.commands)) {
        const hosts = new Set(built.filter((b) => b.module === m.name && b.command === c).map((b) => b.host));
        expect(hosts.size, `${m.name} ${c}`).toBeGreaterThan(0);
      }
  });

  it('step ids are unique within each (module, command) on each host', () => {
    for (const b of built) {
      const ids = b.steps.map((s) => s.id);
      const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
      expect(twice, `${b.module} ${b.command} on ${b.host}`).toEqual([]);
    }
  });

  it("every restart a step owes (or sync owes) is paid by a step of the module's own commands", () => {
    let checked = 0;
    for (const m of moduleDefs) {
      const mine = built.filter((b) => b.module === m.name).flatMap((b) => b.steps);
      const consumed = new Set(mine.flatMap((s) => unitList(s.consumes)));
      const owed = new Set([...mine.flatMap((s) => unitList(s.notify)), ...(m.sync ? [m.name] : [])]);
      const unpaid = [...owed].filter((u) => !consumed.has(u));
      checked += owed.size;
      expect(unpaid, `${m.name}: owed but never consumed`).toEqual([]);
    }
    expect(checked).toBeGreaterThan(moduleDefs.length);
  });

  it('names are unique, `after` names known modules without a cycle, deploy runs defined commands', () => {
    const names = moduleDefs.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    for (const m of moduleDefs) {
      for (const a of m.after) expect(names, `${m.name} after ${a}`).toContain(a);
      for (const c of m.deploy ?? []) expect(Object.keys(m.commands), `${m.name} deploy ${c}`).toContain(c);
    }
    expect(
      dependencyOrder(moduleDefs)
        .map((m) => m.name)
        .sort(),
    ).toEqual([...names].sort());
  });

  it('ports: a name belongs to one module (or to modules that never share a host), defaults distinct', () => {
    const owner = new Map<string, string>();
    const byValue = new Map<string, string>();
    for (const m of moduleDefs)
      for (const p of m.ports ?? []) {
        const other = owner.get(p.name);
        if (other && other !== m.name) {
          const apart = (a: string, b: string) =>
            moduleDefs.find((x) => x.name === a)?.placement?.apart?.includes(b) ?? false;
          expect(apart(other, m.name) || apart(m.name, other), `${p.name}: ${other} and ${m.name}`).toBe(
            true,
          );
          continue;
        }
        owner.set(p.name, m.name);
        // `$NAME` defaults are the same port by design (an alias within the module)
        if (p.default.startsWith('$')) {
          expect(owner.get(p.default.slice(1)), `${p.name} refers to ${p.default}`).toBe(m.name);
          continue;
        }
        expect(byValue.get(p.default), `${p.name} and ${byValue.get(p.default)} both ${p.default}`).toBe(
          undefined,
        );
        byValue.set(p.default, p.name);
      }
  });

  describe('placement rules hold: each violation of a manifest is refused', () => {
    const where = new Map();
    const valid = (): Inventory => ({
      hosts: LAYOUT.split(' ').map((e) => {
        const [ip, mods] = e.split('=') as [string, string];
        return {
          ip,
          modules: mods.split(',').map((t) => {
            const [module, projects] = t.replace(')', '').split('(') as [string, string | undefined];
            return projects ? { module, projects: projects.split('-') } : { module };
          }),
        };
      }),
    });
    const messages = (inv: Inventory) =>
      validateInventory(inv, 'install.config', where).map((i) => i.message);
    const without = (inv: Inventory, name: string): Inventory => ({
      hosts: inv.hosts.map((h) => ({ ...h, modules: h.modules.filter((p) => p.module !== name) })),
    });
    const add = (inv: Inventory, ip: string, name: string): Inventory => ({
      hosts: inv.hosts.map((h) => (h.ip === ip ? { ...h, modules: [...h.modules, { module: name }] } : h)),
    });

    it('the layout that places every module is valid', () => {
      expect(messages(valid())).toEqual([]);
    });

    for (const m of moduleDefs) {
      const rules = m.placement ?? {};
      if (rules.single)
        it(`${m.name}: on one host at most`, () => {
          const ips = valid().hosts.map((h) => h.ip);
          let inv = without(valid(), m.name);
          for (const ip of ips.slice(0, 2)) inv = add(inv, ip, m.name);
          expect(messages(inv).join('\n')).toContain(`expected ${m.name} on one host`);
        });
      if (rules.counts)
        it(`${m.name}: only on ${rules.counts.join(', ')} hosts`, () => {
          const bad = [0, 1, 2, 3].find((n) => !rules.counts!.includes(n))!;
          let inv = without(valid(), m.name);
          for (const h of valid().hosts.slice(0, bad)) inv = add(inv, h.ip, m.name);
          const allowed = `${rules.counts!.slice(0, -1).join(', ')} or ${rules.counts!.at(-1)}`;
          expect(messages(inv).join('\n')).toContain(`expected ${m.name} on ${allowed} hosts`);
        });
      for (const need of rules.needs ?? [])
        it(`${m.name}: needs ${need}`, () => {
          expect(messages(without(valid(), need)).join('\n')).toContain(
            `expected a host with ${need} (${m.name} needs it)`,
          );
        });
      for (const other of rules.apart ?? [])
        it(`${m.name}: never on a host with ${other}`, () => {
          const host = valid().hosts.find((h) => h.modules.some((p) => p.module === m.name))!;
          const inv = add(without(valid(), other), host.ip, other);
          expect(messages(inv).join('\n')).toContain(`expected ${m.name} and ${other} on different hosts`);
        });
      if (m.projects?.length)
        it(`${m.name}: every project runs somewhere`, () => {
          const inv = valid();
          for (const h of inv.hosts)
            for (const p of h.modules) if (p.module === m.name) p.projects = [m.projects![0]!];
          expect(messages(inv).join('\n')).toContain(`expected every project of ${m.name} on some host`);
        });
    }
  });
});
