// `bkcec check`: the precheck (root, SSH, clocks, ports, ulimit, resolv.conf, disk); exit 1 on any failure.
import { resolve } from 'node:path';
import { loadControlDir } from '../../config';
import { formatCheck, runCheck } from '../../modules/check/run';
import { TransportPool } from '../../transport/open';
import type { GlobalOptions } from '../options';
import type { Deps } from '../session';

/** Runs the check and prints the report; 0 when nothing failed (warnings allowed), else 1. */
export async function runCheckCommand(o: GlobalOptions, deps: Deps): Promise<number> {
  const cfg = await loadControlDir(resolve(o.controlDir));
  const pool = new TransportPool(cfg.ssh, { acceptNew: o.acceptNewHostKeys });
  try {
    const open = deps.openTransport ? (h: string) => deps.openTransport!(h, cfg) : (h: string) => pool.get(h);
    const items = await runCheck(cfg, { open });
    const out = deps.stdout ?? process.stdout;
    if (o.json) for (const i of items) out.write(`${JSON.stringify({ type: 'check', ...i })}\n`);
    else out.write(formatCheck(items));
    return items.some((i) => i.level === 'fail') ? 1 : 0;
  } finally {
    await pool.closeAll();
  }
}
