#!/usr/bin/env bash
# readiness.sh: can this machine join the platform? Run it on the new host, as root, before adding
# it to install.config:
#   curl -fsS http://NGINX_HOST/download/readiness.sh | bash -s -- http://NGINX_HOST/download
# It reads the platform's public facts (platform.env) and the functions library from that address,
# prints one ok / warn / FAIL line per check and exits 1 when any check failed. It changes nothing.
set -euo pipefail

base=${1:-}
if [[ ! $base =~ ^http://[A-Za-z0-9.-]+(:[0-9]+)?/download$ ]]; then
  echo "usage: curl -fsS http://NGINX_HOST/download/readiness.sh | bash -s -- http://NGINX_HOST/download (found '${base}')" >&2
  exit 2
fi
lib=$(mktemp)
trap 'rm -f "$lib"' EXIT
if ! curl -fsS --max-time 10 "$base/functions" >"$lib"; then
  echo "expected $base/functions, found none" >&2
  exit 2
fi
# shellcheck source=functions
. "$lib"
bk_env_read "$base/platform.env" || { echo "expected $base/platform.env, found none" >&2; exit 2; }

hostport=${base#http://}
hostport=${hostport%/download}
nginx=${hostport%%:*}
port=${hostport##*:}
[ "$port" = "$hostport" ] && port=80

if [ "$(id -u)" = 0 ]; then bk_ok "running as root"; else bk_fail "expected root (bkcec installs as root), found $(id -un)"; fi
if ((BASH_VERSINFO[0] >= 4)); then bk_ok "bash $BASH_VERSION"; else bk_fail "expected bash 4 or newer, found $BASH_VERSION"; fi
for tool in ssh-keygen sha256sum tar; do
  if command -v "$tool" >/dev/null; then bk_ok "$tool present"; else bk_fail "expected $tool on PATH, found none"; fi
done

# Clock: Consul and the license certificates need hosts within seconds of each other.
if now=$(date +%s) && theirs=$(bk_http_date "$nginx" "$port"); then
  skew=$((now > theirs ? now - theirs : theirs - now))
  if ((skew <= 30)); then bk_ok "clock within ${skew}s of $nginx"; else bk_fail "expected the clock within 30 s of $nginx, found ${skew} s apart (sync time first)"; fi
else
  bk_fail "expected a Date header from $nginx:$port, found none"
fi

# Consul: a joining agent must reach every server's LAN gossip port and have its own ports free.
for s in ${BK_CONSUL_SERVERS:-}; do
  if bk_tcp_open "$s" "$BK_CONSUL_SERF_LAN_PORT"; then bk_ok "consul server $s:$BK_CONSUL_SERF_LAN_PORT reachable"; else bk_fail "expected consul server $s to accept TCP $BK_CONSUL_SERF_LAN_PORT, found no answer (firewall?)"; fi
done
for p in ${BK_AGENT_PORTS:-}; do
  if bk_port_free "$p"; then bk_ok "port $p free"; else bk_fail "expected TCP port $p free (the platform's agents use it), found a listener"; fi
done

# The front door: the PaaS site answers through nginx.
if bk_tcp_open "$nginx" "$BK_PAAS_HTTP_PORT"; then bk_ok "front door $nginx:$BK_PAAS_HTTP_PORT reachable"; else bk_fail "expected nginx $nginx to accept TCP $BK_PAAS_HTTP_PORT, found no answer"; fi
# One try of 1 s per nameserver: a new host's resolver often points at a server that never answers.
if RES_OPTIONS="timeout:1 attempts:1" timeout 3 getent ahostsv4 "$BK_PAAS_FQDN" >/dev/null; then
  bk_ok "$BK_PAAS_FQDN resolves"
elif [ "${BK_HAS_DNS_SERVER:-0}" = 0 ]; then
  bk_warn "$BK_PAAS_FQDN does not resolve yet (bkcec maps it in /etc/hosts when it deploys here)"
else
  bk_fail "expected $BK_PAAS_FQDN to resolve (HAS_DNS_SERVER=1: your DNS maps it), found nothing"
fi

# Disk: the install root needs room for the runtime, bundles and logs.
free=$(bk_free_mb "$BK_INSTALL_PATH")
if ((free >= BK_MIN_FREE_MB)); then bk_ok "${free} MB free for $BK_INSTALL_PATH"; else bk_fail "expected at least $BK_MIN_FREE_MB MB free for $BK_INSTALL_PATH, found $free MB"; fi

if ((BK_FAILED > 0)); then
  echo "not ready: $BK_FAILED check(s) failed"
  exit 1
fi
echo "ready to join the platform at $nginx"
