// The engine API the CLI (and tests, and benchmarks) drive: run a command on a module or all, or deploy.
import pLimit from 'p-limit';
import type { Transport } from '../transport/transport';
import { specOf } from './commands';
import type { EngineInventory } from './context';
import type { EngineEvent, EventSink, StepOutcome } from './events';
import { runHostPhase } from './host';
import { hostIdentity, stateDir } from './identity';
import { installedModules, installedStep } from './installed';
import { Journal } from './journal';
import { commandPhases, deployPhases, isShip, type Phase, type ShipPhase } from './order';
import { syncHost } from './sync';
import type { Command, CommandDef, HostContext, ModuleDef, RunContext, Step } from './types';

export interface EngineOptions {
  inventory: EngineInventory;
  modules: readonly ModuleDef[];
  pkgDir: string;
  /** Opens (or returns the already open) transport of a host. */
  openTransport: (host: string) => Promise<Transport>;
  /** Hosts worked on at once (default 16). */
  parallel?: number;
  /** Only these hosts. */
  limit?: readonly string[];
  /** Only these projects of the module. */
  projects?: readonly string[];
  dryRun?: boolean;
  fromScratch?: boolean;
  emit?: EventSink;
}

export interface RunSummary {
  ok: boolean;
  /** The run stopped before touching any host because an input is wrong (exit code 2). */
  badInput?: boolean;
  ms: number;
  counts: Record<StepOutcome, number>;
  failures: Extract<EngineEvent, { type: 'failure' }>[];
}

const zeroCounts = (): Record<StepOutcome, number> => ({
  ok: 0,
  changed: 0,
  skipped: 0,
  failed: 0,
  'would-run': 0,
  unknown: 0,
});

/**
 * `restart` of a module that defines only stop and start: one host at a time, stopped then started
 * (and checked by start's verify) before the next, so the module never has all its hosts down.
 */
function rollingRestart(stop: CommandDef, start: CommandDef): CommandDef {
  const tag = (part: string, steps: Step[]) => steps.map((s) => ({ ...s, id: `${part}-${s.id}` }));
  return {
    prepare: start.prepare,
    steps: async (h, prepared) => [
      ...tag('stop', [...(await stop.steps(h, undefined))]),
      ...tag('start', [...(await start.steps(h, prepared))]),
    ],
    waves: (hosts) => hosts.map((h) => [h]),
    verify: start.verify,
  };
}

export class Engine {
  private journal!: Journal;
  private readonly pendingUnits = new Set<string>();
  private summary: RunSummary = { ok: true, ms: 0, counts: zeroCounts(), failures: [] };
  private installed?: Map<string, Set<string>>;
  private identities = new Map<string, Promise<string>>();

  constructor(private readonly o: EngineOptions) {}

  /** `bkcec <command> <module|all>`. */
  run(command: Command, target: string): Promise<RunSummary> {
    const phases = commandPhases(this.o.modules, command, target).flatMap((p) => this.expand(p));
    const all = target === 'all' && specOf(command).reportsInstalled === true;
    return this.execute(command, target, phases, all);
  }

  /** The whole chain: every package shipped, then every module's deploy commands in order. */
  deploy(): Promise<RunSummary> {
    return this.execute('deploy', 'all', deployPhases(this.o.modules), false);
  }

  /** Commands a module does not define get their meaning from their spec and the module's others. */
  private expand(p: Phase): (Phase | ShipPhase)[] {
    const spec = specOf(p.command);
    if (spec.ships) return [{ ship: [p.module], command: p.command, label: p.module.name }];
    if (p.module.commands[p.command]) return [p];
    const { stop, start } = p.module.commands;
    if (spec.rolling && stop && start) return [{ ...p, def: rollingRestart(stop, start) }];
    if (spec.fallback)
      return spec.fallback.flatMap((command) => this.expand({ ...p, command: command as Command }));
    return [p];
  }

  private emit = (e: EngineEvent): void => {
    if (e.type === 'step') this.summary.counts[e.outcome]++;
    if (e.type === 'failure') this.summary.failures.push(e);
    this.o.emit?.(e);
  };

  /** `installedOnly`: hosts run a module only where `.installed_module` lists it, and a failed phase does not stop the others. */
  private async execute(
    command: string,
    target: string,
    phases: (Phase | ShipPhase)[],
    installedOnly: boolean,
  ): Promise<RunSummary> {
    const started = Date.now();
    this.summary = { ok: true, ms: 0, counts: zeroCounts(), failures: [] };
    this.identities = new Map();
    const dryRun = Boolean(this.o.dryRun);
    this.emit({
      type: 'run-start',
      command,
      target,
      dryRun,
      phases: phases.map((p) => ({ module: isShip(p) ? p.label : p.module.name, command: p.command })),
    });
    let loaded = false;
    try {
      this.journal = await Journal.load(this.o.inventory.controlDir, Boolean(this.o.fromScratch));
      loaded = true;
      if (!dryRun && !(await this.preflight(phases))) this.summary.badInput = true;
      else await this.phases(phases, installedOnly);
    } catch (err) {
      this.controllerFailure('controller', command, 'run', err);
      // An unreadable journal: nothing was touched, and it is left as it is.
      if (!loaded) this.summary.badInput = true;
    }
    if (this.summary.failures.length) this.summary.ok = false;
    if (!dryRun && loaded) await this.journal.save();
    this.summary.ms = Date.now() - started;
    this.emit({ type: 'run-end', ok: this.summary.ok, ms: this.summary.ms, counts: this.summary.counts });
    return this.summary;
  }

