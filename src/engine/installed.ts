// `$INSTALL_PATH/.installed_module` on each host: which modules were installed there.
import pLimit from 'p-limit';
import { shQuote } from './script';
import type { RunContext, Step } from './types';

const file = (vars: Readonly<Record<string, string>>): string =>
  `${vars.INSTALL_PATH ?? '/data/bkce'}/.installed_module`;

/** The step every install ends with: record the module on the host. */
export function installedStep(module: string, vars: Readonly<Record<string, string>>): Step {
  const f = shQuote(file(vars));
  return {
    id: 'installed-module',
    title: `record ${module} in .installed_module`,
    script: `mkdir -p "$(dirname ${f})"; grep -qx '${module}' ${f} 2>/dev/null || { echo '${module}' >> ${f}; bk_changed; }`,
  };
}

/** Reads every placed host's list, one short session per host, in parallel. */
export async function installedModules(ctx: RunContext): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  const limit = pLimit(16);
  await Promise.all(
    ctx.allHosts.map((ip) =>
      limit(async () => {
        const t = await ctx.transport(ip);
        const r = await t.run(`cat ${shQuote(file(ctx.varsOf(ip)))} 2>/dev/null || true`);
        out.set(
          ip,
          new Set(
            r.stdout
              .split('\n')
              .map((s) => s.trim())
              .filter(Boolean),
          ),
        );
      }),
    ),
  );
  return out;
}
