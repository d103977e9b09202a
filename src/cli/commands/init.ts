// `bkcec init`: a ready control directory for this machine alone or a given layout.
import { resolve } from 'node:path';
import { InputError, initControlDir } from '../../config';
import { SECRET_BREAKS } from '../../config/reinit';
import type { GlobalOptions } from '../options';
import type { Deps } from '../session';

export async function runInit(
  o: GlobalOptions,
  opts: { layout?: string; force?: boolean; regenerateSecrets?: boolean },
  deps: Deps,
): Promise<number> {
  const dir = resolve(o.controlDir);
  if (opts.regenerateSecrets && !opts.force)
    throw new InputError([
      { file: '--regenerate-secrets', line: 1, col: 1, message: 'expected --force with it, found none' },
    ]);
  const kept = await initControlDir(dir, opts);
  const out = deps.stdout ?? process.stdout;
  out.write(`wrote ${dir}/install.config, globals.env (secrets, mode 0600) and ports.env\n`);
  if (kept.length) out.write(`kept the secrets globals.env held: ${kept.join(', ')}\n`);
  if (opts.regenerateSecrets)
    out.write(
      `every secret is new; hosts of a deployed platform still hold the old ones: ${Object.values(SECRET_BREAKS).join('; ')}\n`,
    );
  out.write(`next: bkcec -C ${dir} deploy\n`);
  return 0;
}
