// `bkcec check`: the precheck over every host of install.config, in parallel, one report.
import pLimit from 'p-limit';
import { type ControlConfig, hostVars } from '../../config';
import { allIps, modulesOf } from '../../inventory/inventory';
import type { ModuleName } from '../../inventory/modules';
import type { Transport } from '../../transport/transport';
import { type CheckItem, clockItem, hostItems } from './items';
import { parseFacts, probeScript } from './probe';

/** How the check reaches hosts and reads the controller's identity and clock (tests replace them). */
export interface CheckDeps {
  open(host: string): Promise<Transport>;
  uid?: () => number;
  now?: () => number;
  /** Hosts checked at once (default 16). */
  parallel?: number;
}

/** Host clock minus controller clock, with half the round trip as the uncertainty (best of 3). */
async function measureSkew(t: Transport, now: () => number): Promise<{ skew: number; uncertainty: number }> {
  let best: { skew: number; uncertainty: number } | undefined;
  for (let i = 0; i < 3; i++) {
    const t0 = now();
    const r = await t.run('date +%s.%N', { timeoutMs: 10_000 });
    const t1 = now();
    const host = Number(r.stdout.trim()) * 1000;
    if (r.code !== 0 || !Number.isFinite(host))
      throw new Error(`could not read the host clock: ${r.stderr.trim() || r.stdout}`);
    const m = { skew: (host - (t0 + t1) / 2) / 1000, uncertainty: (t1 - t0) / 2000 };
    if (!best || m.uncertainty < best.uncertainty) best = m;
  }
  return best!;
}

async function checkHost(cfg: ControlConfig, ip: string, deps: CheckDeps): Promise<CheckItem[]> {
  let t: Transport;
  try {
    t = await deps.open(ip);
  } catch (err) {
    return [
      { host: ip, item: 'ssh', level: 'fail', detail: `cannot reach the host: ${(err as Error).message}` },
    ];
  }
  const v = hostVars(cfg, ip);
  const r = await t.run(probeScript(v.INSTALL_PATH ?? '/data/bkce'), { timeoutMs: 30_000 });
  if (r.code !== 0)
    return [
      {
        host: ip,
        item: 'ssh',
        level: 'fail',
        detail: `the probe script failed (exit ${r.code}): ${r.stderr.trim()}`,
      },
    ];
  const items: CheckItem[] = [
    {
      host: ip,
      item: 'ssh',
      level: 'ok',
      detail: `reachable (${t.constructor.name === 'LocalTransport' ? 'this machine' : 'ssh'})`,
    },
  ];
  const modules: ModuleName[] = ['consul', ...modulesOf(cfg.inventory, ip).filter((m) => m !== 'consul')];
  items.push(...hostItems(ip, v, modules, parseFacts(r.stdout)));
  try {
    const s = await measureSkew(t, deps.now ?? Date.now);
    items.push(clockItem(ip, s.skew, s.uncertainty));
  } catch (err) {
    items.push({ host: ip, item: 'clock', level: 'fail', detail: (err as Error).message });
  }
  return items;
}

/** Every item for the controller and each host, hosts in install.config order. */
export async function runCheck(cfg: ControlConfig, deps: CheckDeps): Promise<CheckItem[]> {
  const uid = (deps.uid ?? (() => process.getuid?.() ?? -1))();
  const controller: CheckItem = {
    host: 'controller',
    item: 'root',
    level: uid === 0 ? 'ok' : 'fail',
    detail: uid === 0 ? 'bkcec runs as root' : `expected to run as root (uid 0), found uid ${uid}`,
  };
  const limit = pLimit(deps.parallel ?? 16);
  const perHost = await Promise.all(allIps(cfg.inventory).map((ip) => limit(() => checkHost(cfg, ip, deps))));
  return [controller, ...perHost.flat()];
}

/** The report: one line per item, then a summary line. */
export function formatCheck(items: readonly CheckItem[]): string {
  const tag = { ok: '[ OK ]', warn: '[WARN]', fail: '[FAIL]' } as const;
  const width = Math.max(...items.map((i) => i.host.length));
  const width2 = Math.max(...items.map((i) => i.item.length));
  const lines = items.map(
    (i) => `${tag[i.level]} ${i.host.padEnd(width)}  ${i.item.padEnd(width2)}  ${i.detail}`,
  );
  const count = (l: string) => items.filter((i) => i.level === l).length;
  lines.push(`${count('ok')} ok, ${count('warn')} warning(s), ${count('fail')} failed`);
  return `${lines.join('\n')}\n`;
}
