// Reading `bkcec --json` output: one engine event per line.
import type { EngineEvent } from '../../src/engine/events';

/** Parses JSON lines, skipping anything that is not an event (e.g. the deploy's closing text). */
export function parseEvents(text: string): EngineEvent[] {
  return text.split('\n').flatMap((l) => {
    if (!l.startsWith('{')) return [];
    try {
      return [JSON.parse(l) as EngineEvent];
    } catch {
      return [];
    }
  });
}

/** Steps that changed something, as `host module command step`. */
export const changedSteps = (events: readonly EngineEvent[]): string[] =>
  events.flatMap((e) =>
    e.type === 'step' && e.outcome === 'changed' ? [`${e.host} ${e.module} ${e.command} ${e.step}`] : [],
  );

/** Failures, one line each, for assertion messages. */
export const failureText = (events: readonly EngineEvent[]): string =>
  events
    .flatMap((e) =>
      e.type === 'failure'
        ? [`${e.host} ${e.module} ${e.command} ${e.step}: ${e.stderrTail.join(' | ')}`]
        : [],
    )
    .join('\n');

/** Wall time of each module's phases (ms), summed, in the order they ran. */
export function msPerModule(events: readonly EngineEvent[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of events) if (e.type === 'phase-end') out[e.module] = (out[e.module] ?? 0) + e.ms;
  return out;
}

/** The run-end event's total and success. */
export function runEnd(events: readonly EngineEvent[]): { ok: boolean; ms: number } | undefined {
  const e = events.findLast((x) => x.type === 'run-end');
  return e && e.type === 'run-end' ? { ok: e.ok, ms: e.ms } : undefined;
}
