// The identity of the platform database where it lives: the open_paas folder in the MySQL data dir
// (inode and birth time: not its change time, which moves whenever MariaDB adds or drops a file in it),
// or "absent". The initdata steps (migrations, admin, app accounts) carry it
// in their inputs, so a dropped, wiped or rebuilt database makes them run again although the
// journal has them done.
import { shQuote } from '../../engine/script';
import type { RunContext } from '../../engine/types';
import { mysqlPaths } from '../mysql/paths';

const DATABASE = 'open_paas';

/** Controller side: asks the first MySQL host; "unplaced" when install.config has no mysql host. */
export async function prepareDbIdentity(ctx: RunContext): Promise<string> {
  const mysql = ctx.hostsOf('mysql')[0];
  if (!mysql) return 'unplaced';
  const dir = `${mysqlPaths(ctx.varsOf(mysql)).data}/${DATABASE}`;
  const t = await ctx.transport(mysql);
  const r = await t.run(
    `if [ -d ${shQuote(dir)} ]; then stat -c '%i %.9W' ${shQuote(dir)}; else echo absent; fi`,
  );
  if (r.code !== 0)
    throw new Error(
      `${mysql}: could not look at the database folder ${dir} (exit ${r.code}): ${r.stderr.trim()}`,
    );
  return `${mysql} ${r.stdout.trim()}`;
}
