// The legacy precheck's items as pure judgements over a host's facts: each says ok, warn or fail and why.
import { MODULE_PORTS } from '../../config/defaults';
import type { ModuleName } from '../../inventory/modules';
import { DISK_FAIL_KB, DISK_WARN_KB, NOFILE_ADVISED, NOFILE_FLOOR, SKEW_FAIL_S, SKEW_WARN_S } from './limits';
import type { HostFacts } from './probe';

export * from './limits';

export type Level = 'ok' | 'warn' | 'fail';

/** One line of the check's report. */
export interface CheckItem {
  host: string;
  item: string;
  level: Level;
  detail: string;
}

type Vars = Readonly<Record<string, string>>;

/** The clock item from a measured skew (host minus controller) and the measurement's uncertainty. */
export function clockItem(host: string, skewS: number, uncertaintyS: number): CheckItem {
  const a = Math.abs(skewS);
  const detail = `host clock ${skewS >= 0 ? '+' : '-'}${a.toFixed(3)} s from the controller's (±${uncertaintyS.toFixed(3)} s)`;
  if (a > SKEW_FAIL_S)
    return {
      host,
      item: 'clock',
      level: 'fail',
      detail: `${detail}; over ${SKEW_FAIL_S} s login tokens are refused: sync clocks (chrony/ntp)`,
    };
  if (a > SKEW_WARN_S)
    return {
      host,
      item: 'clock',
      level: 'warn',
      detail: `${detail}; expected within ${SKEW_WARN_S} s: sync clocks`,
    };
  return { host, item: 'clock', level: 'ok', detail };
}

const limitOf = (s: string): number => (s === 'unlimited' ? Number.POSITIVE_INFINITY : Number(s));

/** Ports each not-yet-installed module of this host needs, by variable name. */
export function portsToCheck(
  v: Vars,
  modules: readonly ModuleName[],
  installed: readonly string[],
): [string, string][] {
  const https = v.HTTP_SCHEMA === 'https';
  const out: [string, string][] = [];
  for (const m of modules) {
    if (installed.includes(m)) continue;
    for (const name of MODULE_PORTS[m] ?? []) {
      if (!https && name.endsWith('_HTTPS_PORT')) continue;
      if (!out.some(([n]) => n === name)) out.push([name, m]);
    }
  }
  return out;
}

const WILDCARD = new Set(['*', '0.0.0.0', '[::]', '::', '[::ffff:0.0.0.0]']);

/** True when a listening socket `addr:port` takes `port` from a program binding `bind` (`*` = every address). */
export function clashes(socket: string, bind: string, port: string): boolean {
  const at = socket.lastIndexOf(':');
  if (socket.slice(at + 1) !== port) return false;
  const addr = socket.slice(0, at).replace(/%.*$/, '');
  return bind === '*' || WILDCARD.has(addr) || addr === bind || addr === `[::ffff:${bind}]`;
}

/** The judgements that need only the host's facts. */
export function hostItems(host: string, v: Vars, modules: readonly ModuleName[], f: HostFacts): CheckItem[] {
  const items: CheckItem[] = [];
  const add = (item: string, level: Level, detail: string) => items.push({ host, item, level, detail });
  add(
    'root',
    f.uid === 0 ? 'ok' : 'fail',
    f.uid === 0 ? 'commands run as root' : `expected uid 0 (root), found uid ${f.uid}: set BK_SSH_USER=root`,
  );

  const busy: string[] = [];
  for (const [name, m] of portsToCheck(v, modules, f.installed)) {
    const port = v[name] ?? '';
    const bind = m === 'consul' ? '127.0.0.1' : m === 'nginx' ? '*' : (v.LAN_IP ?? '');
    const tcp = f.tcp.filter((s) => clashes(s, bind, port));
    const udp = name === 'CONSUL_DNS_PORT' ? f.udp.filter((s) => clashes(s, bind, port)) : [];
    for (const s of tcp) busy.push(`${name}=${port} (${m}): ${s} tcp`);
    for (const s of udp) busy.push(`${name}=${port} (${m}): ${s} udp`);
  }
  if (busy.length)
    add(
      'ports',
      'fail',
      `expected free, found in use: ${busy.join(', ')}; stop what listens there or change ports.env`,
    );
  else
    add(
      'ports',
      'ok',
      f.installed.length
        ? `free for the modules not installed yet (installed: ${f.installed.join(' ')})`
        : 'every module port is free',
    );

  const soft = limitOf(f.nofileSoft);
  const hard = limitOf(f.nofileHard);
  if (!(hard > NOFILE_FLOOR))
    add(
      'ulimit -n',
      'fail',
      `hard limit ${f.nofileHard}, expected > ${NOFILE_FLOOR}: raise nofile in /etc/security/limits.conf`,
    );
  else if (!(soft >= NOFILE_ADVISED))
    add(
      'ulimit -n',
      'warn',
      `soft limit ${f.nofileSoft}, advised ≥ ${NOFILE_ADVISED} (the legacy installer's advice)`,
    );
  else add('ulimit -n', 'ok', `soft ${f.nofileSoft}, hard ${f.nofileHard}`);

  const consulHere = f.installed.includes('consul');
  const problems: string[] = [];
  if (f.rotate)
    problems.push('`options rotate` is set: it sends *.consul queries to other resolvers; remove it');
  if (consulHere && f.nameservers[0] !== '127.0.0.1')
    problems.push(
      `expected nameserver 127.0.0.1 first (consul is installed), found ${f.nameservers[0] ?? 'none'}: run bkcec install consul`,
    );
  if (!consulHere && f.nameservers.length === 0)
    problems.push('no nameserver line: the host cannot resolve names');
  add(
    'resolv.conf',
    problems.length ? 'fail' : 'ok',
    problems.length ? problems.join('; ') : `nameservers ${f.nameservers.join(' ')}`,
  );

  const gb = (kb: number) => `${(kb / 1024 / 1024).toFixed(1)} GiB`;
  const where = `${gb(f.diskFreeKb)} free at ${f.diskPath} (INSTALL_PATH ${v.INSTALL_PATH})`;
  if (!(f.diskFreeKb >= DISK_FAIL_KB)) add('disk', 'fail', `${where}, expected ≥ ${gb(DISK_FAIL_KB)}`);
  else if (f.diskFreeKb < DISK_WARN_KB) add('disk', 'warn', `${where}, advised ≥ ${gb(DISK_WARN_KB)}`);
  else add('disk', 'ok', where);
  return items;
}
