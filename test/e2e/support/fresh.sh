#!/bin/bash
# fresh.sh DIR CMD…: runs CMD as root on this machine made fresh: the whole root file system seen
# through an overlay (writes land in DIR/up, the real machine is untouched; what is absent here, such
# as /data, stays absent), empty /tmp and /run, a private network (lo + one veth with 10.99.0.2 so
# the platform sees a LAN IP and a MAC, no way out), its own hostname and PID namespace (when CMD
# ends, everything it started dies), umask 022 and a plain root environment. DIR/out is /out inside,
# for results. DIR must be a fresh directory outside /tmp and /run. FRESH_REPO (optional): a folder
# under /tmp or /run that stays visible (through its own overlay, so writes never reach it), as a
# clone there is on a real machine. Killing this script kills it all.
set -euo pipefail
dir=${1:?expected DIR then a command}
shift
[[ $# -gt 0 ]] || { echo "fresh.sh: expected a command after DIR" >&2; exit 2; }
mkdir -p "$dir"/{up,work,root,out,repo-up,repo-work}
export FRESH_DIR=$dir FRESH_REPO=${FRESH_REPO:-}
exec unshare --net --mount --uts --ipc --pid --fork --kill-child --propagation private bash -c '
set -euo pipefail
d=$FRESH_DIR r=$FRESH_DIR/root
mount -t overlay overlay -o "lowerdir=/,upperdir=$d/up,workdir=$d/work" "$r"
# A fresh machine has no /data (removing it here only hides it in the overlay).
rm -rf "$r/data"
mount -t proc proc "$r/proc"
mount -t sysfs sysfs "$r/sys"
mount --rbind /dev "$r/dev"
mount -t tmpfs -o mode=1777 tmpfs "$r/tmp"
mount -t tmpfs -o mode=0755 tmpfs "$r/run"
case "$FRESH_REPO" in
  /tmp/*|/run/*)
    mkdir -p "$r$FRESH_REPO"
    mount -t overlay overlay -o "lowerdir=$FRESH_REPO,upperdir=$d/repo-up,workdir=$d/repo-work" "$r$FRESH_REPO";;
esac
mkdir -p "$r/out"
mount --bind "$d/out" "$r/out"
ip link set lo up
ip link add bk0 type veth peer name bk1
ip addr add 10.99.0.2/24 dev bk0
ip link set bk1 up
ip link set bk0 up
ip route add default via 10.99.0.1 dev bk0 onlink
hostname bkfresh
# What a fresh machine of this network would have: no outside resolver answers here.
grep -q "^nameserver" "$r/etc/resolv.conf" 2>/dev/null || printf "nameserver 10.99.0.1\n" > "$r/etc/resolv.conf"
umask 022
exec chroot "$r" /usr/bin/env -i HOME=/root USER=root LOGNAME=root SHELL=/bin/bash LANG=C.UTF-8 \
  PATH="$PATH" TERM=dumb "$@"
' fresh "$@"
