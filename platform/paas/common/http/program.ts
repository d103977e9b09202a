// How every PaaS program runs: listen, close cleanly on SIGTERM/SIGINT, and report a failed start.
import type { FastifyInstance } from 'fastify';
import type { PaasConfig, ProgramName } from '../config/config';
import { listen } from './server';

/** Listens; on SIGTERM/SIGINT closes the app, then `release` (db, redis…), then exits 0. */
export async function serve(
  app: FastifyInstance,
  program: ProgramName,
  config: PaasConfig,
  release: () => Promise<unknown>,
): Promise<void> {
  const stop = async () => {
    await app.close();
    await release();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  await listen(app, { program, config });
}

/** Runs a program's main; a startup error is printed as `<program>: message` with exit code 1. */
export function start(program: string, main: () => Promise<void>): void {
  main().catch((e) => {
    console.error(`${program}: ${(e as Error).message}`);
    process.exit(1);
  });
}
