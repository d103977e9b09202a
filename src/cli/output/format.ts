// Turns engine events into human lines (shared by the terminal and the plain renderer).
import type { EngineEvent, StepOutcome } from '../../engine/events';

export interface Paint {
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  blue(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

export const noPaint: Paint = {
  red: (s) => s,
  green: (s) => s,
  yellow: (s) => s,
  blue: (s) => s,
  dim: (s) => s,
  bold: (s) => s,
};

const esc = (code: number) => (s: string) => `\x1b[${code}m${s}\x1b[0m`;
export const ansiPaint: Paint = {
  red: esc(31),
  green: esc(32),
  yellow: esc(33),
  blue: esc(34),
  dim: esc(2),
  bold: esc(1),
};

const WORD: Record<StepOutcome, string> = {
  ok: 'ok',
  changed: 'changed',
  skipped: 'skip',
  failed: 'FAILED',
  'would-run': 'would run',
  unknown: 'unknown until apply',
};

const ms = (n?: number) => (n === undefined ? '' : n < 1000 ? ` ${n}ms` : ` ${(n / 1000).toFixed(1)}s`);

/**
 * Lines for one event ([] when the event is not for humans, such as step output). For a failure,
 * `causes` are the lines of the step's whole output that name what went wrong (see causes.ts).
 */
export function formatEvent(
  e: EngineEvent,
  p: Paint,
  resumeHint: string,
  causes: readonly string[] = [],
): string[] {
  switch (e.type) {
    case 'run-start':
      return [p.bold(`${e.dryRun ? 'plan' : 'run'}: ${e.command} ${e.target} (${e.phases.length} phases)`)];
    case 'phase-start':
      return [p.blue(`== ${e.command} ${e.module} on ${e.hosts.join(', ') || 'no hosts'}`)];
    case 'step': {
      // A status run speaks through its status lines; a passing check adds nothing to them.
      if (e.command === 'status' && e.outcome === 'ok') return [];
      const colour =
        e.outcome === 'failed'
          ? p.red
          : e.outcome === 'changed'
            ? p.yellow
            : e.outcome === 'ok'
              ? p.green
              : p.dim;
      const why = e.reason ? p.dim(` (${e.reason})`) : '';
      return [
        `[${e.host}] ${e.module} ${e.command} ${e.step}: ${colour(WORD[e.outcome])}${why}${p.dim(ms(e.ms))}`,
      ];
    }
    case 'warn':
      return [p.yellow(`[${e.host}] ${e.module} warning: ${e.text}`)];
    case 'status':
      return [`[${e.host}] ${e.module} ${e.text}`];
    case 'info':
      return [p.dim(e.text)];
    case 'failure': {
      const listed = new Set(causes);
      const tail = e.stderrTail.filter((l) => !listed.has(l));
      return [
        p.red(`FAILED on ${e.host}: ${e.module} ${e.command}, step "${e.title}" (${e.step})`),
        ...(e.failedCommand ? [`  command: ${e.failedCommand}`] : []),
        `  exit code ${e.code}: ${e.meaning}`,
        ...(causes.length
          ? ['  cause (lines of its output naming an error):', ...causes.map((l) => `    ${p.bold(l)}`)]
          : []),
        ...(tail.length
          ? [`  last output${causes.length ? ' (other lines)' : ''}:`, ...tail.map((l) => `    ${l}`)]
          : []),
      ];
    }
    case 'phase-end':
      return e.ok ? [] : [p.red(`== ${e.command} ${e.module} failed after ${ms(e.ms).trim()}`)];
    case 'run-end': {
      const c = e.counts;
      const counts =
        `${c.changed} changed, ${c.ok} ok, ${c.skipped} skipped, ${c.failed} failed` +
        (c['would-run'] || c.unknown
          ? `, ${c['would-run']} would run, ${c.unknown} unknown until apply`
          : '');
      return [
        (e.ok ? p.green : p.red)(`${e.ok ? 'done' : 'failed'} in ${ms(e.ms).trim()}: ${counts}`),
        ...(e.ok ? [] : [p.dim(resumeHint)]),
      ];
    }
    case 'output':
      return [];
  }
}
