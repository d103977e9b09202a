// Where events go: the terminal (colours), plain lines, JSON lines, and the run log.
import type { EngineEvent, EventSink } from '../../engine/events';
import { causeLines, OutputMemory } from './causes';
import { ansiPaint, formatEvent, noPaint } from './format';

export type OutputMode = 'tty' | 'plain' | 'json';

/** A sink writing human or JSON lines to `out`. */
export function consoleSink(mode: OutputMode, out: NodeJS.WritableStream, resumeHint: string): EventSink {
  if (mode === 'json') return (e) => out.write(`${JSON.stringify({ at: new Date().toISOString(), ...e })}\n`);
  const paint = mode === 'tty' ? ansiPaint : noPaint;
  const memory = new OutputMemory();
  return (e) => {
    let causes: string[] = [];
    if (e.type === 'output') memory.add(`${e.host}|${e.module}|${e.step}`, e.line);
    else if (e.type === 'step' && e.outcome !== 'failed') memory.take(`${e.host}|${e.module}|${e.step}`);
    else if (e.type === 'failure') {
      const all = memory.take(`${e.host}|${e.module}|${e.step}`);
      causes = causeLines(all.length ? all : e.stderrTail);
    }
    for (const line of formatEvent(e, paint, resumeHint, causes)) out.write(`${line}\n`);
  };
}

/** A sink appending every event, step output included, to the run log. */
export function logSink(write: (line: string) => void): EventSink {
  return (e: EngineEvent) => {
    const at = new Date().toISOString();
    if (e.type === 'output') write(`${at} [${e.host}] ${e.module} ${e.step} | ${e.line}`);
    else for (const line of formatEvent(e, noPaint, '')) write(`${at} ${line}`);
  };
}

/** Sends each event to every sink. */
export const fanOut =
  (...sinks: EventSink[]): EventSink =>
  (e) => {
    for (const s of sinks) s(e);
  };
