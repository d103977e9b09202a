# `testbed ctrl DIR LAYOUT`: a bkcec control directory for the running hosts, ready to use.

# Turns "1=nginx,consul 2=mysql" into "10.77.0.11=nginx,consul 10.77.0.12=mysql", checking each host runs.
ctrl_layout() {
  local word host mods i out=()
  for word in $1; do
    [[ "$word" == *=* ]] || usage_die "ctrl: expected HOST=module,module in the layout, found '$word'"
    host=${word%%=*} mods=${word#*=}
    [[ -n "$mods" ]] || usage_die "ctrl: host '$host' has no modules in the layout"
    i=$(parse_host "$host")
    need_running "$i"
    out+=("$(host_ip "$i")=$mods")
  done
  ((${#out[@]} > 0)) || usage_die "ctrl: expected a layout such as \"1=nginx,consul 2=mysql\", found '$1'"
  echo "${out[*]}"
}

# Sets `export KEY=VALUE` in an env file: replaces the existing assignment of KEY or appends one.
env_set() {
  local file=$1 key=$2 value=$3 tmp
  tmp=$(mktemp "$file.XXXXXX")
  awk -v k="$key" -v v="$value" '
    $0 ~ "^[[:space:]]*(export[[:space:]]+)?" k "=" { if (!done) print "export " k "=" v; done = 1; next }
    { print }
    END { if (!done) print "export " k "=" v }
  ' "$file" >"$tmp"
  chmod 0600 "$tmp"
  mv "$tmp" "$file"
}

ctrl_make() {
  local dir=${1:-} layout=${2:-} ips
  [[ -n "$dir" && -n "$layout" && $# -eq 2 ]] ||
    usage_die "ctrl: expected DIR and one LAYOUT argument such as \"1=nginx,consul 2=mysql\""
  ips=$(ctrl_layout "$layout")
  local rc=0
  node "$TB_REPO/bin/bkcec.mjs" -C "$dir" init --layout "$ips" || rc=$?
  if ((rc != 0)); then
    echo "testbed: ctrl: 'bkcec -C $dir init --layout \"$ips\"' failed (exit $rc)" >&2
    exit "$rc"
  fi
  [[ -f "$dir/globals.env" ]] || die "ctrl: expected bkcec init to write $dir/globals.env; it is missing"
  env_set "$dir/globals.env" BK_SSH_KEY "$TB_KEY"
  env_set "$dir/globals.env" BK_SSH_KNOWN_HOSTS "$TB_KNOWN"
  echo "control dir $dir ready for: $ips"
}
