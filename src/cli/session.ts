// Builds an Engine for a control directory: config, inventory view, transports, output, log, lock.
import { resolve } from 'node:path';
import { type ControlConfig, hostVars, loadControlDir } from '../config';
import type { EngineInventory } from '../engine/context';
import { Engine, type EngineOptions } from '../engine/engine';
import type { EventSink } from '../engine/events';
import type { ModuleDef } from '../engine/types';
import { allIps, hostsOf, placementOf } from '../inventory/inventory';
import { isModuleName } from '../inventory/modules';
import { moduleDefs } from '../modules';
import { TransportPool } from '../transport/open';
import type { Transport } from '../transport/transport';
import { takeLock } from './lock';
import { openRunLog } from './logfile';
import type { GlobalOptions } from './options';
import { consoleSink, fanOut, logSink } from './output/sinks';

/** Seams tests replace: how transports are opened, where output goes. */
export interface Deps {
  openTransport?: (host: string, cfg: ControlConfig) => Promise<Transport>;
  stdout?: NodeJS.WritableStream;
  /** The modules to run (default: every module bkcec knows). */
  modules?: readonly ModuleDef[];
}

/** The engine's view of a loaded control directory (variables computed once per host). */
export function engineInventory(cfg: ControlConfig): EngineInventory {
  const cache = new Map<string, Record<string, string>>();
  return {
    controlDir: cfg.dir,
    hosts: allIps(cfg.inventory),
    hostsOf: (m) => (isModuleName(m) ? hostsOf(cfg.inventory, m) : []),
    projectsOf: (ip, m) => (isModuleName(m) ? placementOf(cfg.inventory, ip, m)?.projects : undefined),
    varsOf: (ip) => {
      const known = cache.get(ip);
      if (known) return known;
      const v = hostVars(cfg, ip);
      cache.set(ip, v);
      return v;
    },
  };
}

export interface Session {
  cfg: ControlConfig;
  engine: Engine;
  /** What the engine was made with: a second engine (e.g. a removal) shares transports and output. */
  engineOptions: EngineOptions;
  logPath: string;
  /** Closes transports and releases the lock. */
  close(): Promise<void>;
}

/**
 * Loads and validates the control dir (throws InputError before touching any host), then locks it
 * (unless `readOnly`: a command that changes nothing anywhere, which may run beside another).
 */
export async function openSession(
  o: GlobalOptions,
  deps: Deps,
  extra: { projects?: string[]; readOnly?: boolean } = {},
): Promise<Session> {
  const cfg = await loadControlDir(resolve(o.controlDir));
  const release = extra.readOnly ? async () => {} : await takeLock(cfg.dir);
  const log = openRunLog(cfg.dir);
  log.write(`${new Date().toISOString()} ==== bkcec ${process.argv.slice(2).join(' ')}`);
  const pool = new TransportPool(cfg.ssh, { acceptNew: o.acceptNewHostKeys });
  const open = deps.openTransport ? (h: string) => deps.openTransport!(h, cfg) : (h: string) => pool.get(h);
  const mode = o.json
    ? 'json'
    : (deps.stdout ?? process.stdout) === process.stdout && process.stdout.isTTY
      ? 'tty'
      : 'plain';
  const hint = `fix the cause above, then run the same command again: finished steps are skipped (full log: ${log.path})`;
  const emit: EventSink = fanOut(consoleSink(mode, deps.stdout ?? process.stdout, hint), logSink(log.write));
  const engineOptions: EngineOptions = {
    inventory: engineInventory(cfg),
    modules: deps.modules ?? moduleDefs,
    pkgDir: resolve(o.pkg),
    openTransport: open,
    parallel: o.parallel,
    limit: o.limit,
    projects: extra.projects,
    dryRun: o.dryRun,
    fromScratch: o.fromScratch,
    emit,
  };
  return {
    cfg,
    engine: new Engine(engineOptions),
    engineOptions,
    logPath: log.path,
    close: async () => {
      await pool.closeAll();
      await release();
    },
  };
}
