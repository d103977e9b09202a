// `bkcec deploy` and `bkcec <command> <module|all> [project]`.
import type { Command } from '../../engine/types';
import type { GlobalOptions } from '../options';
import { type Deps, openSession, type Session } from '../session';

async function withSession(
  o: GlobalOptions,
  deps: Deps,
  projects: string[] | undefined,
  fn: (s: Session) => Promise<boolean>,
): Promise<number> {
  const s = await openSession(o, deps, { projects });
  try {
    return (await fn(s)) ? 0 : 1;
  } finally {
    await s.close();
  }
}

/** Runs one command on a module (or all); 0 when every step succeeded, else 1. */
export function runEngineCommand(
  o: GlobalOptions,
  command: Command,
  module: string,
  project: string | undefined,
  deps: Deps,
): Promise<number> {
  return withSession(
    o,
    deps,
    project ? [project] : undefined,
    async (s) => (await s.engine.run(command, module)).ok,
  );
}

/** Runs the whole chain, then says where the platform is. */
export function runDeploy(o: GlobalOptions, deps: Deps): Promise<number> {
  return withSession(o, deps, undefined, async (s) => {
    const r = await s.engine.deploy();
    if (r.ok && !o.dryRun && !o.json) {
      const g = (k: string) => String(s.cfg.globals.get(k) ?? '');
      const out = deps.stdout ?? process.stdout;
      const port = String(s.cfg.ports.get('PAAS_HTTP_PORT') ?? '80');
      out.write(
        `\nThe platform is at ${g('HTTP_SCHEMA') || 'http'}://${g('PAAS_FQDN')}${port === '80' ? '' : `:${port}`}/\n` +
          `Sign in as ${g('PAAS_ADMIN_USER')}; the password is PAAS_ADMIN_PASS in ${s.cfg.dir}/globals.env (root only).\n`,
      );
    }
    return r.ok;
  });
}
