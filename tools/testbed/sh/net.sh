# The testbed network: one bridge in the root namespace and one namespace + veth pair per host.

# Makes the bridge with the controller address 10.77.0.1/24 (idempotent).
net_bridge_up() {
  ip link show "$TB_BRIDGE" &>/dev/null || ip link add "$TB_BRIDGE" type bridge
  ip addr replace "$TB_CTRL_IP/24" dev "$TB_BRIDGE"
  ip link set "$TB_BRIDGE" up
}

# Removes the bridge if it exists.
net_bridge_down() {
  ip link show "$TB_BRIDGE" &>/dev/null && ip link del "$TB_BRIDGE"
  return 0
}

# Makes host i's namespace, its veth (eth0 inside, fixed MAC 02:77:00:00:00:ii), address and routes.
net_host_up() {
  local i=$1 ns veth mac
  ns=$(host_ns "$i") veth=$(host_veth "$i") mac=$(printf '02:77:%02x:00:%02x:%02x' "$TB_INSTANCE" $((i / 256)) $((i % 256)))
  [[ -e /run/netns/$ns ]] || ip netns add "$ns"
  ip link show "$veth" &>/dev/null ||
    ip link add "$veth" type veth peer name eth0 address "$mac" netns "$ns"
  ip link set "$veth" master "$TB_BRIDGE"
  # A cut host stays cut across `up`: only `heal` (or `down`) clears it.
  [[ -e "$(host_dir "$i")/cut" ]] || ip link set "$veth" up
  ip -n "$ns" link set lo up
  ip -n "$ns" addr replace "$(host_ip "$i")/24" dev eth0
  ip -n "$ns" link set eth0 up
  ip -n "$ns" route replace default via "$TB_CTRL_IP" dev eth0
}

# Removes host i's namespace and veth (the pair goes with either end).
net_host_down() {
  local i=$1 ns veth
  ns=$(host_ns "$i") veth=$(host_veth "$i")
  if [[ -e /run/netns/$ns ]]; then
    ip netns del "$ns" || die "could not delete namespace $ns: $(ip netns pids "$ns" 2>&1 | tr '\n' ' ')"
  fi
  # The kernel removes a dead namespace's veth pair asynchronously; delete it if it lingers.
  local n
  for n in $(seq 20); do
    ip link show "$veth" &>/dev/null || return 0
    ((n < 10)) || ip link del "$veth" 2>/dev/null || true
    sleep 0.1
  done
  die "link $veth still exists after deleting namespace $ns"
}

# Takes host i's link down (cut) or up (heal) on the root side of its veth.
net_host_link() {
  local i=$1 state=$2 veth
  veth=$(host_veth "$i")
  ip link show "$veth" &>/dev/null || die "host $i has no link $veth (is it up? see 'testbed list')"
  ip link set "$veth" "$state"
  if [[ "$state" == down ]]; then touch "$(host_dir "$i")/cut"; else rm -f "$(host_dir "$i")/cut"; fi
}

# Unmounts /run/netns once it holds no namespace (`ip netns add` leaves it as a mount point).
net_netns_dir_cleanup() {
  [[ -d /run/netns ]] || return 0
  [[ -z "$(ls -A /run/netns)" ]] || return 0
  while mountpoint -q /run/netns; do umount /run/netns; done
  rmdir /run/netns
}
