# Shared names, paths and small helpers of the testbed command (sourced, not run).

TB_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TB_REPO=$(cd "$TB_HOME/../.." && pwd)
# Instance 0 is the testbed of the design (10.77.0.0/24); instance K uses 10.77.K.0/24 and its own
# bridge, names, state dir and lock, so separate suites can each have a testbed at the same time.
TB_INSTANCE=${BKCEC_TESTBED_INSTANCE:-0}
[[ "$TB_INSTANCE" =~ ^[0-9]+$ ]] && ((TB_INSTANCE <= 255)) ||
  { echo "testbed: BKCEC_TESTBED_INSTANCE must be 0..255, found '$TB_INSTANCE'" >&2 && exit 2; }
if ((TB_INSTANCE == 0)); then TB_TAG=bk; else TB_TAG=bk$TB_INSTANCE; fi
TB_STATE=${BKCEC_TESTBED_DIR:-/srv/bkcec-testbed$( ((TB_INSTANCE == 0)) || echo "-$TB_INSTANCE")}
TB_BRIDGE=${TB_TAG}br0
TB_NET=10.77.$TB_INSTANCE
TB_CTRL_IP=$TB_NET.1
TB_KEY=$TB_STATE/id_ed25519
TB_KNOWN=$TB_STATE/known_hosts
TB_LOCK=/run/bkcec-testbed-$TB_INSTANCE.flock
TB_MAX=200

die() {
  echo "testbed: $*" >&2
  exit 1
}

usage_die() {
  echo "testbed: $*" >&2
  exit 2
}

# The state dir must stay visible inside hosts and outside every tree a host overlays or replaces.
check_state_dir() {
  case "$TB_STATE" in
  /* ) ;;
  *) usage_die "BKCEC_TESTBED_DIR must be an absolute path, found '$TB_STATE'" ;;
  esac
  [[ "$TB_STATE" =~ ^[A-Za-z0-9_./-]+$ ]] || usage_die "BKCEC_TESTBED_DIR may hold only [A-Za-z0-9_./-], found '$TB_STATE'"
  local top
  for top in /etc /var /root /data /tmp /run /dev /proc /sys; do
    [[ "$TB_STATE" == "$top" || "$TB_STATE" == "$top"/* ]] &&
      usage_die "BKCEC_TESTBED_DIR must not be under $top (hosts overlay or replace it), found '$TB_STATE'"
  done
  return 0
}

host_ip() { echo "$TB_NET.$((10 + $1))"; }
host_name() { echo "bkt$1"; }
host_ns() { echo "${TB_TAG}t$1"; }
host_dir() { echo "$TB_STATE/h$1"; }
host_veth() { echo "${TB_TAG}v$1"; }

# Turns HOST (an index, bktN or 10.77.0.X) into the host index, or fails saying what was expected.
parse_host() {
  local arg=$1 i=""
  if [[ "$arg" =~ ^[0-9]+$ ]]; then
    i=$arg
  elif [[ "$arg" =~ ^bkt([0-9]+)$ ]]; then
    i=${BASH_REMATCH[1]}
  elif [[ "$arg" =~ ^${TB_NET//./\\.}\.([0-9]+)$ ]] && ((BASH_REMATCH[1] > 10)); then
    i=$((BASH_REMATCH[1] - 10))
  fi
  [[ -n "$i" ]] && ((10#$i >= 1 && 10#$i <= TB_MAX)) ||
    usage_die "expected HOST as an index 1..$TB_MAX, bktN or $TB_NET.11..; found '$arg'"
  echo $((10#$i))
}

# Indexes of hosts that have a state dir, a namespace or a link: everything `down` must remove.
known_indexes() {
  {
    host_indexes
    ip netns list 2>/dev/null | sed -n "s/^${TB_TAG}t\([0-9]\+\)\( .*\)\?\$/\1/p"
    ip -o link show 2>/dev/null | sed -n "s/^[0-9]\+: ${TB_TAG}v\([0-9]\+\)[@:].*/\1/p"
  } | sort -nu || true
}

# Indexes of hosts with a state dir (made by `up`).
host_indexes() {
  { compgen -G "$TB_STATE/h*" || true; } | sed -n 's#.*/h\([0-9]\+\)$#\1#p' | sort -n
}

# Serialises commands that change the testbed, so two callers never build or tear down at once.
take_lock() {
  exec 9>"$TB_LOCK"
  flock -w 300 9 || die "waited 300 s for $TB_LOCK (another testbed command is running)"
}
