// Host-side parts of a rotation that the engine's steps do not do: a second Redis password next to
// the old one, and Consul's gossip keyring (install, use, remove). Secrets reach the host inside the
// script (stdin of the transport) and go on to redis-cli and curl through pipes, never as arguments.
import { shQuote } from '../../engine/script';
import { aclPaths } from '../../modules/consul/acl/files';
import { paasPaths } from '../../modules/paas/paths';
import { nodeBin } from '../../modules/paas/runtime';

type Vars = Readonly<Record<string, string>>;

/** Passwords that travel as one redis-cli word unquoted: letters, digits and a few safe symbols. */
const REDIS_WORD = /^[A-Za-z0-9_.@%+=:,-]{8,128}$/;

/** Redis accepts `next` as well as the password it has (both work until its next start reads redis.conf). */
export function redisAddPasswordScript(v: Vars, current: string, next: string): string {
  for (const [n, p] of [
    ['current', current],
    ['new', next],
  ] as const)
    if (!REDIS_WORD.test(p))
      throw new Error(`REDIS_PASS (${n}): expected 8-128 letters, digits or _.@%+=:,- for a rotation`);
  return `set -euo pipefail
out=$(printf 'AUTH %s\\nACL SETUSER default on >%s\\n' ${shQuote(current)} ${shQuote(next)} | redis-cli -h ${v.LAN_IP} -p ${v.REDIS_PORT} 2>&1)
[ "$(printf '%s' "$out" | tr -d '\\r' | tr '\\n' ' ')" = "OK OK" ] || { echo "redis refused the new password: $out" >&2; exit 1; }
echo "redis on ${v.LAN_IP}:${v.REDIS_PORT} accepts the new password"`;
}

/** One keyring call of Consul's HTTP API with the management token (from its root-only file). */
const keyringCall = (v: Vars, method: string, key: string) =>
  `printf '{"Key":"%s"}' ${shQuote(key)} | curl -sS --fail-with-body --max-time 30 -X ${method} -H @"$hdr" --data-binary @- ${api(v)}/v1/operator/keyring`;

const api = (v: Vars) => `http://127.0.0.1:${v.CONSUL_HTTP_PORT || '8500'}`;

/**
 * On a consul server: the new gossip key installed on every member, made the one that encrypts,
 * the old one removed; then every member's keyring is checked to hold the new key alone.
 */
export function consulKeyringScript(v: Vars, current: string, next: string): string {
  for (const k of [current, next])
    if (Buffer.from(k, 'base64').length !== 32 || !/^[A-Za-z0-9+/]+=*$/.test(k))
      throw new Error('CONSUL_ENCRYPT: expected a base64 32-byte key');
  return `set -euo pipefail
umask 077
hdr=$(mktemp); trap 'rm -f "$hdr"' EXIT
printf 'X-Consul-Token: %s\\n' "$(cat ${shQuote(aclPaths(v).cliToken)})" > "$hdr"
${keyringCall(v, 'POST', next)}
${keyringCall(v, 'PUT', next)}
${keyringCall(v, 'DELETE', current)}
keys=$(curl -sS --fail-with-body --max-time 30 -H @"$hdr" ${api(v)}/v1/operator/keyring)
case "$keys" in *${shQuote(current)}*) echo "the old gossip key is still in a member's keyring" >&2; exit 1;; esac
case "$keys" in *${shQuote(next)}*) ;; *) echo "expected the new gossip key in the keyrings, found it missing" >&2; exit 1;; esac
echo "gossip keyring: new key installed, in use, old key removed on every member"`;
}

/** The admin's new password handed to `manage set-admin-password` on its stdin (a quoted heredoc: no expansion). */
export function setAdminPasswordScript(v: Vars, next: string): string {
  if (/[\n\r]/.test(next) || next === 'BKPW') throw new Error('PAAS_ADMIN_PASS: expected one line');
  const p = paasPaths(v);
  return `set -euo pipefail
${nodeBin(v)} ${p.manage} set-admin-password --password-stdin --config ${p.conf} <<'BKPW'
${next}
BKPW`;
}
