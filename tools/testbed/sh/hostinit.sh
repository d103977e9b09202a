#!/bin/bash
# PID 1 of one testbed host, run inside its own network, mount, UTS, IPC and PID namespaces:
# makes the host's private mounts, sets its hostname, starts sshd and then reaps orphans forever.
set -euo pipefail
d=$1 name=$2 ip=$3

# What the machine shows at /etc/resolv.conf, /etc/hosts and /etc/hostname when they are mount
# points or symlinks: the overlay would hide bind mounts and follow symlinks out of /etc.
declare -A seed=()
first_boot=0
[[ -e "$d/booted" ]] || first_boot=1
if ((first_boot)); then
  for f in /etc/resolv.conf /etc/hosts /etc/hostname; do
    if [[ -L "$f" ]] || mountpoint -q "$f" 2>/dev/null; then seed[$f]=$(cat "$f" 2>/dev/null || true); fi
  done
fi
# /run starts empty on every boot, with the machine's top-level /run directories (owners, modes).
run_dirs=$(find /run -mindepth 1 -maxdepth 1 -type d ! -name netns -printf '%m %U %G %f\n')

# The copy of /run/netns in this mount namespace would pin every other host's network namespace.
if mountpoint -q /run/netns; then umount -R -l /run/netns; fi

overlay() { mount -t overlay "bkt-$2" -o "lowerdir=$1,upperdir=$d/$2/upper,workdir=$d/$2/work" "$1"; }
overlay /etc etc
overlay /var var
mount --bind "$d/root" /root
mount --bind "$d/data" /data
mount --bind "$d/tmp" /tmp
mount --bind "$d/log" /var/log
mount -t tmpfs -o mode=0755,nosuid,nodev "bkt-run" /run
while read -r mode uid gid dir; do
  [[ -n "$dir" ]] && install -d -m "$mode" -o "$uid" -g "$gid" "/run/$dir"
done <<<"$run_dirs"
install -d -m 0755 /run/sshd
install -d -m 1777 /run/lock
mount -t tmpfs -o mode=1777,nosuid,nodev "bkt-shm" /dev/shm

hostname "$name"
if ((first_boot)); then
  for f in "${!seed[@]}"; do
    rm -f "$f"
    printf '%s\n' "${seed[$f]}" >"$f"
  done
  echo "$name" >/etc/hostname
  grep -qw "$name" /etc/hosts || echo "$ip $name" >>/etc/hosts
  touch "$d/booted"
fi

echo "testbed host $name ($ip) up"
/usr/sbin/sshd -D -e -f "$d/sshd_config" &
# As PID 1, bash reaps every orphan that a daemonising service leaves behind while it waits.
while :; do
  sleep infinity &
  wait || true
done
