// Process entry: parse, run, map errors to exit codes (0 ok, 1 a step failed, 2 bad input).
import { CommanderError } from 'commander';
import { InputError } from '../config';
import { UsageError } from '../engine/order';
import { TemplateError } from '../render';
import { buildProgram } from './program';
import type { Deps } from './session';

/** --json: a failure before the run began still ends the event stream with a failure and run-end. */
function earlyFailureEvents(out: NodeJS.WritableStream, message: string, meaning: string): void {
  const counts = { ok: 0, changed: 0, skipped: 0, failed: 0, 'would-run': 0, unknown: 0 };
  const failure = {
    type: 'failure',
    host: 'controller',
    module: 'all',
    command: 'run',
    step: 'start',
    title: 'before the run',
    code: 1,
    meaning,
    stderrTail: message.split('\n'),
  };
  out.write(`${JSON.stringify(failure)}\n${JSON.stringify({ type: 'run-end', ok: false, ms: 0, counts })}\n`);
}

/** Runs bkcec with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[], deps: Deps = {}): Promise<number> {
  let code = 0;
  const program = buildProgram(deps, (c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0
        ? 0
        : 2;
    }
    // Only errors raised before the engine ran reach here (it reports its own), so no host was touched.
    const bad = err instanceof InputError || err instanceof TemplateError || err instanceof UsageError;
    const message = err instanceof Error ? err.message : String(err);
    if (argv.includes('--json'))
      earlyFailureEvents(
        deps.stdout ?? process.stdout,
        message,
        bad ? 'bad input' : 'error on the controller',
      );
    if (bad) process.stderr.write(`${message}\nnothing was changed on any host.\n`);
    else process.stderr.write(`bkcec: ${message}\n`);
    return bad ? 2 : 1;
  }
}
