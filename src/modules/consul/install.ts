// `install consul` on one host: the DNS port free, the binary in place, a validated agent config,
// the supervisor program, resolv.conf pointing at the local agent, and /etc/hosts naming the front door.
import { createHash } from 'node:crypto';
import { shQuote } from '../../engine/script';
import type { HostContext, Step } from '../../engine/types';
import { packagesStep } from '../common/packages';
import { programsStep } from '../common/supervisor';
import { systemUserStep } from '../common/users';
import { aclConfigJson, aclPaths, tokenFiles } from './acl/files';
import type { Tokens } from './acl/state';
import { agentConfigJson, consulPaths } from './config';
import { etcHostsStep } from './etchosts';
import type { ResolvFacts } from './facts';
import { editResolvConf, recursorsOf } from './resolv';
import { consulBin, renderFunction } from './service';

/** The user the agent runs as; it binds the DNS port through a file capability, not as root. */
export const CONSUL_USER = 'consul';

type Vars = Readonly<Record<string, string>>;

/** Fails when something other than Consul listens on the DNS port where the agent must bind. */
export function dnsPortStep(v: Vars): Step {
  const port = v.CONSUL_DNS_PORT || '53';
  return {
    id: 'dns-port',
    title: `port ${port} free for Consul DNS`,
    always: true,
    script: `taken=$(ss -Hlnup 'sport = :${port}' 2>/dev/null; ss -Hlntp 'sport = :${port}' 2>/dev/null) || true
bad=$(echo "$taken" | awk '$4 ~ /^(127\\.0\\.0\\.1|0\\.0\\.0\\.0|\\*|\\[::\\]|\\[::ffff:127\\.0\\.0\\.1\\])(%[^:]*)?:${port}$/ && $0 !~ /"consul"/')
if [ -n "$bad" ]; then
  echo "expected port ${port} (UDP and TCP) on 127.0.0.1 to be free for Consul DNS, found it taken:" >&2
  echo "$bad" >&2
  echo "stop that resolver (e.g. dnsmasq, or systemd-resolved with DNSStubListener=yes on 0.0.0.0) and run install again" >&2
  exit 1
fi`,
  };
}

/** Checks the binary sync shipped runs here. */
function binaryStep(v: Vars): Step {
  const bin = shQuote(consulBin(v));
  return {
    id: 'binary',
    title: 'Consul binary in place',
    always: true,
    script: `if ! out=$(${bin} version 2>&1); then
  echo "expected a runnable Consul binary at ${consulBin(v)} (bkcec sync consul ships it), found: \${out:-nothing}" >&2; exit 1
fi`,
  };
}

/** The binary may bind ports below 1024 (DNS on 53) without root: cap_net_bind_service on the file. */
export function capabilityStep(v: Vars): Step {
  const bin = shQuote(consulBin(v));
  const low = Number(v.CONSUL_DNS_PORT || '53') < 1024;
  return {
    id: 'capability',
    title: low ? 'cap_net_bind_service on the Consul binary' : 'no capability on the Consul binary',
    // Every time: a newly synced binary is a new file without the capability.
    always: true,
    script: low
      ? `case "$(getcap ${bin})" in *cap_net_bind_service[=+]ep*) ;; *) setcap cap_net_bind_service=+ep ${bin}; bk_changed;; esac`
      : `if [ -n "$(getcap ${bin})" ]; then setcap -r ${bin}; bk_changed; fi`,
  };
}

/**
 * Writes the generated config and ACL file to staging files, validates them, then puts them in the
 * config dir (root:consul 0640: they hold the gossip key and tokens); token files root-only; the
 * service definitions rendered again with their tokens.
 */
function configStep(h: HostContext, recursors: readonly string[] | undefined, tokens?: Tokens): Step {
  const v = h.vars;
  const p = consulPaths(v);
  const a = aclPaths(v);
  const q = (s: string) => shQuote(s);
  // No notify: what owes a restart is restartInputsStep's (a change of membership alone does not).
  const base = { id: 'config', title: `agent config ${p.config}` };
  if (!recursors || !tokens) return { ...base, dynamic: true };
  const u = CONSUL_USER;
  return {
    ...base,
    files: [
      { path: p.staged, content: agentConfigJson(v, h.run, recursors), mode: 0o600 },
      { path: a.staged, content: aclConfigJson(v, h.run, tokens), mode: 0o600 },
      ...tokenFiles(v, h.run, tokens),
    ],
    script: `rm -f "$BK_TMP/changed"
install -d -o ${u} -g ${u} -m 0700 ${q(p.dataDir)}
[ "$(stat -c %U ${q(p.dataDir)})" = ${u} ] || chown -R ${u}:${u} ${q(p.dataDir)}
install -d -m 0750 -g ${u} ${q(p.configDir)}
chmod 0700 ${q(a.tokenDir)}
${renderFunction(v)}
for t in ${q(`${v.INSTALL_PATH}/etc/consul/services`)}/*.json; do [ -e "$t" ] || continue; n=\${t##*/}; bk_consul_render "\${n%.json}"; done
check="$BK_TMP/validate"; mkdir -p "$check"
cp ${q(p.staged)} "$check/consul.json"
cp ${q(a.staged)} "$check/acl.json"
for f in ${q(p.configDir)}/service-*.json; do [ -e "$f" ] && cp "$f" "$check/"; done
if ! out=$(${q(consulBin(v))} validate "$check" 2>&1); then
  echo "$out" >&2
  echo "the generated config (${p.staged}, ${a.staged}) failed consul validate; ${p.configDir} was left as it was" >&2; exit 1
fi
for pair in ${q(p.staged)}:${q(p.config)} ${q(a.staged)}:${q(a.config)}; do
  from=\${pair%%:*} to=\${pair#*:}
  if ! cmp -s "$from" "$to" || [ "$(stat -c %a:%G "$to")" != 640:${u} ]; then install -m 0640 -g ${u} "$from" "$to"; bk_changed; fi
done`,
  };
}

