// `bkcec deploy` and `bkcec <command> <module|all> [project]`.
import { InputError } from '../../config/issues';
import type { RunSummary } from '../../engine/engine';
import type { Command } from '../../engine/types';
import { hostsOf } from '../../inventory/inventory';
import { scopeIssues } from '../../inventory/scope';
import type { GlobalOptions } from '../options';
import { type Deps, openSession, type Session } from '../session';
import { removeDeparted } from './uninstall';

async function withSession(
  o: GlobalOptions,
  deps: Deps,
  scope: { module?: string; project?: string },
  fn: (s: Session) => Promise<RunSummary>,
): Promise<number> {
  const s = await openSession(o, deps, { projects: scope.project ? [scope.project] : undefined });
  try {
    const bad = scopeIssues(s.cfg.inventory, { ...scope, limit: o.limit });
    if (bad.length) throw new InputError(bad);
    const r = await fn(s);
    if (r.badInput) {
      // The engine checked its inputs before touching any host.
      if (!o.json) process.stderr.write('nothing was changed on any host.\n');
      return 2;
    }
    return r.ok ? 0 : 1;
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
  return withSession(o, deps, { module, project }, (s) => s.engine.run(command, module));
}

/** Runs the whole chain, then says where the platform is. */
export function runDeploy(o: GlobalOptions, deps: Deps): Promise<number> {
  return withSession(o, deps, {}, async (s) => {
    const r = await removeDeparted(s, await s.engine.deploy());
    if (r.ok && !o.dryRun && !o.json) {
      const g = (k: string) => String(s.cfg.globals.get(k) ?? '');
      const out = deps.stdout ?? process.stdout;
      const https = g('HTTP_SCHEMA') === 'https';
      const port = String(s.cfg.ports.get(https ? 'PAAS_HTTPS_PORT' : 'PAAS_HTTP_PORT') ?? '');
      const dflt = https ? '443' : '80';
      out.write(
        `\nThe platform is at ${https ? 'https' : 'http'}://${g('PAAS_FQDN')}${port === dflt || !port ? '' : `:${port}`}/\n` +
          `Sign in as ${g('PAAS_ADMIN_USER')}; the password is PAAS_ADMIN_PASS in ${s.cfg.dir}/globals.env (root only).\n`,
      );
      const front = hostsOf(s.cfg.inventory, 'nginx')[0];
      if (front)
        out.write(
          `To open it from your desktop, add this line to its hosts file (/etc/hosts; on Windows C:\\Windows\\System32\\drivers\\etc\\hosts):\n` +
            `${front} ${g('PAAS_FQDN')}\n`,
        );
    }
    return r;
  });
}
