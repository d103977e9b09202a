// Compiles a host's steps for one phase into ONE bash script (one remote session), and reads back
// a result per step from marker lines on its stdout.
import { createHash, randomBytes } from 'node:crypto';
import type { FileSpec, Step } from './types';

const RS = '\x1e';

/** Seconds a script waits for another bkcec script on the same host to finish. */
export const LOCK_WAIT_SECS = 600;

/** Default time a step may take on its host before it is killed. */
export const DEFAULT_STEP_TIMEOUT_MS = 600_000;

/**
 * Helpers every step can call; results travel on stdout as marker lines after each step.
 * The host keeps its own state under BK_STATE: a lock (one bkcec script at a time on a host, also
 * across controllers and after a killed run) and the owed restarts (one file per unit, written
 * before a notifying step runs and removed by the step that performed the restart), so a debt
 * survives the controller dying at any moment.
 */
const PREAMBLE = String.raw`set -uo pipefail
umask 022
BK_OWED="$BK_STATE/owed"
mkdir -p "$BK_OWED" || exit 91
exec 9>>"$BK_STATE/lock"
if ! flock -n 9; then
  echo "bkcec: another bkcec script runs on this host; waiting for it (lock $BK_STATE/lock)" >&2
  flock -w LOCK_WAIT 9 || { echo "another bkcec script held $BK_STATE/lock for LOCK_WAIT s (a killed run's step still going, or a second controller): wait, or find it with 'fuser $BK_STATE/lock'" >&2; exit 75; }
fi
BK_TMP=$(mktemp -d /tmp/bkcec.XXXXXX) || exit 90
# No EXIT trap: a subshell signalled right after its fork would run it too (bash), and remove BK_TMP
# under the running script. Every way out of the script goes through bk_exit instead.
bk_exit() { rm -rf "$BK_TMP" $BK_CLEAN; exit "$1"; }
bk_changed() { : > "$BK_TMP/changed"; }
bk_warn() { printf '\036BKWARN %s\n' "$*" >> "$BK_TMP/marks"; }
bk_status() { printf '\036BKSTATUS %s\n' "$*" >> "$BK_TMP/marks"; }
bk_put() {
  local path=$1 mode=$2 sum=$3 tmp
  if [ -f "$path" ] && [ ! -L "$path" ] && [ "$(sha256sum < "$path" | cut -d' ' -f1)" = "$sum" ]; then
    cat > /dev/null
    if [ "$(stat -c %a "$path")" != "$mode" ]; then chmod "$mode" "$path"; bk_changed; fi
    return 0
  fi
  mkdir -p "$(dirname "$path")"
  tmp="$path.bkcec-tmp.$$"
  (umask 077; base64 -d > "$tmp") && chmod "$mode" "$tmp" && mv -f "$tmp" "$path" && bk_changed
}
bk_kill_tree() {
  local c
  for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do bk_kill_tree "$c" "$2"; done
  kill -"$2" "$1" 2>/dev/null
}
# bk_run FN SECS: the step function in a subshell that gets no pipe and no lock of ours (daemons it
# starts cannot hold the session or the lock), killed with its children after SECS (exit code 124).
bk_run() {
  local fn=$1 secs=$2 sp wd wdc rc
  ( set -eEo pipefail; trap 'printf "\036BKCMD %s\n" "$BASH_COMMAND" >> "$BK_TMP/marks"' ERR; "$fn" ) > "$BK_TMP/out" 2>&1 < /dev/null 9>&- &
  sp=$!
  ( s=""; trap 'kill "$s" 2>/dev/null; exit 0' TERM; sleep "$secs" & s=$!; wait "$s"
    : > "$BK_TMP/timedout"; bk_kill_tree "$sp" TERM; sleep 5; bk_kill_tree "$sp" KILL ) > /dev/null 2>&1 < /dev/null 9>&- &
  wd=$!
  wait "$sp"; rc=$?
  # The watchdog, then its sleep: a TERM between its fork and its trap's view of the sleep left the
  # sleep behind, orphaned, after quick steps (the sleep first would end the watchdog's wait: a timeout).
  wdc=$(cat /proc/"$wd"/task/*/children 2>/dev/null)
  kill -TERM "$wd" 2>/dev/null; wait "$wd" 2>/dev/null
  [ -z "$wdc" ] || kill $wdc 2>/dev/null
  if [ -e "$BK_TMP/timedout" ]; then echo "bkcec: the step did not finish within $secs s and was killed" >> "$BK_TMP/out"; rc=124; fi
  return "$rc"
}
# bk_step ID FN SECS NOTIFY CONSUMES: each NOTIFY unit gets a debt before the step runs (dropped again
# when the step succeeded without a change); owed CONSUMES units are listed in BK_OWED_UNITS during
# the step and cleared after it succeeded, unless a newer debt came meanwhile.
bk_step() {
  local id=$1 fn=$2 secs=$3 notify=$4 consumes=$5 rc ch=0 u fresh="" owed=""
  rm -f "$BK_TMP/changed" "$BK_TMP/marks"
  printf '\036BKBEGIN %s\n' "$id"
  for u in $notify; do
    [ -e "$BK_OWED/$u" ] && continue
    echo "$(date +%s%N) $$" > "$BK_OWED/$u"; fresh="$fresh $u"
  done
  for u in $consumes; do
    [ -e "$BK_OWED/$u" ] || continue
    owed="$owed $u"; cp "$BK_OWED/$u" "$BK_TMP/owed-$u"
  done
  owed=$(echo $owed)
  export BK_OWED_UNITS="$owed"
  if [ -n "$owed" ]; then export BK_RESTART_OWED=1; else export BK_RESTART_OWED=0; fi
  bk_run "$fn" "$secs"
  rc=$?
  [ -e "$BK_TMP/changed" ] && ch=1
  if [ "$rc" = 0 ]; then
    if [ "$ch" = 0 ]; then for u in $fresh; do rm -f "$BK_OWED/$u"; done; fi
    for u in $owed; do if cmp -s "$BK_OWED/$u" "$BK_TMP/owed-$u"; then rm -f "$BK_OWED/$u"; fi; done
  fi
  [ -e "$BK_TMP/marks" ] && cat "$BK_TMP/marks"
  head -c 65536 "$BK_TMP/out" | sed $'s/^/\036BKOUT /'
  printf '\036BKEND %s %d %d\n' "$id" "$rc" "$ch"
  return $rc
}
`.replace(/LOCK_WAIT/g, String(LOCK_WAIT_SECS));

