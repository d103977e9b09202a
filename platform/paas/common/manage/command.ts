// The shape of a `manage` subcommand (platform/paas/manage.ts runs them; each project adds its own).
import type { Readable, Writable } from 'node:stream';
import type { PaasConfig } from '../config/config';
import type { Pool } from '../db/pool';

/** What a subcommand gets: the validated config, a lazily opened pool, its args and streams. */
export interface ManageIo {
  config: PaasConfig;
  db(): Pool;
  args: readonly string[];
  stdin: Readable;
  out: Writable;
}

/** One `manage` subcommand; returns the exit code. */
export interface ManageCommand {
  summary: string;
  run(io: ManageIo): Promise<number>;
}
