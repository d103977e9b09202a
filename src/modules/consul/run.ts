// start / stop / status of the agents: servers first (a quorum needs them together), a deadline for
// the leader, then clients; status is one line per host.
import { shQuote } from '../../engine/script';
import type { Placement, RunContext, Step } from '../../engine/types';
import { startStep, stopStep, supervisordSteps } from '../common/supervisor';
import { aclBootstrapStep, nodeRegisteredStep } from './acl/bootstrap';
import { aclPaths } from './acl/files';
import type { AclToken } from './acl/tokens';
import { consulPaths, consulServers, isServer } from './config';
import { capabilityStep } from './install';
import { consulBin } from './service';

type Vars = Readonly<Record<string, string>>;

/** Seconds `start` waits for the cluster to have a leader. */
export const LEADER_WAIT_SECS = 60;

/** Hosts in start order: the servers among `hosts` together, then the clients. */
export function serversThenClients(hosts: readonly string[], ctx: RunContext): string[][] {
  if (hosts.length === 0) return [];
  const servers = ctx.hostsOf('consul');
  const waves = [hosts.filter((h) => servers.includes(h)), hosts.filter((h) => !servers.includes(h))];
  return waves.filter((w) => w.length > 0);
}

/** Shell lines every consul step starts with: the CLI pointed at the local agent. */
const prelude = (v: Vars) => `export CONSUL_HTTP_ADDR=127.0.0.1:${v.CONSUL_HTTP_PORT || '8500'}
export CONSUL_HTTP_TOKEN_FILE=${shQuote(aclPaths(v).cliToken)}
c=${shQuote(consulBin(v))}`;

/** Waits until the cluster has a leader; on timeout names the servers missing from the peer set. */
function leaderStep(v: Vars, p: Placement): Step {
  const servers = consulServers(p).join(' ');
  return {
    id: 'leader',
    title: `cluster leader within ${LEADER_WAIT_SECS}s`,
    always: true,
    timeoutMs: (LEADER_WAIT_SECS + 30) * 1000,
    script: `${prelude(v)}
deadline=$((SECONDS + ${LEADER_WAIT_SECS}))
until out=$("$c" operator raft list-peers 2>&1) && [[ $out == *' leader '* ]]; do
  if [ "$SECONDS" -ge "$deadline" ]; then
    peers=$("$c" operator raft list-peers -stale 2>/dev/null | awk 'NR>1 {sub(/:.*/, "", $3); print $3}' || true)
    alive=$("$c" members 2>/dev/null | awk '$3 == "alive" && $4 == "server" {sub(/:.*/, "", $2); print $2}' || true)
    missing=""; for s in ${servers}; do grep -qxF "$s" <<< "$peers" || missing="$missing $s"; done
    echo "expected a Consul leader among the servers ${servers} within ${LEADER_WAIT_SECS} s, found none" >&2
    echo "servers not in the raft peer set:\${missing:- none}; servers alive in gossip: $(echo $alive)" >&2
    echo "last answer of this agent: $out" >&2
    echo "check that every server ran 'bkcec start consul' and that TCP/UDP 8300-8302 pass between hosts; log: ${v.INSTALL_PATH}/logs/consul/agent.out.log" >&2
    exit 1
  fi
  sleep 0.1
done`,
  };
}

/** The steps of `start consul` on one host (ACLs written once a leader exists). */
export const startSteps = (v: Vars, p: Placement, tokens?: ReadonlyMap<string, AclToken>): Step[] => [
  // A binary synced since install is a new file without the capability: the agent could not bind 53.
  capabilityStep(v),
  ...supervisordSteps(v),
  startStep(v, 'consul'),
  leaderStep(v, p),
  aclBootstrapStep(v, p, tokens),
  nodeRegisteredStep(v),
];

/** The steps of `stop consul` on one host (the agent does not leave: a restart rejoins). */
export const stopSteps = (v: Vars): Step[] => [stopStep(v, 'consul')];

/** One line: the agent, the leader, members alive, and the health of this host's services. */
export function statusSteps(v: Vars, pl: Placement): Step[] {
  const role = isServer(pl, v.LAN_IP ?? '') ? 'server' : 'client';
  const p = consulPaths(v);
  const conf = shQuote(`${v.INSTALL_PATH}/etc/supervisord.conf`);
  return [
    {
      id: 'status',
      title: 'consul status',
      always: true,
      script: `${prelude(v)}
get() { ( exec 7<>/dev/tcp/127.0.0.1/${v.CONSUL_HTTP_PORT || '8500'} && printf 'GET %s HTTP/1.0\\r\\nHost: 127.0.0.1\\r\\n\\r\\n' "$1" >&7 && cat <&7 ) 2>/dev/null | tr -d '\\r' || true; }
sup=$(supervisorctl -c ${conf} status consul:consul-agent 2>/dev/null | awk '{print $2}' || true)
if [ "$sup" != RUNNING ]; then bk_status "consul: agent \${sup:-EXIT} (${role})"; exit 1; fi
leader=$("$c" operator raft list-peers 2>/dev/null | awk '$4 == "leader" {sub(/:.*/, "", $3); print $3}' || true)
members=$("$c" members 2>/dev/null | awk 'NR > 1 {n++; if ($3 == "alive") a++; else d = d " " $1 "(" $3 ")"} END {printf "%d/%d alive%s", a, n, d ? ", not alive:" d : ""}' || true)
svcs=""
for f in ${shQuote(p.configDir)}/service-*.json; do
  [ -e "$f" ] || continue
  n=\${f##*/service-}; n=\${n%.json}
  svcs="$svcs $n=$(get "/v1/agent/health/service/name/$n?format=text" | tail -n 1)"
done
bk_status "consul: agent RUNNING (${role}), leader \${leader:-NONE}, members \${members:-unknown}, services:\${svcs:- none}"
[ -n "$leader" ]`,
    },
  ];
}
