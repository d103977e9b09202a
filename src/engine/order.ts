// Which (module, command) phases a command runs, in dependency order.
import { COMMANDS, specOf } from './commands';
import type { Command, CommandDef, ModuleDef } from './types';

/** A command line naming something that does not exist (exit code 2, nothing touched). */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface Phase {
  module: ModuleDef;
  command: Command;
  /** The command's definition when the engine made it (else the module's own). */
  def?: CommandDef;
}

/** Shipping package files (a command whose spec `ships`) for several modules at once, host by host. */
export interface ShipPhase {
  ship: readonly ModuleDef[];
  command: Command;
  /** What events name it by: the module, or `all`. */
  label: string;
}

export const isShip = (p: Phase | ShipPhase): p is ShipPhase => 'ship' in p;

/** Modules sorted so each comes after the ones it names in `after` (stable otherwise). */
export function dependencyOrder(modules: readonly ModuleDef[]): ModuleDef[] {
  const byName = new Map(modules.map((m) => [m.name, m]));
  const out: ModuleDef[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (m: ModuleDef, path: string[]): void => {
    if (state.get(m.name) === 'done') return;
    if (state.get(m.name) === 'visiting')
      throw new Error(`module dependency cycle: ${[...path, m.name].join(' → ')}`);
    state.set(m.name, 'visiting');
    for (const dep of m.after) {
      const d = byName.get(dep);
      if (d) visit(d, [...path, m.name]);
    }
    state.set(m.name, 'done');
    out.push(m);
  };
  for (const m of modules) visit(m, []);
  return out;
}

/** Phases of `command` for one module or `all` (reverse order when its spec says so). */
export function commandPhases(modules: readonly ModuleDef[], command: Command, target: string): Phase[] {
  const ordered = dependencyOrder(modules);
  if (target !== 'all') {
    const m = ordered.find((x) => x.name === target);
    if (!m)
      throw new UsageError(
        `unknown module ${JSON.stringify(target)}: expected one of ${ordered.map((x) => x.name).join(', ')}, or all`,
      );
    return [{ module: m, command }];
  }
  const list = specOf(command).reverse ? [...ordered].reverse() : ordered;
  return list.map((module) => ({ module, command }));
}

/** Commands `deploy` runs for a module unless its manifest says otherwise. */
export const DEFAULT_DEPLOY: readonly Command[] = ['install', 'start'];

/** The deploy chain: every module's package shipped, then its deploy commands, in dependency order. */
export function deployPhases(modules: readonly ModuleDef[]): (Phase | ShipPhase)[] {
  const ordered = dependencyOrder(modules);
  const phases: Phase[] = ordered.flatMap((module) =>
    (module.deploy ?? DEFAULT_DEPLOY).map((command) => ({ module, command })),
  );
  const ships = COMMANDS.find((c) => specOf(c).ships);
  return ordered.length && ships ? [{ ship: ordered, command: ships, label: 'all' }, ...phases] : phases;
}
