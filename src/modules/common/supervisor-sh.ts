// Bash functions steps use to ask the host's supervisord about its programs. They speak XML-RPC on
// its unix socket with curl (a few ms) instead of starting Python's supervisorctl (~0.2 s a call),
// and fall back to supervisorctl where curl is missing.

type Vars = Readonly<Record<string, string>>;

const RPC =
  '<?xml version="1.0"?><methodCall><methodName>supervisor.getAllProcessInfo</methodName><params></params></methodCall>';

/**
 * Defines sv_up (is supervisord answering?), sv_states GROUP [PROGRAM…] ("group:name STATE description"
 * lines), and tests on such text that read it from a here-string: `sv_states … | grep -q X` under
 * pipefail fails whenever grep stops reading early and the writer gets SIGPIPE.
 */
export function svFunctions(v: Vars): string {
  const run = `${v.INSTALL_PATH}/run`;
  return `sv_conf='${v.INSTALL_PATH}/etc/supervisord.conf'
sv_sock='${run}/supervisor.sock'
sv_up() {
  local pid
  pid=$(cat '${run}/supervisord.pid' 2>/dev/null) && [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [ -S "$sv_sock" ]
}
sv_states() {
  local group=$1
  shift
  if command -v curl >/dev/null; then
    curl -s --max-time 10 --unix-socket "$sv_sock" -H 'Content-Type: text/xml' --data '${RPC}' http://localhost/RPC2 |
      tr -d '\\n\\r' | sed 's#</struct>#\\n#g'
  else
    supervisorctl -c "$sv_conf" status 2>/dev/null | awk '{ split($1, a, ":"); d = $0; sub(/^[^ ]+ +[^ ]+ +/, "", d);
      printf "<name>group</name><value><string>%s</string><name>name</name><value><string>%s</string><name>statename</name><value><string>%s</string><name>description</name><value><string>%s</string>\\n", a[1], a[2], $2, d }'
  fi | awk -v group="$group" -v only=" $* " -v some=$# '
    # One awk for every record (not a sed per field): this runs in tight polling loops.
    function field(rec, key,   s) {
      if (!match(rec, "<name>" key "</name><value><string>[^<]*</string>")) return ""
      s = substr(rec, RSTART, RLENGTH); sub(/.*<string>/, "", s); sub(/<\\/string>$/, "", s); return s
    }
    {
      if (field($0, "group") != group) next
      n = field($0, "name")
      short = substr(n, 1, length(group) + 1) == group "-" ? substr(n, length(group) + 2) : n
      if (some > 0 && index(only, " " short " ") == 0) next
      print group ":" n " " field($0, "statename") " " field($0, "description")
    }'
}
# sv_all_in TEXT STATE…: TEXT has lines and every one is in one of the STATEs.
sv_all_in() {
  local text=$1 l s hit
  shift
  [ -n "$text" ] || return 1
  while IFS= read -r l; do
    hit=""
    for s in "$@"; do case "$l" in *" $s "*) hit=1 ;; esac; done
    [ -n "$hit" ] || return 1
  done <<< "$text"
}
# sv_any_in TEXT STATE…: some line of TEXT is in one of the STATEs.
sv_any_in() {
  local text=$1 l s
  shift
  while IFS= read -r l; do
    for s in "$@"; do case "$l" in *" $s "*) return 0 ;; esac; done
  done <<< "$text"
  return 1
}
`;
}
