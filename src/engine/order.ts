// Which (module, command) phases a command runs, in dependency order.
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

/** Phases of `command` for one module or `all` (reverse order for stop). */
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
  const list = command === 'stop' ? [...ordered].reverse() : ordered;
  return list.map((module) => ({ module, command }));
}

/** The deploy chain: every module's deploy commands, modules in dependency order. */
export function deployPhases(modules: readonly ModuleDef[]): Phase[] {
  return dependencyOrder(modules).flatMap((module) =>
    (module.deploy ?? (['install', 'start'] as const)).map((command) => ({ module, command })),
  );
}
