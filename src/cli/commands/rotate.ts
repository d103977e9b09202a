// `bkcec rotate <secret>` (src/ops/rotate does the work).
import { InputError } from '../../config';
import { setGlobal } from '../../ops/rotate/globals';
import { describePlan, isRotatable, newValue, PLANS, ROTATABLE, runAfter } from '../../ops/rotate/rotate';
import type { GlobalOptions } from '../options';
import { type Deps, openSession } from '../session';

/** Rotates `name`; 0 when every host took the new value, 1 when a run failed (re-run `deploy`), 2 on bad input. */
export async function runRotate(o: GlobalOptions, name: string, deps: Deps): Promise<number> {
  const out = deps.stdout ?? process.stdout;
  if (!isRotatable(name))
    throw new InputError([
      {
        file: 'command line',
        line: 1,
        col: 1,
        message: `expected a secret to rotate (${ROTATABLE.join(', ')}), found ${JSON.stringify(name)}`,
      },
    ]);
  const steps = describePlan(name);
  if (o.dryRun) {
    out.write(`rotate ${name}, in this order:\n${steps.map((s, i) => `  ${i + 1}. ${s}`).join('\n')}\n`);
    return 0;
  }
  const plan = PLANS[name];
  // The hosts' part made with the old value in force, then globals.env, in one session (locked).
  const first = await openSession(o, deps);
  try {
    const cfg = first.cfg;
    const current = String(cfg.globals.get(name) ?? '');
    const next = newValue(name);
    if (plan.prepare) {
      if (!o.json) out.write(`${plan.before}…\n`);
      await plan.prepare(cfg, first.engineOptions.openTransport, current, next);
    }
    await setGlobal(cfg.dir, name, next);
  } finally {
    await first.close();
  }
  if (!o.json) out.write(`globals.env holds the new ${name}; the hosts take it now\n`);
  const s = await openSession(o, deps);
  try {
    const r = await runAfter(plan.after, s.engine);
    if (r?.ok === false) {
      if (!o.json)
        process.stderr.write(
          `rotation of ${name} stopped: fix the cause, then run bkcec deploy to finish it\n`,
        );
      return 1;
    }
  } finally {
    await s.close();
  }
  if (!o.json) out.write(`${name} rotated on every host\n`);
  return 0;
}
