// `bkcec uninstall <module|all>` and the removal `deploy` ends with: the engine runs each module's
// uninstall steps, then the journal forgets every (host, module) whose uninstall finished.
import { createInterface } from 'node:readline/promises';
import { InputError } from '../../config/issues';
import { Engine, type RunSummary } from '../../engine/engine';
import type { EngineEvent } from '../../engine/events';
import { Journal } from '../../engine/journal';
import { departed, type Placement, removalInventory, removalModules } from '../../engine/remove';
import { scopeIssues } from '../../inventory/scope';
import { withUninstall } from '../../modules/uninstall/command';
import type { GlobalOptions } from '../options';
import { type Deps, openSession, type Session } from '../session';

export interface UninstallOptions {
  purgeData: boolean;
  yes: boolean;
}

/**
 * Runs `uninstall` on `target` with an engine sharing the session's transports and output; the
 * journal then forgets the placements whose last uninstall step succeeded.
 */
async function uninstallWith(
  s: Session,
  over: Partial<Session['engineOptions']>,
  target: string,
  purge: boolean,
): Promise<RunSummary> {
  const base = s.engineOptions;
  const finished: Placement[] = [];
  const engine = new Engine({
    ...base,
    ...over,
    modules: withUninstall(over.modules ?? base.modules, purge),
    emit: (e: EngineEvent) => {
      if (
        e.type === 'step' &&
        e.command === 'uninstall' &&
        e.step === 'installed-module' &&
        (e.outcome === 'ok' || e.outcome === 'changed')
      )
        finished.push({ host: e.host, module: e.module });
      base.emit?.(e);
    },
  });
  const r = await engine.run('uninstall', target);
  if (!base.dryRun && finished.length) {
    const journal = await Journal.load(s.cfg.dir, Boolean(base.fromScratch));
    for (const p of finished) journal.forgetModule(p.host, p.module);
    await journal.save();
  }
  return r;
}

/** After a deploy: uninstall what install.config no longer places (its plan too, under --dry-run). */
export async function removeDeparted(s: Session, deployed: RunSummary): Promise<RunSummary> {
  if (!deployed.ok) return deployed;
  const inv = s.engineOptions.inventory;
  const journal = await Journal.load(s.cfg.dir, Boolean(s.engineOptions.fromScratch));
  const limit = s.engineOptions.limit;
  const gone = departed(journal, s.engineOptions.modules, inv).filter(
    (p) => !limit?.length || limit.includes(p.host),
  );
  if (gone.length === 0) return deployed;
  s.engineOptions.emit?.({
    type: 'info',
    text: `install.config no longer places: ${gone.map((g) => `${g.module} on ${g.host}`).join(', ')}; uninstalling (data kept)`,
  });
  const r = await uninstallWith(
    s,
    {
      inventory: removalInventory(inv, gone),
      modules: removalModules(s.engineOptions.modules, gone),
      limit: undefined,
    },
    'all',
    false,
  );
  const counts = { ...deployed.counts };
  for (const [k, n] of Object.entries(r.counts)) counts[k as keyof typeof counts] += n;
  return { ...r, ms: deployed.ms + r.ms, counts, failures: [...deployed.failures, ...r.failures] };
}

/** Asks on the terminal; refuses without one (then only --yes confirms). */
async function confirmPurge(target: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const a = await rl.question(
      `--purge-data deletes the data of ${target} (databases, logs, apps). Type yes to go on: `,
    );
    return a.trim() === 'yes';
  } finally {
    rl.close();
  }
}

/** `bkcec uninstall <module|all>`: 0 done, 1 a step failed, 2 bad input or purge not confirmed. */
export async function runUninstall(
  o: GlobalOptions,
  target: string,
  opts: UninstallOptions,
  deps: Deps,
): Promise<number> {
  if (opts.purgeData && !opts.yes && !o.dryRun && !(await confirmPurge(target))) {
    process.stderr.write(
      'expected confirmation of --purge-data (type yes, or pass --yes), found none: nothing was changed.\n',
    );
    return 2;
  }
  const s = await openSession(o, deps);
  try {
    const bad = scopeIssues(s.cfg.inventory, { module: target, limit: o.limit });
    if (bad.length) throw new InputError(bad);
    const r = await uninstallWith(s, {}, target, opts.purgeData);
    if (r.badInput) return 2;
    return r.ok ? 0 : 1;
  } finally {
    await s.close();
  }
}
