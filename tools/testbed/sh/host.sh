# Host processes: start a host's PID 1, find it, kill everything in it, wait for its sshd.

# Prints the root-namespace pid of host i's `unshare` process if it is running, else nothing.
host_unshare_pid() {
  local f pid
  f=$(host_dir "$1")/init.pid
  [[ -s "$f" ]] || return 0
  pid=$(<"$f")
  [[ -r /proc/$pid/cmdline ]] || return 0
  [[ "$(tr '\0' ' ' <"/proc/$pid/cmdline")" == *"$TB_HOME/sh/hostinit.sh $(host_dir "$1") "* ]] && echo "$pid"
  return 0
}

# Prints the root-namespace pid of host i's PID 1 (hostinit.sh), or nothing when it is not running.
host_init_pid() {
  local upid
  upid=$(host_unshare_pid "$1")
  [[ -n "$upid" ]] || return 0
  cut -d' ' -f1 "/proc/$upid/task/$upid/children" 2>/dev/null || true
}

# Starts host i's PID 1 in its network namespace with fresh mount/UTS/IPC/PID namespaces.
host_start() {
  local i=$1 d
  d=$(host_dir "$i")
  # The host keeps no descriptor of its caller: fd 9 is the command lock, and a caller's own lock
  # (e.g. `flock /tmp/bkcec-heavy.lock <test>` passes fd 3 down) would be held for the host's life.
  (
    for fd in /proc/$BASHPID/fd/*; do fd=${fd##*/}; if ((fd > 2)); then eval "exec $fd>&-"; fi; done
    exec setsid ip netns exec "$(host_ns "$i")" unshare --mount --uts --ipc --pid --fork --mount-proc \
      --propagation private "$TB_HOME/sh/hostinit.sh" "$d" "$(host_name "$i")" "$(host_ip "$i")"
  ) </dev/null >>"$d/init.log" 2>&1 &
  echo $! >"$d/init.pid"
}

# Prints every root-namespace pid that belongs to host i: its unshare, its PID namespace, its netns.
host_pids() {
  local i=$1 upid ipid
  upid=$(host_unshare_pid "$i")
  ipid=$(host_init_pid "$i")
  {
    [[ -n "$upid" ]] && echo "$upid"
    [[ -n "$ipid" ]] && echo "$ipid"
    [[ -e /run/netns/$(host_ns "$i") ]] && ip netns pids "$(host_ns "$i")" 2>/dev/null
    # Anything still running our hostinit for this host (e.g. after a lost pid file).
    pgrep -f "^/bin/bash $TB_HOME/sh/hostinit.sh $(host_dir "$i") " || true
  } | sort -un
}

# SIGKILLs every process of host i, as a power loss would, and waits until they are gone.
host_kill() {
  local i=$1 ipid pids n
  ipid=$(host_init_pid "$i")
  # Killing the PID namespace's init makes the kernel kill every process in that namespace.
  [[ -n "$ipid" ]] && { kill -KILL "$ipid" 2>/dev/null || true; }
  for n in $(seq 50); do
    pids=$(host_pids "$i")
    [[ -z "$pids" ]] && break
    kill -KILL $pids 2>/dev/null || true
    sleep 0.1
  done
  [[ -z "$(host_pids "$i")" ]] || die "host $i: processes $(host_pids "$i" | tr '\n' ' ')survived SIGKILL for 5 s"
  rm -f "$(host_dir "$i")/init.pid"
}

# Waits up to 15 s until host i answers ssh with the testbed key; on failure shows its init log.
host_wait_ssh() {
  local i=$1 ip n
  ip=$(host_ip "$i")
  for n in $(seq 150); do
    if timeout 1 bash -c "exec 3<>/dev/tcp/$ip/22" 2>/dev/null; then
      ssh_run "$i" true && return 0
    fi
    # A host whose PID 1 is gone will never answer; give a just-forked one 2 s to exec first.
    ((n < 20)) || [[ -n "$(host_unshare_pid "$i")" ]] || break
    sleep 0.1
  done
  echo "testbed: host $i ($ip) did not answer ssh; last lines of $(host_dir "$i")/init.log:" >&2
  tail -n 20 "$(host_dir "$i")/init.log" >&2 || true
  return 1
}

# Runs ssh to host i as root with the testbed key and known_hosts; the remote exit code comes back.
ssh_run() {
  local i=$1
  shift
  ssh -i "$TB_KEY" -o IdentitiesOnly=yes -o BatchMode=yes -o UserKnownHostsFile="$TB_KNOWN" \
    -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes -o ConnectTimeout=5 \
    -o LogLevel=ERROR "root@$(host_ip "$i")" "$@"
}