/** Units a step notifies or consumes, as a list. */
export const unitList = (u: string | readonly string[] | undefined): string[] =>
  u === undefined ? [] : typeof u === 'string' ? [u] : [...u];

const UNIT = /^[a-z0-9][a-z0-9_.:-]*$/;

/** Single-quotes a string for bash. */
export const shQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

function putFile(f: FileSpec, eof: string): string {
  const mode = (f.mode ?? 0o644).toString(8);
  const b64 = Buffer.from(f.content)
    .toString('base64')
    .replace(/.{1,76}/g, '$&\n');
  return `bk_put ${shQuote(f.path)} ${mode} ${sha256(f.content)} <<'${eof}'\n${b64}${eof}\n`;
}

/** The journal hash of a step: everything its outcome depends on. */
export function stepHash(step: Step): string {
  const files = (step.files ?? []).map((f) => [f.path, f.mode ?? 0o644, sha256(f.content)]);
  return sha256(JSON.stringify([step.id, step.script ?? '', files, step.inputs ?? null, step.env ?? {}]));
}

/**
 * One bash script running `steps` in order, stopping at the first failure; `stateDir` holds the
 * host's lock and owed restarts (without one, as in tests of single steps, a throwaway folder).
 */
export function compileScript(steps: readonly Step[], stateDir?: string): string {
  const eof = `BKEOF_${randomBytes(6).toString('hex')}`;
  const state = stateDir
    ? `BK_STATE=${shQuote(stateDir)}; BK_CLEAN=''\n`
    : 'BK_STATE=$(mktemp -d /tmp/bkcec-state.XXXXXX) || exit 90; BK_CLEAN=$BK_STATE\n';
  const parts = [state, PREAMBLE];
  steps.forEach((step, i) => {
    const env = Object.entries(step.env ?? {})
      .map(([k, v]) => `export ${k}=${shQuote(v)}\n`)
      .join('');
    const files = (step.files ?? []).map((f) => putFile(f, eof)).join('');
    const secs = Math.max(1, Math.ceil((step.timeoutMs ?? DEFAULT_STEP_TIMEOUT_MS) / 1000));
    const units = (u: Step['notify']) => shQuote(unitList(u).map(checkUnit).join(' '));
    // Not `bk_step … || exit`: a `||` context would switch off `set -e` inside the step.
    parts.push(
      `bk_s${i}() {\n${env}${files}${step.script ?? ''}\n:\n}\nbk_step ${shQuote(step.id)} bk_s${i} ${secs} ${units(step.notify)} ${units(step.consumes)}\nbk_rc=$?; [ "$bk_rc" = 0 ] || bk_exit "$bk_rc"\n`,
    );
  });
  parts.push('bk_exit 0\n');
  return parts.join('');
}

function checkUnit(u: string): string {
  if (!UNIT.test(u))
    throw new Error(`expected a restart unit of a-z 0-9 _ . : -, found ${JSON.stringify(u)}`);
  return u;
}

export interface StepResult {
  id: string;
  /** Exit code; undefined when the step never ended (connection lost, earlier failure). */
  code?: number;
  changed: boolean;
  /** The command that failed (bash's view of it, before expansion). */
  failedCommand?: string;
  output: string[];
  warnings: string[];
  status: string[];
}

/** Reads marker lines incrementally; `onEnd` fires as each step finishes. */
export class ScriptReader {
  private buf = '';
  private current?: StepResult;
  readonly results: StepResult[] = [];

  constructor(private readonly onEnd?: (r: StepResult) => void) {}

  push(chunk: string): void {
    this.buf += chunk;
    let nl = this.buf.indexOf('\n');
    while (nl >= 0) {
      this.line(this.buf.slice(0, nl));
      this.buf = this.buf.slice(nl + 1);
      nl = this.buf.indexOf('\n');
    }
  }

  private line(line: string): void {
    if (!line.startsWith(RS)) return;
    const sp = line.indexOf(' ');
    const tag = sp < 0 ? line.slice(1) : line.slice(1, sp);
    const rest = sp < 0 ? '' : line.slice(sp + 1);
    if (tag === 'BKBEGIN') {
      this.current = { id: rest, changed: false, output: [], warnings: [], status: [] };
      this.results.push(this.current);
      return;
    }
    const cur = this.current;
    if (!cur) return;
    if (tag === 'BKOUT') cur.output.push(rest);
    else if (tag === 'BKWARN') cur.warnings.push(rest);
    else if (tag === 'BKSTATUS') cur.status.push(rest);
    else if (tag === 'BKCMD') cur.failedCommand ??= rest;
    else if (tag === 'BKEND') {
      const m = /^(.*) (\d+) ([01])$/.exec(rest);
      if (m) {
        cur.code = Number(m[2]);
        cur.changed = m[3] === '1';
      }
      this.current = undefined;
      this.onEnd?.(cur);
    }
  }
}