  private async phases(phases: (Phase | ShipPhase)[], installedOnly: boolean): Promise<void> {
    this.installed = installedOnly && !this.o.dryRun ? await installedModules(this.ctx()) : undefined;
    for (const phase of phases) {
      const ok = isShip(phase) ? await this.shipPhase(phase) : await this.phase(phase);
      if (!ok) {
        this.summary.ok = false;
        if (!installedOnly) break;
      }
    }
  }

  /**
   * Before any host is touched: every phase's steps built for every host as a dry run would (templates
   * rendered, scopes checked), so a bad value fails here and not after earlier modules changed hosts.
   */
  private async preflight(phases: (Phase | ShipPhase)[]): Promise<boolean> {
    const run: RunContext = { ...this.ctx(), dryRun: true, log: () => {} };
    const before = this.summary.failures.length;
    for (const phase of phases) {
      if (isShip(phase)) continue;
      const { module: m, command, def: made } = phase;
      const def = made ?? m.commands[command];
      if (!def) continue;
      let hosts = this.hostsOf()(m);
      if (def.once) hosts = hosts.slice(0, 1);
      for (const ip of hosts) {
        try {
          await def.steps({ ...this.hostContext(m, ip, hosts), run }, undefined);
        } catch (err) {
          this.controllerFailure(
            ip,
            command,
            'prepare',
            err,
            m.name,
            'build the steps (before any host is touched)',
          );
        }
      }
    }
    return this.summary.failures.length === before;
  }

  /** A failure raised on the controller (a thrown error), as the same events a host failure makes. */
  private controllerFailure(
    host: string,
    command: string,
    step: string,
    err: unknown,
    module = 'all',
    title = 'controller',
  ): void {
    const text = err instanceof Error ? err.message : String(err);
    this.emit({ type: 'step', host, module, command, step, title, outcome: 'failed' });
    this.emit({
      type: 'failure',
      host,
      module,
      command,
      step,
      title,
      code: 1,
      meaning: 'error on the controller',
      stderrTail: text.split('\n'),
    });
  }

  /** The host's identity, asked once per run (dry runs use the last one the journal saw). */
  private identity(ip: string): Promise<string | undefined> {
    if (this.o.dryRun) return Promise.resolve(this.journal.lastHostId(ip));
    let id = this.identities.get(ip);
    if (!id) {
      id = (async () => {
        const got = await hostIdentity(await this.o.openTransport(ip), stateDir(this.o.inventory.varsOf(ip)));
        const last = this.journal.lastHostId(ip);
        if (last && last !== got)
          this.emit({
            type: 'info',
            text: `${ip}: the host's identity changed (${last.slice(0, 8)} → ${got.slice(0, 8)}): rebuilt or wiped; every step runs there again`,
          });
        this.journal.setHostId(ip, got);
        return got;
      })();
      this.identities.set(ip, id);
    }
    return id;
  }

  private hostsOf(): (m: ModuleDef) => string[] {
    const inv = this.o.inventory;
    const limit = this.o.limit;
    return (m) =>
      (m.hosts?.({ allHosts: inv.hosts, hostsOf: (x) => inv.hostsOf(x) }) ?? inv.hostsOf(m.name)).filter(
        (h) => !limit?.length || limit.includes(h),
      );
  }

  private ctx(): RunContext {
    const inv = this.o.inventory;
    return {
      controlDir: inv.controlDir,
      pkgDir: this.o.pkgDir,
      dryRun: Boolean(this.o.dryRun),
      allHosts: inv.hosts,
      varsOf: (ip) => inv.varsOf(ip),
      transport: (ip) => this.o.openTransport(ip),
      hostsOf: (m, project) =>
        inv.hostsOf(m).filter((ip) => {
          const p = inv.projectsOf(ip, m);
          return project === undefined || !p || p.includes(project);
        }),
      projectsOf: (ip, m) =>
        inv.hostsOf(m).includes(ip)
          ? (inv.projectsOf(ip, m) ?? this.o.modules.find((x) => x.name === m)?.projects ?? [])
          : [],
      log: (line) => this.emit({ type: 'info', text: line }),
    };
  }

  private hostContext(m: ModuleDef, ip: string, hosts: readonly string[]): HostContext {
    const inv = this.o.inventory;
    const fromInv = inv.projectsOf(ip, m.name);
    const cli = this.o.projects;
    const projects = cli?.length ? (fromInv ? cli.filter((p) => fromInv.includes(p)) : cli) : fromInv;
    return { ip, vars: inv.varsOf(ip), projects, index: hosts.indexOf(ip), hosts, run: this.ctx() };
  }

