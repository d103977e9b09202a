# On-disk state of the testbed: the controller key, each host's dirs, sshd config and known_hosts.

# Makes the state dir and the controller's ed25519 key (mode 0600) once.
state_init() {
  install -d -m 0755 "$TB_STATE"
  # The mount point of hosts' private /data. It stays after `down`: removing a directory detaches
  # the mounts on it in every namespace, which would pull /data from another instance's hosts.
  [[ -d /data ]] || mkdir /data
  if [[ ! -s "$TB_KEY" ]]; then
    rm -f "$TB_KEY" "$TB_KEY.pub"
    ssh-keygen -q -t ed25519 -N '' -C bkcec-testbed -f "$TB_KEY"
  fi
  chmod 0600 "$TB_KEY"
  install -m 0600 "$TB_KEY.pub" "$TB_STATE/authorized_keys"
}

# Makes host i's private dirs, host key and sshd config once; later calls keep its disk as it is.
state_host() {
  local i=$1 d
  d=$(host_dir "$i")
  [[ -e "$d/prepared" ]] && return 0
  rm -rf "$d"
  install -d -m 0755 "$d" "$d/data" "$d/ssh" "$d/etc/upper" "$d/etc/work" "$d/var/upper" "$d/var/work"
  install -d -m 1777 "$d/tmp"
  # A fresh root home as on a new server: the machine's own dotfiles (pyenv, cargo…) stay out.
  install -d -m 0700 "$d/root"
  cp -a /etc/skel/. "$d/root/"
  # /var/log starts with the machine's directory layout (owners and modes) but none of its files.
  rsync -a --include='*/' --exclude='*' /var/log/ "$d/log/"
  ssh-keygen -q -t ed25519 -N '' -C "$(host_name "$i")" -f "$d/ssh/ssh_host_ed25519_key"
  state_sshd_config "$i" >"$d/sshd_config"
  touch "$d/prepared"
}

# Prints host i's sshd config: key-only root login with the testbed key, no PAM, internal sftp.
state_sshd_config() {
  local d
  d=$(host_dir "$1")
  cat <<EOF
Port 22
ListenAddress 0.0.0.0
HostKey $d/ssh/ssh_host_ed25519_key
PidFile /run/sshd.pid
AuthorizedKeysFile $TB_STATE/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
UseDNS no
PrintMotd no
PrintLastLog no
X11Forwarding no
AcceptEnv LANG LC_*
Subsystem sftp internal-sftp
MaxSessions 64
MaxStartups 64:30:128
EOF
}

# Rewrites known_hosts with every host's IP and ed25519 host key.
state_known_hosts() {
  local i tmp
  tmp=$(mktemp "$TB_KNOWN.XXXXXX")
  for i in $(host_indexes); do
    echo "$(host_ip "$i") $(cut -d' ' -f1,2 "$(host_dir "$i")/ssh/ssh_host_ed25519_key.pub")" >>"$tmp"
  done
  chmod 0644 "$tmp"
  mv "$tmp" "$TB_KNOWN"
}
