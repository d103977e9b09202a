// `bkcec check`: the precheck (root, SSH, clocks, ports, ulimit, resolv.conf, disk); exit 1 on any failure.
import { formatCheck, runCheck } from '../../modules/check/run';
import type { GlobalOptions } from '../options';
import { type Deps, openSession } from '../session';

/** Runs the check and prints the report; 0 when nothing failed (warnings allowed), else 1. */
export async function runCheckCommand(o: GlobalOptions, deps: Deps): Promise<number> {
  const s = await openSession(o, deps, { readOnly: true });
  try {
    const { openTransport: open, parallel } = s.engineOptions;
    const items = await runCheck(s.cfg, { open, parallel });
    const out = deps.stdout ?? process.stdout;
    if (o.json) for (const i of items) out.write(`${JSON.stringify({ type: 'check', ...i })}\n`);
    else out.write(formatCheck(items));
    return items.some((i) => i.level === 'fail') ? 1 : 0;
  } finally {
    await s.close();
  }
}
