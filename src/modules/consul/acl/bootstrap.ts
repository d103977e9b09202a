// `start consul`, once the cluster has a leader: the first server writes every policy and token
// (ids from .consul_tokens) with the management token; then each agent waits for its node to be in
// the catalog (its agent token is accepted only from that moment).
import { createHash } from 'node:crypto';
import { shQuote } from '../../../engine/script';
import type { FileSpec, Placement, Step } from '../../../engine/types';
import { consulServers, nodeName } from '../config';
import { consulBin } from '../service';
import { aclPaths } from './files';
import { agentPolicy, allServices, type PolicySpec, READ_POLICY, servicePolicy } from './policies';
import type { AclToken } from './tokens';

type Vars = Readonly<Record<string, string>>;

const sha = (x: unknown) => createHash('sha256').update(JSON.stringify(x)).digest('hex').slice(0, 16);

/** Every object: [kind, name, JSON body] (each body's Description carries a hash of its content). */
function objects(p: Placement, tokens: ReadonlyMap<string, AclToken>): [string, string, string, string][] {
  const get = (n: string) => {
    const t = tokens.get(n);
    if (!t) throw new Error(`expected a Consul ACL token named ${n} in .consul_tokens, found none`);
    return t;
  };
  const hosts = p.allHosts;
  const policies: PolicySpec[] = [
    READ_POLICY,
    ...hosts.map(agentPolicy),
    ...allServices(p).map(servicePolicy),
  ];
  const out: [string, string, string, string][] = policies.map((p) => {
    const d = `bkcec ${sha(p)}`;
    return ['policy', p.name, d, JSON.stringify({ Name: p.name, Description: d, Rules: p.rules })];
  });
  const token = (name: string, policy: string) => {
    const t = get(name);
    const d = `bkcec ${name} ${sha([t.accessor, policy])}`;
    const body = { AccessorID: t.accessor, SecretID: t.secret, Description: d, Policies: [{ Name: policy }] };
    out.push(['token', t.accessor, d, JSON.stringify(body)]);
  };
  token('default', READ_POLICY.name);
  for (const ip of hosts) token(`agent:${ip}`, agentPolicy(ip).name);
  for (const s of allServices(p)) token(`service:${s}`, servicePolicy(s).name);
  return out;
}

const api = (v: Vars) => `http://127.0.0.1:${v.CONSUL_HTTP_PORT || '8500'}`;

/** Policies and tokens written (or left alone when their Description says they are current). */
export function aclBootstrapStep(
  v: Vars,
  p: Placement,
  tokens: ReadonlyMap<string, AclToken> | undefined,
): Step {
  const base = { id: 'acl', title: 'Consul ACL policies and tokens' };
  if (consulServers(p)[0] !== v.LAN_IP) return { ...base, script: ': only the first server writes ACLs' };
  if (!tokens) return { ...base, dynamic: true };
  const list = objects(p, tokens);
  const dir = `${v.INSTALL_PATH}/etc/consul/acl-objects`;
  const files: FileSpec[] = list.map(([kind, name, , body], i) => ({
    path: `${dir}/${i}-${kind}-${name}.json`,
    content: body,
    mode: 0o600,
  }));
  const calls = list
    .map(
      ([kind, name, desc], i) =>
        `bk_acl ${kind} ${shQuote(name)} ${shQuote(desc)} ${shQuote(files[i]!.path)}`,
    )
    .join('\n');
  return {
    ...base,
    always: true,
    files,
    script: `chmod 0700 ${shQuote(dir)}
# The management token goes in a header file: never on a command line.
hdr="$BK_TMP/acl-header"; (umask 077; printf 'X-Consul-Token: %s\\n' "$(cat ${shQuote(aclPaths(v).cliToken)})" > "$hdr")
out="$BK_TMP/acl-out"
call() { curl -sS --max-time 10 -o "$out" -w '%{http_code}' -H @"$hdr" -X "$1" "${api(v)}$2" \${3:+--data-binary @"$3"}; }
bk_acl() {
  local kind=$1 name=$2 desc=$3 body=$4 code id
  if [ "$kind" = policy ]; then code=$(call GET "/v1/acl/policy/name/$name"); else code=$(call GET "/v1/acl/token/$name"); fi
  if [ "$code" = 200 ] && grep -qF "\\"Description\\":\\"$desc\\"" "$out"; then return 0; fi
  if [ "$code" = 200 ] && [ "$kind" = policy ]; then
    id=$(sed -n 's/.*"ID":"\\([0-9a-f-]*\\)".*/\\1/p' "$out"); code=$(call PUT "/v1/acl/policy/$id" "$body")
  elif [ "$code" = 200 ]; then code=$(call PUT "/v1/acl/token/$name" "$body")
  else code=$(call PUT "/v1/acl/$kind" "$body"); fi
  if [ "$code" != 200 ]; then echo "consul refused ACL $kind $name (HTTP $code): $(cat "$out")" >&2; return 1; fi
  bk_changed
}
# The leader may answer a few moments before the ACL system is up on it.
for i in $(seq 200); do [ "$(call GET /v1/acl/policies)" = 200 ] && break; sleep 0.05; done
${calls}`,
  };
}

/** Waits until this agent's node is in the catalog (its token works); a reload makes it sync at once. */
export function nodeRegisteredStep(v: Vars): Step {
  const node = nodeName(v.LAN_IP ?? '');
  const bin = shQuote(consulBin(v));
  return {
    id: 'node-registered',
    title: `node ${node} in the catalog`,
    always: true,
    script: `export CONSUL_HTTP_ADDR=127.0.0.1:${v.CONSUL_HTTP_PORT || '8500'} CONSUL_HTTP_TOKEN_FILE=${shQuote(aclPaths(v).cliToken)}
for i in $(seq 600); do
  case "$(curl -s --max-time 2 ${api(v)}/v1/catalog/node/${node})" in *'"Node":{'*) exit 0;; esac
  if [ $((i % 100)) = 40 ]; then ${bin} reload >/dev/null 2>&1 || true; fi
  sleep 0.05
done
echo "expected node ${node} in the Consul catalog within 30 s (its agent token is refused?); log: ${v.INSTALL_PATH}/logs/consul/agent.out.log" >&2; exit 1`,
  };
}
