// What the engine tells its observers (terminal, plain lines, --json, the log file).

export type StepOutcome =
  /** ran, changed nothing */
  | 'ok'
  | 'changed'
  /** journal: done before with the same inputs */
  | 'skipped'
  | 'failed'
  /** dry run: would run */
  | 'would-run'
  /** dry run: cannot be known before earlier steps run */
  | 'unknown';

export interface PhaseRef {
  module: string;
  command: string;
}

export type EngineEvent =
  | { type: 'run-start'; command: string; target: string; phases: PhaseRef[]; dryRun: boolean }
  | { type: 'phase-start'; module: string; command: string; hosts: string[] }
  | {
      type: 'step';
      host: string;
      module: string;
      command: string;
      step: string;
      title: string;
      outcome: StepOutcome;
      /** Why (dry run: "new", "inputs changed", "restart owed"…). */
      reason?: string;
      ms?: number;
    }
  | { type: 'output'; host: string; module: string; step: string; line: string }
  | { type: 'warn'; host: string; module: string; text: string }
  | { type: 'status'; host: string; module: string; text: string }
  | {
      type: 'failure';
      host: string;
      module: string;
      command: string;
      step: string;
      title: string;
      failedCommand?: string;
      code: number;
      meaning: string;
      stderrTail: string[];
    }
  | { type: 'phase-end'; module: string; command: string; ok: boolean; ms: number }
  | { type: 'info'; text: string }
  | { type: 'run-end'; ok: boolean; ms: number; counts: Record<StepOutcome, number> };

export type EventSink = (e: EngineEvent) => void;
