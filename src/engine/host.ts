// Runs one host's steps of one phase: journal filter, one remote script, results back into the journal.
import type { Transport } from '../transport/transport';
import type { EventSink } from './events';
import { exitMeaning } from './exitcodes';
import { type Journal, stepKey } from './journal';
import {
  compileScript,
  DEFAULT_STEP_TIMEOUT_MS,
  LOCK_WAIT_SECS,
  ScriptReader,
  type StepResult,
  stepHash,
  unitList,
} from './script';
import type { Step } from './types';

export interface HostPhase {
  host: string;
  module: string;
  command: string;
  steps: Step[];
  journal: Journal;
  fromScratch: boolean;
  dryRun: boolean;
  transport: () => Promise<Transport>;
  emit: EventSink;
  /** Dry runs: units that an earlier planned step may change (their restarts may become owed). */
  pendingUnits: Set<string>;
  /** The host's identity (see identity.ts); the journal's records count only for the same one. */
  hostId?: string;
  /** The host's bkcec state folder (lock, owed restarts). */
  stateDir: string;
}

/** Runs (or, dry, plans) the steps; true when every step succeeded. */
export async function runHostPhase(p: HostPhase): Promise<boolean> {
  const { host, module, command, emit } = p;
  const base = { host, module, command };
  const todo: { step: Step; hash: string }[] = [];
  for (const step of p.steps) {
    const hash = stepHash(step);
    const done = p.journal.isDone(stepKey(host, module, command, step.id), hash, p.hostId);
    if (!step.always && !p.fromScratch && done) {
      emit({
        type: 'step',
        ...base,
        step: step.id,
        title: step.title,
        outcome: 'skipped',
        reason: 'done, inputs unchanged',
      });
      continue;
    }
    todo.push({ step, hash });
  }
  if (p.dryRun) {
    for (const { step } of todo) planStep(p, step);
    return true;
  }
  if (todo.length === 0) return true;

  const byId = new Map(todo.map((x) => [x.step.id, x]));
  const started = Date.now();
  let last = started;
  const onEnd = (r: StepResult): void => {
    const entry = byId.get(r.id);
    if (!entry) return;
    const now = Date.now();
    report(p, entry.step, entry.hash, r, now - last);
    last = now;
  };
  const reader = new ScriptReader(onEnd);
  const steps = todo.map(({ step }) => step);
  // Each step is killed on its host at its own timeout; this bound only catches a host that stopped
  // answering altogether (waiting for another run's script, then the longest step, then some slack).
  const longest = Math.max(...steps.map((x) => x.timeoutMs ?? DEFAULT_STEP_TIMEOUT_MS));
  const timeoutMs = LOCK_WAIT_SECS * 1000 + steps.length * 10_000 + longest + 60_000;
  let result: { code: number; stderr: string };
  try {
    const t = await p.transport();
    result = await t.run(compileScript(steps, p.stateDir), { timeoutMs, onStdout: (c) => reader.push(c) });
  } catch (err) {
    result = { code: 255, stderr: err instanceof Error ? err.message : String(err) };
  }
  await p.journal.save();
  const ended = reader.results.filter((r) => r.code !== undefined);
  const failed = ended.some((r) => r.code !== 0);
  if (!failed && ended.length < todo.length) {
    // The script died between or inside steps (connection lost, killed, timeout).
    const next = todo[ended.length]!.step;
    const partial = reader.results[ended.length];
    emit({
      type: 'step',
      ...base,
      step: next.id,
      title: next.title,
      outcome: 'failed',
      ms: Date.now() - last,
    });
    emit({
      type: 'failure',
      ...base,
      step: next.id,
      title: next.title,
      code: result.code,
      meaning: exitMeaning(result.code),
      stderrTail: [...(partial?.output ?? []), ...result.stderr.trim().split('\n').filter(Boolean)].slice(
        -20,
      ),
    });
    return false;
  }
  return !failed;
}

function report(p: HostPhase, step: Step, hash: string, r: StepResult, ms: number): void {
  const base = { host: p.host, module: p.module, command: p.command };
  for (const line of r.output)
    p.emit({ type: 'output', host: p.host, module: p.module, step: step.id, line });
  for (const text of r.warnings) p.emit({ type: 'warn', host: p.host, module: p.module, text });
  for (const text of r.status) p.emit({ type: 'status', host: p.host, module: p.module, text });
  if (r.code === 0) {
    if (!step.always) p.journal.markDone(stepKey(p.host, p.module, p.command, step.id), hash, p.hostId);
    if (r.changed) for (const u of unitList(step.notify)) p.journal.owe(p.host, u);
    for (const u of unitList(step.consumes)) p.journal.clearOwed(p.host, u);
    p.emit({
      type: 'step',
      ...base,
      step: step.id,
      title: step.title,
      outcome: r.changed ? 'changed' : 'ok',
      ms,
    });
    return;
  }
  const code = r.code ?? 255;
  p.journal.forget(stepKey(p.host, p.module, p.command, step.id));
  p.emit({ type: 'step', ...base, step: step.id, title: step.title, outcome: 'failed', ms });
  p.emit({
    type: 'failure',
    ...base,
    step: step.id,
    title: step.title,
    failedCommand: r.failedCommand,
    code,
    meaning: exitMeaning(code),
    stderrTail: r.output.slice(-20),
  });
}

function planStep(p: HostPhase, step: Step): void {
  const base = { host: p.host, module: p.module, command: p.command, step: step.id, title: step.title };
  const consumes = unitList(step.consumes);
  const owed = consumes.some((u) => p.journal.isOwed(p.host, u));
  const mayOwe = consumes.some((u) => p.pendingUnits.has(`${p.host}|${u}`));
  if (step.dynamic || (mayOwe && !owed)) {
    const reason = mayOwe
      ? 'a restart depends on whether earlier steps change anything'
      : 'unknown until apply';
    p.emit({ type: 'step', ...base, outcome: 'unknown', reason });
  } else {
    const known = p.journal.has(stepKey(p.host, p.module, p.command, step.id));
    const reason = owed
      ? 'restart owed'
      : step.always
        ? 'runs every time'
        : known
          ? 'inputs changed'
          : 'not done before';
    p.emit({ type: 'step', ...base, outcome: 'would-run', reason });
  }
  for (const u of unitList(step.notify)) p.pendingUnits.add(`${p.host}|${u}`);
}
