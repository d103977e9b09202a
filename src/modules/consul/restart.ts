// `restart consul` (and the restart of `upgrade consul`): rolling, so DNS and the catalog stay up.
// Servers go one at a time, the leader last, each only while the cluster can lose one server, and
// each leaves gracefully first (clients stop sending it queries) and must be a healthy voter again
// before the next goes; clients follow once every server is back.
import { shQuote } from '../../engine/script';
import { type CommandDef, command, type Placement, type RunContext, type Step } from '../../engine/types';
import { consulServers, isServer } from './config';
import { consulBin } from './service';

type Vars = Readonly<Record<string, string>>;

/** Seconds a server may take to be a healthy voter again (autopilot stabilises a rejoined server in ~10 s). */
export const ROLL_WAIT_SECS = 90;

/** The CLI pointed at the local agent, with the host's CLI token when ACLs are on. */
const cli = (v: Vars) => {
  const token = shQuote(`${v.INSTALL_PATH}/etc/consul/tokens/cli.token`);
  return `export CONSUL_HTTP_ADDR=127.0.0.1:${v.CONSUL_HTTP_PORT || '8500'}
c=${shQuote(consulBin(v))}
if [ -s ${token} ]; then export CONSUL_HTTP_TOKEN_FILE=${token}; fi`;
};

/** Step helpers: the HTTP API (token in a header file, never on a command line), health, waiting. */
const prelude = (v: Vars) => `${cli(v)}
hdr="$BK_TMP/consul-header"; : > "$hdr"; chmod 600 "$hdr"
if [ -n "\${CONSUL_HTTP_TOKEN_FILE:-}" ]; then printf 'X-Consul-Token: %s\\n' "$(cat "$CONSUL_HTTP_TOKEN_FILE")" > "$hdr"; fi
api() { curl -s --max-time 3 -H @"$hdr" "http://$CONSUL_HTTP_ADDR$1"; }
up() { api /v1/agent/self > /dev/null; }
# healthy N: autopilot sees every server healthy, a leader, and N servers that could fail.
healthy() {
  local h re='"Healthy":true,"FailureTolerance":([0-9]+)'
  h=$(api /v1/operator/autopilot/health) || return 1
  [[ $h =~ $re ]] && [ "\${BASH_REMATCH[1]}" -ge "$1" ] && [[ $h == *'"Leader":true'* ]]
}
wait_for() {
  local what=$1 deadline=$((SECONDS + ${ROLL_WAIT_SECS})); shift
  until "$@"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "expected $what within ${ROLL_WAIT_SECS} s, found: $(api /v1/operator/autopilot/health || echo 'no answer from the local agent')" >&2; return 1
    fi
    sleep 0.3
  done
}
sv() { supervisorctl -c ${shQuote(`${v.INSTALL_PATH}/etc/supervisord.conf`)} "$@"; }
# The agent stopped (a leave makes it exit, and supervisor may be bringing it back), then started.
restart_agent() { sv stop consul:consul-agent > /dev/null 2>&1 || true; sv start consul:consul-agent > /dev/null; }`;

/** One server: wait until it can go, leave, restart, wait until it is a healthy voter again. */
function serverStep(v: Vars, p: Placement): Step {
  const n = consulServers(p).length;
  const tolerance = n >= 3 ? 1 : 0;
  return {
    id: 'restart',
    title: 'rolling restart of this server',
    always: true,
    consumes: 'consul',
    timeoutMs: (3 * ROLL_WAIT_SECS + 30) * 1000,
    script: `${prelude(v)}
wait_for "a healthy cluster that can lose a server before restarting this one" healthy ${tolerance}
# Leave first: clients drop this server from their lists at once instead of failing queries on it.
"$c" leave > /dev/null 2>&1 || true
restart_agent
wait_for "this agent to answer again" up
wait_for "every server a healthy voter again after this one's restart" healthy ${tolerance}
bk_changed`,
  };
}

/** A client: restart, then wait until it reaches the servers again. */
function clientStep(v: Vars): Step {
  return {
    id: 'restart',
    title: 'restart this client agent',
    always: true,
    consumes: 'consul',
    timeoutMs: (ROLL_WAIT_SECS + 30) * 1000,
    script: `${prelude(v)}
restart_agent
ready() { out=$("$c" operator raft list-peers 2>&1) && [[ $out == *' leader '* ]]; }
wait_for "this client to reach a leader again" ready
bk_changed`,
  };
}

/** Controller side: which server leads now (asked of the first server that answers). */
async function findLeader(ctx: RunContext, hosts: readonly string[]): Promise<string | undefined> {
  const servers = hosts.length ? consulServers(ctx) : [];
  for (const ip of servers.filter((s) => hosts.includes(s))) {
    const v = ctx.varsOf(ip);
    const t = await ctx.transport(ip);
    const r = await t.run(`${cli(v)}
"$c" operator raft list-peers 2>/dev/null | awk '$4 == "leader" {sub(/:.*/, "", $3); print $3}'`);
    const leader = r.stdout.trim();
    if (r.code === 0 && leader) return leader;
  }
  ctx.log('restart consul: no server named a leader; servers restart in install.config order');
  return undefined;
}

/** Waves: each server alone (followers, then the leader), then the clients together. */
export function rollingWaves(hosts: readonly string[], ctx: RunContext, leader?: string): string[][] {
  if (hosts.length === 0) return [];
  const servers = ctx.hostsOf('consul').filter((s) => hosts.includes(s));
  const ordered = [...servers.filter((s) => s !== leader), ...servers.filter((s) => s === leader)];
  const clients = hosts.filter((h) => !servers.includes(h));
  return [...ordered.map((s) => [s]), ...(clients.length ? [clients] : [])];
}

/** The `restart` command of the consul module. */
export const restartCommand: CommandDef = command({
  prepare: findLeader,
  steps: (h) => [isServer(h.run, h.ip) ? serverStep(h.vars, h.run) : clientStep(h.vars)],
  waves: rollingWaves,
});
