// The README's main job as a newcomer runs it: `tools/quickstart` itself, as root, on this machine
// made fresh (support/fresh.sh: the root file system through an overlay, so /data is absent as on
// a new machine, umask 022, real mode bits, no sudo, a private network and PID namespace). Then,
// checked where things live: the modes of what it created, the login page and the four /healthz/
// URLs through the front door, `stop all` (no platform process left in the process table),
// `status all` (each module stopped, non-zero exit), `start all`, stop/start/restart of paas (all
// projects and one) and of appt by their pids, a deploy that changes nothing, and the same for appo
// once the machine is made an appo host (appo and appt cannot share one).
import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/engine/events';
import { changedSteps, failureText, parseEvents } from '../support/events';

const run = promisify(execFile);
const REPO = join(import.meta.dirname, '..', '..');
const DIR = `/srv/bkcec-e2e-quickstart-${process.pid}`;

/** Inside the fresh machine. Every result goes to /out; `snap NAME` records supervisord's view and the process table. */
const SCRIPT = `set -u
cd ${REPO}
rm -f /usr/bin/sudo /usr/local/bin/sudo   # a fresh Debian root shell has no sudo (the overlay hides it)
[ ! -e /data ] || { echo "expected /data to be absent before the quickstart" > /out/abort; exit 3; }
tools/quickstart > /out/quickstart.log 2>&1; echo $? > /out/quickstart.rc
[ "$(cat /out/quickstart.rc)" = 0 ] || { cp /data/install/logs/bkcec.log /out/ 2>/dev/null; exit 0; }
stat -c '%n %a %U' /data /data/install /data/install/globals.env /data/bkce > /out/modes.txt
b() { node bin/bkcec.mjs -C /data/install "$@"; }
sv() { supervisorctl -c /data/bkce/etc/supervisord.conf "$@"; }
snap() { { echo "=== $1"; sv status || true; echo '--- ps'; ps -eo pid=,ppid=,comm=; } >> /out/snaps.txt; }
read -r ip fqdn <<< "$(tail -n 1 /out/quickstart.log)"
echo "$ip $fqdn" > /out/hostsline.txt
get() { curl -s -o "$2" -w '%{http_code}' --max-time 10 --resolve "$fqdn:80:$ip" "http://$fqdn$1"; }
echo "$(get /login/ /out/login.html)" > /out/login.code
for p in /healthz/ /login/healthz/ /api/healthz/ /v1/healthz/; do echo "$p $(get $p /dev/null)"; done > /out/front.txt
get /v1/healthz/ /out/engine-health.json > /dev/null
mysql -N -B -e 'SELECT category, ip_address, is_active FROM open_paas.engine_servers' > /out/servers.txt 2>&1
snap deployed
b --json stop all > /out/stop-all.jsonl 2>&1; echo $? > /out/stop-all.rc
snap stopped
b --json status all > /out/status-stopped.jsonl 2>&1; echo $? > /out/status-stopped.rc
b --json start all > /out/start-all.jsonl 2>&1; echo $? > /out/start-all.rc
snap started
b --json status all > /out/status-started.jsonl 2>&1; echo $? > /out/status-started.rc
for c in "restart paas" "restart paas esb" "stop paas login" "start paas login" "stop paas" "start paas" "stop appt" "start appt" "restart appt"; do
  f=$(echo "$c" | tr ' ' -)
  b --json $c > "/out/$f.jsonl" 2>&1; echo $? > "/out/$f.rc"
  snap "$c"
done
b --json deploy > /out/deploy2.jsonl 2>&1; echo $? > /out/deploy2.rc
# appo and appt cannot share a host: the same machine becomes an appo host instead.
b --json stop appt > /out/stop-appt-again.jsonl 2>&1
sed -i 's/,appt$/,appo/' /data/install/install.config
b --json deploy > /out/deploy-appo.jsonl 2>&1; echo $? > /out/deploy-appo.rc
snap "appo deployed"
for c in "stop appo" "start appo" "restart appo"; do
  f=$(echo "$c" | tr ' ' -)
  b --json $c > "/out/$f.jsonl" 2>&1; echo $? > "/out/$f.rc"
  snap "$c"
done
cp /data/install/logs/bkcec.log /out/
`;

