// `bkcec init`: a ready control directory for this machine alone or a given layout.
import { resolve } from 'node:path';
import { initControlDir } from '../../config';
import type { GlobalOptions } from '../options';
import type { Deps } from '../session';

export async function runInit(
  o: GlobalOptions,
  opts: { layout?: string; force?: boolean },
  deps: Deps,
): Promise<number> {
  const dir = resolve(o.controlDir);
  await initControlDir(dir, { layout: opts.layout, force: opts.force });
  (deps.stdout ?? process.stdout).write(
    `wrote ${dir}/install.config, globals.env (secrets, mode 0600) and ports.env\nnext: bkcec -C ${dir} deploy\n`,
  );
  return 0;
}
