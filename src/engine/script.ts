// Compiles a host's steps for one phase into ONE bash script (one remote session), and reads back
// a result per step from marker lines on its stdout.
import { createHash, randomBytes } from 'node:crypto';
import type { FileSpec, Step } from './types';

const RS = '\x1e';

/** Helpers every step can call; results travel on stdout as marker lines after each step. */
const PREAMBLE = String.raw`set -uo pipefail
umask 022
BK_TMP=$(mktemp -d /tmp/bkcec.XXXXXX) || exit 90
trap 'rm -rf "$BK_TMP"' EXIT
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
bk_step() {
  local id=$1 fn=$2 rc ch=0
  rm -f "$BK_TMP/changed" "$BK_TMP/marks"
  printf '\036BKBEGIN %s\n' "$id"
  # The step gets no pipe of ours: daemons it starts cannot hold the session open.
  ( set -eEo pipefail; trap 'printf "\036BKCMD %s\n" "$BASH_COMMAND" >> "$BK_TMP/marks"' ERR; "$fn" ) > "$BK_TMP/out" 2>&1 < /dev/null
  rc=$?
  [ -e "$BK_TMP/changed" ] && ch=1
  [ -e "$BK_TMP/marks" ] && cat "$BK_TMP/marks"
  head -c 65536 "$BK_TMP/out" | sed $'s/^/\036BKOUT /'
  printf '\036BKEND %s %d %d\n' "$id" "$rc" "$ch"
  return $rc
}
`;

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

/** One bash script running `steps` in order, stopping at the first failure. */
export function compileScript(steps: readonly Step[]): string {
  const eof = `BKEOF_${randomBytes(6).toString('hex')}`;
  const parts = [PREAMBLE];
  steps.forEach((step, i) => {
    const env = Object.entries(step.env ?? {})
      .map(([k, v]) => `export ${k}=${shQuote(v)}\n`)
      .join('');
    const files = (step.files ?? []).map((f) => putFile(f, eof)).join('');
    // Not `bk_step … || exit`: a `||` context would switch off `set -e` inside the step.
    parts.push(
      `bk_s${i}() {\n${env}${files}${step.script ?? ''}\n:\n}\nbk_step ${shQuote(step.id)} bk_s${i}\nbk_rc=$?; [ "$bk_rc" = 0 ] || exit "$bk_rc"\n`,
    );
  });
  return parts.join('');
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