interface Snap {
  /** supervisord's pid of each program (0 when it is not running), e.g. `paas:paas-esb`. */
  pids: Map<string, number>;
  states: Map<string, string>;
  /** pid → command name, from the process table. */
  ps: Map<number, string>;
}

function parseSnaps(text: string): Map<string, Snap> {
  const out = new Map<string, Snap>();
  for (const block of text.split(/^=== /m).filter(Boolean)) {
    const [head, ...rest] = block.split('\n');
    const at = rest.indexOf('--- ps');
    const snap: Snap = { pids: new Map(), states: new Map(), ps: new Map() };
    for (const l of rest.slice(0, at)) {
      const m = /^(\S+)\s+(\S+)\s*(?:pid (\d+),)?/.exec(l);
      if (!m) continue;
      snap.states.set(m[1]!, m[2]!);
      snap.pids.set(m[1]!, Number(m[3] ?? 0));
    }
    for (const l of rest.slice(at + 1)) {
      const m = /^\s*(\d+)\s+(\d+)\s+(\S+)/.exec(l);
      if (m) snap.ps.set(Number(m[1]), m[3]!);
    }
    out.set(head!.trim(), snap);
  }
  return out;
}

describe('tools/quickstart on a fresh machine, then stop/start/restart by their processes', () => {
  const read = (f: string) => readFile(join(DIR, 'out', f), 'utf8');
  const rc = async (f: string) => (await read(`${f}.rc`)).trim();
  const events = async (f: string): Promise<EngineEvent[]> => parseEvents(await read(`${f}.jsonl`));
  let snaps: Map<string, Snap>;
  const snap = (name: string): Snap => {
    const s = snaps.get(name);
    if (!s) throw new Error(`no snapshot "${name}" (the script stopped early)`);
    return s;
  };
  /** The pids of `prefix` programs in a snapshot, each checked alive in the process table. */
  const live = (name: string, prefix: string): Record<string, number> => {
    const s = snap(name);
    const out: Record<string, number> = {};
    for (const [prog, pid] of s.pids) if (prog.startsWith(prefix)) out[prog] = s.ps.has(pid) ? pid : 0;
    return out;
  };

  beforeAll(async () => {
    await rm(DIR, { recursive: true, force: true });
    await run(join(REPO, 'test', 'e2e', 'support', 'fresh.sh'), [DIR, 'bash', '-c', SCRIPT], {
      // a clone under /tmp (as CI's may be) stays visible there; the fresh machine's /tmp is empty otherwise
      env: { ...process.env, FRESH_REPO: REPO },
      timeout: 900_000,
      maxBuffer: 64 << 20,
    });
    snaps = parseSnaps(await read('snaps.txt').catch(() => ''));
  }, 960_000);
  afterAll(() => rm(DIR, { recursive: true, force: true }));

  it('runs to the end, says where the platform is, and ends with a hosts-file line', async () => {
    const log = await read('quickstart.log');
    expect(await rc('quickstart'), log.slice(-4000)).toBe('0');
    const lines = log.trim().split('\n');
    expect(lines.at(-3)).toBe(
      'The platform answers at http://paas.bking.com/ (login page: HTTP 200 from 10.99.0.2).',
    );
    expect(lines.at(-1)).toBe('10.99.0.2 paas.bking.com');
    expect(log).toContain('Sign in as admin; the password is PAAS_ADMIN_PASS in /data/install/globals.env');
    // The single-host default includes the test-environment app agent, registered with appengine.
    for (const phase of [
      '== start paas on 10.99.0.2',
      '== start appt on 10.99.0.2',
      '== initdata appt on 10.99.0.2',
    ])
      expect(lines, phase).toContain(phase);
  });

  it('leaves parents 0755 and only the secret-holding control directory 0700', async () => {
    expect((await read('modes.txt')).trim().split('\n')).toEqual([
      '/data 755 root',
      '/data/install 700 root',
      '/data/install/globals.env 600 root',
      '/data/bkce 755 root',
    ]);
  });

  it('serves the login page and the four health URLs through the front door', async () => {
    expect((await read('login.code')).trim()).toBe('200');
    expect(await read('login.html')).toMatch(/<form[^>]*>[\s\S]*password/i);
    expect((await read('front.txt')).trim().split('\n')).toEqual([
      '/healthz/ 200',
      '/login/healthz/ 200',
      '/api/healthz/ 200',
      '/v1/healthz/ 200',
    ]);
  });

  it('registered the app agent with appengine, which reaches it (the deploy button has a target)', async () => {
    expect((await read('servers.txt')).trim().split('\n')).toEqual(['tapp\t10.99.0.2\t1']);
    expect(JSON.parse(await read('engine-health.json')).data.agents).toBe('ok');
  });

  it('stop all leaves no platform process; status all then reports every module stopped and fails', async () => {
    expect(failureText(await events('stop-all'))).toBe('');
    expect(await rc('stop-all')).toBe('0');
    const before = snap('deployed');
    const programs = [...before.pids.keys()];
    for (const m of ['consul', 'license', 'mysql', 'redis', 'nginx', 'paas', 'appt'])
      expect(programs.some((p) => p.startsWith(`${m}:`))).toBe(true);
    for (const pid of before.pids.values()) expect(pid).toBeGreaterThan(0);
    const after = snap('stopped');
    for (const [prog, state] of after.states) expect(`${prog} ${state}`).toBe(`${prog} STOPPED`);
    // Left in the process table: supervisord (the process manager) and this script's own shell and ps.
    const left = [...after.ps.values()].filter(
      (c) => !['bash', 'ps', 'supervisord', 'supervisorctl'].includes(c),
    );
    expect(left).toEqual([]);
    for (const pid of before.pids.values()) expect(after.ps.has(pid)).toBe(false);

    expect(await rc('status-stopped')).not.toBe('0');
    const status = (await events('status-stopped')).flatMap((e) =>
      e.type === 'status' ? [`${e.module}: ${e.text}`] : [],
    );
    for (const m of ['consul', 'license', 'mysql', 'redis', 'nginx', 'paas', 'appt'])
      expect(
        status.some((l) => l.startsWith(`${m}: ${m}:`) && l.includes(' STOPPED')),
        m,
      ).toBe(true);
    expect(status.filter((l) => l.includes(' RUNNING '))).toEqual([]);
  });

  it('start all brings every program back with new pids; status all passes', async () => {
    expect(failureText(await events('start-all'))).toBe('');
    expect(await rc('start-all')).toBe('0');
    const before = snap('deployed');
    const now = snap('started');
    for (const [prog, pid] of now.pids) {
      expect(now.states.get(prog), prog).toBe('RUNNING');
      expect(now.ps.has(pid), prog).toBe(true);
      expect(pid, prog).not.toBe(before.pids.get(prog));
    }
    expect(failureText(await events('status-started'))).toBe('');
    expect(await rc('status-started')).toBe('0');
  });

  it('restart paas changes every paas pid; restart paas esb only esb', async () => {
    for (const f of ['restart-paas', 'restart-paas-esb']) {
      expect(failureText(await events(f)), f).toBe('');
      expect(await rc(f), f).toBe('0');
    }
    const a = live('started', 'paas:');
    const b = live('restart paas', 'paas:');
    const c = live('restart paas esb', 'paas:');
    expect(Object.keys(a).sort()).toEqual([
      'paas:paas-appengine',
      'paas:paas-esb',
      'paas:paas-login',
      'paas:paas-paas',
    ]);
    for (const p of Object.keys(a)) {
      expect(b[p], p).toBeGreaterThan(0);
      expect(b[p], p).not.toBe(a[p]);
    }
    expect(c['paas:paas-esb']).toBeGreaterThan(0);
    expect(c['paas:paas-esb']).not.toBe(b['paas:paas-esb']);
    for (const p of ['paas:paas-appengine', 'paas:paas-login', 'paas:paas-paas']) expect(c[p], p).toBe(b[p]);
  });

  it('stop/start paas login touch only login; stop/start paas all four', async () => {
    for (const f of ['stop-paas-login', 'start-paas-login', 'stop-paas', 'start-paas']) {
      expect(failureText(await events(f)), f).toBe('');
      expect(await rc(f), f).toBe('0');
    }
    const before = live('restart paas esb', 'paas:');
    const stopped = live('stop paas login', 'paas:');
    expect(stopped['paas:paas-login']).toBe(0);
    for (const p of ['paas:paas-appengine', 'paas:paas-esb', 'paas:paas-paas'])
      expect(stopped[p], p).toBe(before[p]);
    const back = live('start paas login', 'paas:');
    expect(back['paas:paas-login']).toBeGreaterThan(0);
    expect(Object.values(live('stop paas', 'paas:'))).toEqual([0, 0, 0, 0]);
    for (const pid of Object.values(live('start paas', 'paas:'))) expect(pid).toBeGreaterThan(0);
  });

  it('stop/start/restart appt act on all of its programs (API, root helper, nginx)', async () => {
    for (const f of ['stop-appt', 'start-appt', 'restart-appt']) {
      expect(failureText(await events(f)), f).toBe('');
      expect(await rc(f), f).toBe('0');
    }
    const before = live('start paas', 'appt:');
    expect(Object.keys(before).sort()).toEqual(['appt:appt-agent', 'appt:appt-helper', 'appt:appt-nginx']);
    expect(Object.values(live('stop appt', 'appt:'))).toEqual([0, 0, 0]);
    const started = live('start appt', 'appt:');
    const restarted = live('restart appt', 'appt:');
    for (const p of Object.keys(before)) {
      expect(started[p], p).toBeGreaterThan(0);
      expect(restarted[p], p).toBeGreaterThan(0);
      expect(restarted[p], p).not.toBe(started[p]);
    }
  });

  it('stop/start/restart appo (the same machine made an appo host) act on all of its programs', async () => {
    expect(failureText(await events('deploy-appo'))).toBe('');
    expect(await rc('deploy-appo')).toBe('0');
    for (const f of ['stop-appo', 'start-appo', 'restart-appo']) {
      expect(failureText(await events(f)), f).toBe('');
      expect(await rc(f), f).toBe('0');
    }
    const deployed = live('appo deployed', 'appo:');
    expect(Object.keys(deployed).sort()).toEqual(['appo:appo-agent', 'appo:appo-helper', 'appo:appo-nginx']);
    for (const pid of Object.values(deployed)) expect(pid).toBeGreaterThan(0);
    expect(Object.values(live('stop appo', 'appo:'))).toEqual([0, 0, 0]);
    const started = live('start appo', 'appo:');
    const restarted = live('restart appo', 'appo:');
    for (const p of Object.keys(deployed)) {
      expect(started[p], p).toBeGreaterThan(0);
      expect(restarted[p], p).toBeGreaterThan(0);
      expect(restarted[p], p).not.toBe(started[p]);
    }
  });

  it('changes nothing on a second deploy', async () => {
    const e = await events('deploy2');
    expect(failureText(e)).toBe('');
    expect(await rc('deploy2')).toBe('0');
    expect(changedSteps(e)).toEqual([]);
  });
});
