import type { Readable, Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { loadConfig } from './common/config/config';
import { ensureDatabase, migrate } from './common/db/migrate';
import { openDb, type Pool } from './common/db/pool';
import type { ManageCommand } from './common/manage/command';
import { ESB_COMMANDS } from './esb/manage/commands';
import { createAdmin } from './login/users/admin';
import { LOGIN_COMMANDS } from './login/users/manage';
import { MIGRATIONS } from './migrations/index';

async function readAll(s: Readable): Promise<string> {
  let text = '';
  for await (const chunk of s) text += chunk.toString();
  return text;
}

/** Subcommands; other projects add theirs here (e.g. `esb-sync`, `add-app-account`). */
export const COMMANDS: Record<string, ManageCommand> = {
  migrate: {
    summary: 'create database open_paas if missing (utf8mb4) and apply pending migrations',
    async run(io) {
      await ensureDatabase(io.config.db);
      const applied = await migrate(io.db(), MIGRATIONS);
      io.out.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'schema up to date\n');
      return 0;
    },
  },
  'create-admin': {
    summary:
      'create the superuser PAAS_ADMIN_USER; password from stdin (--password-stdin) or the config file; never resets',
    async run(io) {
      const username = io.config.admin.PAAS_ADMIN_USER;
      const password = io.args.includes('--password-stdin')
        ? (await readAll(io.stdin)).replace(/\r?\n$/, '')
        : io.config.admin.PAAS_ADMIN_PASS;
      if (!password)
        throw new Error(
          'no admin password: expected admin.PAAS_ADMIN_PASS in the config file or --password-stdin',
        );
      const r = await createAdmin(io.db(), username, password);
      io.out.write(
        r === 'created'
          ? `superuser ${username} created\n`
          : `superuser ${username} exists; password left unchanged\n`,
      );
      return 0;
    },
  },
  ...LOGIN_COMMANDS,
  ...ESB_COMMANDS,
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(16)} ${c.summary}`);
  return `usage: manage <command> [--config PATH] [options]\ncommands:\n${lines.join('\n')}\n`;
}

/** Run `argv` (without node and script); errors go to `err` with exit code 1, usage errors 2. */
export async function runManage(
  argv: readonly string[],
  stdin: Readable,
  out: Writable,
  err: Writable,
): Promise<number> {
  const [name, ...args] = argv;
  const cmd = name ? COMMANDS[name] : undefined;
  if (!cmd) {
    err.write(name ? `unknown command ${name}\n${usage()}` : usage());
    return 2;
  }
  let pool: Pool | undefined;
  try {
    const config = loadConfig(args);
    return await cmd.run({ config, db: () => (pool ??= openDb(config.db)), args, stdin, out });
  } catch (e) {
    err.write(`manage ${name}: ${(e as Error).message}\n`);
    return 1;
  } finally {
    await pool?.end();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runManage(process.argv.slice(2), process.stdin, process.stdout, process.stderr).then((code) =>
    process.exit(code),
  );
}
