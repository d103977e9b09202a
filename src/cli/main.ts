// Process entry: parse, run, map errors to exit codes (0 ok, 1 a step failed, 2 bad input).
import { CommanderError } from 'commander';
import { InputError } from '../config';
import { UsageError } from '../engine/order';
import { TemplateError } from '../render';
import { buildProgram } from './program';
import type { Deps } from './session';

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
    if (err instanceof InputError || err instanceof TemplateError || err instanceof UsageError) {
      process.stderr.write(`${(err as Error).message}\nnothing was changed on any host.\n`);
      return 2;
    }
    process.stderr.write(`bkcec: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
