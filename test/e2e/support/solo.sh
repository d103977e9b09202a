#!/bin/bash
# solo.sh DIR CMD…: runs CMD as on a machine of its own, for the single-machine deploy test: private
# network (lo + one veth with 10.99.0.2, so the platform sees a LAN IP and a MAC), an overlay on /etc,
# private /data, /tmp, /run and /var/log (kept under DIR), its own hostname and PID namespace (when CMD
# ends, everything it started dies). DIR must not be under /tmp, /run, /data, /etc or /var/log.
set -euo pipefail
dir=${1:?expected DIR then a command}
shift
[[ $# -gt 0 ]] || { echo "solo.sh: expected a command after DIR" >&2; exit 2; }
mkdir -p "$dir"/{etc-up,etc-work,data,tmp,run,varlog}
chmod 1777 "$dir/tmp"
export SOLO_DIR=$dir
# The repository stays visible even when it lives under a folder the namespace replaces (/tmp …).
SOLO_REPO=$(cd "$(dirname "$0")/../../.." && pwd)
export SOLO_REPO
mkdir -p "$dir/repo"
exec unshare --net --mount --uts --ipc --pid --fork --mount-proc --propagation private bash -c '
set -euo pipefail
d=$SOLO_DIR
ip link set lo up
ip link add bk0 type veth peer name bk1
ip addr add 10.99.0.2/24 dev bk0
ip link set bk1 up
ip link set bk0 up
ip route add default via 10.99.0.1 dev bk0 onlink
mount -t sysfs sysfs /sys
seed_resolv=$(cat /etc/resolv.conf 2>/dev/null || true)
mount -t overlay overlay -o lowerdir=/etc,upperdir=$d/etc-up,workdir=$d/etc-work /etc
# What a fresh machine of this network would have: no outside resolver answers here.
[[ -s /etc/hosts ]] || printf "127.0.0.1 localhost\n" > /etc/hosts
grep -q "^nameserver" /etc/resolv.conf 2>/dev/null || printf "nameserver 10.99.0.1\n" > /etc/resolv.conf
mount --bind "$SOLO_REPO" $d/repo
mkdir -p /data
mount --bind $d/data /data
mount --bind $d/tmp /tmp
mount --bind $d/run /run
mount --bind $d/varlog /var/log
[ -d "$SOLO_REPO/src" ] || { mkdir -p "$SOLO_REPO"; mount --bind $d/repo "$SOLO_REPO"; }
hostname bksolo
exec "$@"
' solo "$@"