  private async phase({ module: m, command, def: made }: Phase): Promise<boolean> {
    const def = made ?? m.commands[command];
    let hosts = this.hostsOf()(m);
    if (this.installed) hosts = hosts.filter((h) => this.installed?.get(h)?.has(m.name));
    if (!def || hosts.length === 0) {
      this.emit({ type: 'info', text: `${command} ${m.name}: nothing to do${def ? ' (no hosts)' : ''}` });
      return true;
    }
    if (def.once) hosts = hosts.slice(0, 1);
    const started = Date.now();
    this.emit({ type: 'phase-start', module: m.name, command, hosts });
    const ctx = this.ctx();
    let ok = true;
    try {
      const prepared = def.prepare && !ctx.dryRun ? await def.prepare(ctx, hosts) : undefined;
      const waves = def.waves?.(hosts, ctx, prepared) ?? [hosts];
      for (const wave of waves) {
        if (!(await this.wave(m, command, def, wave, hosts, prepared))) {
          ok = false;
          break;
        }
      }
    } catch (err) {
      this.controllerFailure('controller', command, 'prepare', err, m.name, `prepare ${command} ${m.name}`);
      ok = false;
    }
    if (ok && def.verify && !ctx.dryRun) ok = await this.verify(m, command, () => def.verify!(ctx, hosts));
    this.emit({ type: 'phase-end', module: m.name, command, ok, ms: Date.now() - started });
    return ok;
  }

  /** One wave of a phase: its hosts in parallel (bounded); false when any failed. */
  private async wave(
    m: ModuleDef,
    command: Command,
    def: NonNullable<ModuleDef['commands'][Command]>,
    wave: readonly string[],
    hosts: readonly string[],
    prepared: unknown,
  ): Promise<boolean> {
    const limit = pLimit(this.o.parallel ?? 16);
    const results = await Promise.all(
      wave.map((ip) =>
        limit(async () => {
          try {
            const h = this.hostContext(m, ip, hosts);
            const steps: Step[] = [...(await def.steps(h, prepared))];
            if (specOf(command).records) steps.push(installedStep(m.name, h.vars));
            return await runHostPhase({
              host: ip,
              module: m.name,
              command,
              steps,
              journal: this.journal,
              fromScratch: Boolean(this.o.fromScratch),
              dryRun: Boolean(this.o.dryRun),
              transport: () => this.o.openTransport(ip),
              emit: this.emit,
              pendingUnits: this.pendingUnits,
              hostId: await this.identity(ip),
              stateDir: stateDir(h.vars),
            });
          } catch (err) {
            this.controllerFailure(
              ip,
              command,
              'prepare',
              err,
              m.name,
              `prepare ${command} ${m.name} on ${ip}`,
            );
            return false;
          }
        }),
      ),
    );
    return !results.includes(false);
  }

  private async verify(m: ModuleDef, command: string, check: () => Promise<void>): Promise<boolean> {
    try {
      await check();
      return true;
    } catch (err) {
      const lines = (err instanceof Error ? err.message : String(err)).split('\n');
      this.emit({
        type: 'failure',
        host: 'controller',
        module: m.name,
        command,
        step: 'verify',
        title: 'verify',
        code: 1,
        meaning: 'check failed',
        stderrTail: lines,
      });
      return false;
    }
  }

  private async shipPhase({ ship, command, label }: ShipPhase): Promise<boolean> {
    const started = Date.now();
    const mods = ship.filter((m) => m.sync);
    const placement = mods.map((m) => ({ m, hosts: this.hostsOf()(m) }));
    const hosts = [...new Set(placement.flatMap((p) => p.hosts))];
    this.emit({ type: 'phase-start', module: label, command, hosts });
    const limit = pLimit(this.o.parallel ?? 16);
    const results = await Promise.all(
      hosts.map((ip) =>
        limit(async () => {
          try {
            return await syncHost({
              host: ip,
              command,
              modules: placement
                .filter((p) => p.hosts.includes(ip))
                .map((p) => ({ def: p.m, ctx: this.hostContext(p.m, ip, p.hosts) })),
              pkgDir: this.o.pkgDir,
              journal: this.journal,
              fromScratch: Boolean(this.o.fromScratch),
              dryRun: Boolean(this.o.dryRun),
              transport: () => this.o.openTransport(ip),
              emit: this.emit,
              hostId: await this.identity(ip),
              stateDir: stateDir(this.o.inventory.varsOf(ip)),
            });
          } catch (err) {
            this.controllerFailure(ip, command, 'connect', err, label, `reach ${ip}`);
            return false;
          }
        }),
      ),
    );
    const ok = !results.includes(false);
    this.emit({
      type: 'phase-end',
      module: label,
      command,
      ok,
      ms: Date.now() - started,
    });
    return ok;
  }
}
