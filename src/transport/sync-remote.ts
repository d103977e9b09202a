// The host's side of a tree sync, as bash: a scan that trusts the manifest
// (.bkcec-manifest: path, size+mtime+ctime stamp, sha256) and re-hashes only what changed, and
// an apply step that moves freshly extracted files into place and deletes what is gone.

import { shq } from './shell';

/** Names inside the synced folder that belong to the sync itself. */
export const MANIFEST = '.bkcec-manifest';
export const STAGING = '.bkcec-sync.tmp';

/**
 * bash function `bkcec_scan`: prints `type\0mode\0sha-or-link\0path\0` for every file and
 * symlink below "$d" (symlinks are listed, never followed) and rewrites the manifest if it is stale.
 * A file without a valid manifest entry is hashed, unless "$sums" (path\0sha\0 pairs: the
 * controller's hashes of the files a sync just put in place) names it.
 */
const SCAN_FUNCTION = `
bkcec_scan() {
  [ -d "$d" ] || return 0
  cd "$d"
  local tmp; tmp=$(mktemp -d); trap 'rm -rf -- "$tmp"' RETURN
  find . -mindepth 1 \\( -path ./${STAGING} -o -path ./${MANIFEST} -o -path ./${MANIFEST}.tmp \\) -prune \\
    -o \\( -type f -o -type l \\) -printf '%y\\0%m\\0%s %T@ %C@\\0%P\\0%l\\0' > "$tmp/list"
  local -A known=() fresh=() given=()
  local p stamp sha y mode link line v n=0 stale=0
  if [ -n "\${sums:-}" ] && [ -f "$sums" ]; then
    while IFS= read -r -d '' p && IFS= read -r -d '' sha; do given["$p"]=$sha; done < "$sums"
  fi
  if [ -f ${MANIFEST} ]; then
    while IFS= read -r -d '' p && IFS= read -r -d '' stamp && IFS= read -r -d '' sha; do
      known["$p"]="$stamp $sha"
    done < ${MANIFEST}
  fi
  while IFS= read -r -d '' y && IFS= read -r -d '' mode && IFS= read -r -d '' stamp && IFS= read -r -d '' p && IFS= read -r -d '' link; do
    [ "$y" = f ] || continue
    n=$((n + 1))
    v=\${known[$p]:-}
    [ -n "$v" ] && [ "$v" = "$stamp \${v##* }" ] && continue
    stale=1
    if [ -n "\${given[$p]:-}" ]; then fresh["$p"]=\${given[$p]}; else printf '%s\\0' "$p"; fi
  done < "$tmp/list" > "$tmp/stale"
  if [ -s "$tmp/stale" ]; then
    xargs -0 -r sha256sum -z -- < "$tmp/stale" > "$tmp/hashed"
    while IFS= read -r -d '' line; do fresh["\${line:66}"]=\${line:0:64}; done < "$tmp/hashed"
  fi
  [ "\${#known[@]}" = "$n" ] || stale=1
  : > "$tmp/manifest"
  while IFS= read -r -d '' y && IFS= read -r -d '' mode && IFS= read -r -d '' stamp && IFS= read -r -d '' p && IFS= read -r -d '' link; do
    if [ "$y" = f ]; then
      v=\${known[$p]:-}
      sha=\${fresh[$p]:-\${v##* }}
      printf 'f\\0%s\\0%s\\0%s\\0' "$mode" "$sha" "$p"
      printf '%s\\0%s\\0%s\\0' "$p" "$stamp" "$sha" >> "$tmp/manifest"
    else
      printf 'l\\0%s\\0%s\\0%s\\0' "$mode" "$link" "$p"
    fi
  done < "$tmp/list"
  if [ "$stale" = 1 ]; then mv -f -- "$tmp/manifest" ${MANIFEST}; fi
}
`;

/** The script (sent to `run`) that lists `dir` in one round trip. */
export function scanScript(dir: string): string {
  return `set -euo pipefail\nd=${shq(dir)}\n${SCAN_FUNCTION}\nbkcec_scan\n`;
}

/**
 * The script shipped inside the tar as `apply.sh`, run as `bash apply.sh DIR` once the tar is
 * extracted into DIR/.bkcec-sync.tmp: deletes what delete.list names (and folders left empty),
 * then renames each files.list entry from f/ into place: a whole staged folder when DIR lacks
 * it, else one `mv -t` per run of files sharing a folder (files.list is grouped by folder). Any
 * symlink or file in the way of a folder is replaced by the folder, so nothing is written
 * outside DIR. Then it refreshes the manifest (the sent files' hashes come in sums.list).
 */
export const APPLY_SCRIPT = `set -euo pipefail
d=$1; s="$d/${STAGING}"
cd "$d"
while IFS= read -r -d '' p; do
  rm -f -- "$p"
  q=$p
  while [ "\${q%/*}" != "$q" ]; do q=\${q%/*}; rmdir -- "$q" 2>/dev/null || break; done
done < "$s/delete.list"
declare -A ready=() moved=()
batch=(); bdir=.
flush() { if [ "\${#batch[@]}" -gt 0 ]; then mv -f -t "$bdir" -- "\${batch[@]}"; batch=(); fi; }
while IFS= read -r -d '' p; do
  cur=.; rest=$p; whole=
  while [ "\${rest%%/*}" != "$rest" ]; do
    cur="$cur/\${rest%%/*}"; rest=\${rest#*/}
    if [ -n "\${moved[$cur]:-}" ]; then whole=1; break; fi
    [ -z "\${ready[$cur]:-}" ] || continue
    if [ -L "$cur" ] || { [ -e "$cur" ] && [ ! -d "$cur" ]; }; then rm -f -- "$cur"; fi
    if [ ! -e "$cur" ]; then
      mv -T -- "$s/f/\${cur#./}" "$cur"; moved[$cur]=1; whole=1; break
    fi
    ready[$cur]=1
  done
  [ -z "$whole" ] || continue
  [ "\${cur}" = "$bdir" ] || { flush; bdir=$cur; }
  if [ -d "$p" ] && [ ! -L "$p" ]; then rmdir -- "$p"; fi
  batch+=("$s/f/$p")
done < "$s/files.list"
flush
sums="$s/sums.list"
${SCAN_FUNCTION}
bkcec_scan > /dev/null
rm -rf -- "$s"
`;

/** The command (for `exec`, with the tar on stdin) that unpacks into staging and runs apply.sh. */
export function applyCommand(dir: string): string {
  return (
    `set -e; d=${shq(dir)}; s="$d/${STAGING}"; mkdir -p -- "$d"; rm -rf -- "$s"; mkdir -- "$s"; ` +
    `tar -x -p --no-same-owner -C "$s" -f -; exec bash --norc "$s/apply.sh" "$d"`
  );
}
