// Controller-side facts `install` needs from each host before it builds steps: the host's current
// resolv.conf and the original saved by an earlier install (the recursors come from them).
import pLimit from 'p-limit';
import { shQuote } from '../../engine/script';
import type { RunContext } from '../../engine/types';
import { consulPaths } from './config';

/** What a host's resolver files held when `install` began. */
export interface ResolvFacts {
  current: string;
  /** The copy saved by the first install, if any. */
  original?: string;
}

/** Reads every host's resolver files (one short session per host), by host. */
export async function gatherResolvFacts(
  ctx: RunContext,
  hosts: readonly string[],
): Promise<Map<string, ResolvFacts>> {
  const facts = new Map<string, ResolvFacts>();
  const limit = pLimit(16);
  await Promise.all(
    hosts.map((ip) =>
      limit(async () => {
        const orig = shQuote(consulPaths(ctx.varsOf(ip)).resolvOrig);
        const t = await ctx.transport(ip);
        const r = await t.run(
          `cat /etc/resolv.conf 2>/dev/null; printf '\\0'; if [ -f ${orig} ]; then cat ${orig}; printf '\\0'; fi`,
        );
        if (r.code !== 0)
          throw new Error(`${ip}: could not read /etc/resolv.conf (exit ${r.code}): ${r.stderr.trim()}`);
        const parts = r.stdout.split('\0');
        facts.set(ip, { current: parts[0] ?? '', original: parts.length > 2 ? parts[1] : undefined });
      }),
    ),
  );
  return facts;
}
