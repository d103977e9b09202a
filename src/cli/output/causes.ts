// Picks the lines of a failed step's output that carry its cause: the real error is often far above
// the tail (mariadb-install-db ends with generic advice after its "Permission denied").

/** Words that mark a line as naming what went wrong. */
const CAUSE =
  /\b(errors?|errcode|denied|not found|no such|failed|failure|fatal|refused|cannot|can't|could not|couldn't|unable|invalid|not permitted|timed out|timeout|expected|missing|unknown|exception|traceback|panic|abort(ed)?|killed|unreachable)\b/i;

/** At most `max` distinct cause lines of `output`, first ones first. */
export function causeLines(output: readonly string[], max = 10): string[] {
  const picked: string[] = [];
  const seen = new Set<string>();
  for (const line of output) {
    const t = line.trim();
    if (!t || seen.has(t) || !CAUSE.test(t)) continue;
    seen.add(t);
    picked.push(line);
    if (picked.length === max) break;
  }
  return picked;
}

/** Remembers each running step's output so a failure can show its cause lines from all of it. */
export class OutputMemory {
  private readonly byStep = new Map<string, string[]>();

  /** Lines kept per step (a step's output is capped by the engine too). */
  constructor(private readonly cap = 5000) {}

  add(key: string, line: string): void {
    const lines = this.byStep.get(key) ?? [];
    if (lines.length < this.cap) lines.push(line);
    this.byStep.set(key, lines);
  }

  /** The step's output so far, forgotten once taken. */
  take(key: string): string[] {
    const lines = this.byStep.get(key) ?? [];
    this.byStep.delete(key);
    return lines;
  }
}