/**
 * What a running agent must restart for: its config and ACL files, except the fields that only matter
 * when it starts alone (retry_join, bootstrap_expect). Growing the servers (1 → 3, 3 → 5) then
 * restarts none of those already running, so the cluster keeps its quorum and DNS.
 */
function restartInputsStep(h: HostContext, recursors: readonly string[] | undefined, tokens?: Tokens): Step {
  const v = h.vars;
  const base = { id: 'restart-inputs', title: 'agent restart owed by a config change', notify: 'consul' };
  if (!recursors || !tokens) return { ...base, dynamic: true };
  const { retry_join: _j, bootstrap_expect: _b, ...rest } = JSON.parse(agentConfigJson(v, h.run, recursors));
  const digest = createHash('sha256')
    .update(JSON.stringify(rest))
    .update(aclConfigJson(v, h.run, tokens))
    .update(JSON.stringify(tokenFiles(v, h.run, tokens).map((f) => [f.path, String(f.content)])))
    .digest('hex');
  return {
    ...base,
    files: [
      { path: `${v.INSTALL_PATH}/etc/consul/restart-inputs.sha256`, content: `${digest}\n`, mode: 0o600 },
    ],
  };
}

/** Puts the agent first in resolv.conf (content written in place: it may be a symlink or a mount). */
export function resolvStep(v: Vars, wanted: string | undefined, file = '/etc/resolv.conf'): Step {
  const orig = shQuote(consulPaths(v).resolvOrig);
  const base = { id: 'resolv', title: 'resolv.conf: nameserver 127.0.0.1 first' };
  if (wanted === undefined) return { ...base, dynamic: true };
  return {
    ...base,
    always: true,
    env: { BK_RESOLV: wanted },
    script: `f=${shQuote(file)}
if [ ! -e ${orig} ]; then mkdir -p "$(dirname ${orig})"; cat "$f" > ${orig}.tmp 2>/dev/null || : > ${orig}.tmp; mv ${orig}.tmp ${orig}; bk_changed; fi
if [ "$(cat "$f" 2>/dev/null)" != "$(printf '%s' "$BK_RESOLV")" ]; then printf '%s' "$BK_RESOLV" > "$f"; bk_changed; fi
if [ -L "$f" ]; then case "$(readlink -f "$f")" in /run/systemd/*|/run/NetworkManager/*|/run/resolvconf/*)
  bk_warn "$f points to $(readlink -f "$f"), which its manager may rewrite: keep nameserver 127.0.0.1 first there";; esac; fi`,
  };
}

/** What `install consul` reads on the controller first (absent in dry runs). */
export interface InstallFacts {
  tokens: Tokens;
  resolv: ReadonlyMap<string, ResolvFacts>;
}

/** The steps of `install consul` on one host. */
export function installSteps(h: HostContext, prepared?: InstallFacts): Step[] {
  const v = h.vars;
  const facts = prepared?.resolv.get(h.ip);
  const tokens = prepared?.tokens;
  const recursors = facts && recursorsOf(facts.current, facts.original);
  if (recursors && recursors.length === 0) {
    h.run.log(
      `${h.ip}: consul: no nameserver other than 127.0.0.1 in /etc/resolv.conf: only *.consul names will resolve there`,
    );
  }
  const agent = `${shQuote(consulBin(v))} agent -config-dir ${shQuote(consulPaths(v).configDir)}`;
  return [
    dnsPortStep(v),
    packagesStep(['libcap2-bin', 'curl'], v),
    systemUserStep(CONSUL_USER, consulPaths(v).dataDir),
    binaryStep(v),
    capabilityStep(v),
    configStep(h, recursors, tokens),
    restartInputsStep(h, recursors, tokens),
    programsStep(v, 'consul', [
      {
        name: 'agent',
        command: agent,
        user: CONSUL_USER,
        startsecs: 1,
        stopsignal: 'TERM',
        stopwaitsecs: 15,
      },
    ]),
    resolvStep(v, facts && editResolvConf(facts.current)),
    etcHostsStep(v, h.run),
  ];
}
