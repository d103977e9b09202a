import type { Readable } from 'node:stream';
import { exec, type Pool, rows } from '../../common/db/pool';
import type { ManageCommand } from '../../common/manage/command';
import { type SyncReport, syncEsb } from '../sync/sync';
import { mergeWhitelist } from '../sync/whitelist';

async function readAll(s: Readable): Promise<string> {
  let text = '';
  for await (const chunk of s) text += chunk.toString();
  return text;
}

/** Positional words and flags of `args`, with `--config PATH` left to the config loader. */
export function splitArgs(
  args: readonly string[],
  flags: readonly string[],
): { words: string[]; flags: Set<string> } {
  const words: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--config') i++;
    else if (a.startsWith('--config=')) continue;
    else if (flags.includes(a)) seen.add(a);
    else if (a.startsWith('-'))
      throw new Error(
        `unknown option ${a}: expected one of ${flags.join(', ') || '(none)'} or --config PATH`,
      );
    else words.push(a);
  }
  return { words, flags: seen };
}

/** Upsert an `esb_app_account` row; optionally put the code on the skip-user-auth whitelist. */
export async function addAppAccount(
  db: Pool,
  appCode: string,
  token: string,
  skipUserAuth: boolean,
): Promise<{ created: boolean; whitelisted: boolean }> {
  if (!/^[A-Za-z0-9_-]{1,30}$/.test(appCode))
    throw new Error(
      `app code must be 1-30 letters, digits, _ or -, got ${JSON.stringify(appCode.slice(0, 40))}`,
    );
  if (!/^[\x21-\x7e]{1,128}$/.test(token))
    throw new Error(
      `the token on stdin must be 1-128 printable characters without spaces, got ${token.length} characters`,
    );
  // Looked up first: with FOUND_ROWS (mysql2's default) an unchanged upsert also says 1 row, which
  // made every re-run report the accounts "created".
  const known = await rows(db, 'SELECT 1 FROM esb_app_account WHERE app_code = ?', [appCode]);
  await exec(
    db,
    'INSERT INTO esb_app_account (app_code, app_token, introduction) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE app_token = VALUES(app_token)',
    [appCode, token, `platform app ${appCode}`],
  );
  let whitelisted = false;
  if (skipUserAuth) {
    const conn = await db.getConnection();
    try {
      await mergeWhitelist(conn, [appCode]);
      whitelisted = true;
    } finally {
      conn.release();
    }
  }
  return { created: known.length === 0, whitelisted };
}

function summary(r: SyncReport): string {
  const n = (a: string[]) => String(a.length);
  return [
    `systems: ${n(r.systems.created)} created, ${n(r.systems.updated)} updated`,
    `channels: ${n(r.channels.created)} created, ${n(r.channels.updated)} updated`,
    `whitelist: ${r.whitelistAdded.length ? `added ${r.whitelistAdded.join(', ')}` : 'unchanged'}`,
    `docs: ${n(r.docs.rendered)} rendered, ${r.docs.unchanged} unchanged`,
  ].join('\n');
}

/** The ESB's `manage` subcommands. */
export const ESB_COMMANDS: Record<string, ManageCommand> = {
  'esb-sync': {
    summary:
      'upsert ESB systems, channels and the default whitelist from code and YAML; render API docs (idempotent)',
    async run(io) {
      splitArgs(io.args, []);
      io.out.write(`${summary(await syncEsb(io.db()))}\n`);
      return 0;
    },
  },
  'add-app-account': {
    summary:
      'add-app-account <app_code> [--skip-user-auth]: upsert esb_app_account with the token read from stdin',
    async run(io) {
      const a = splitArgs(io.args, ['--skip-user-auth']);
      if (a.words.length !== 1) throw new Error(`expected exactly one app code, got ${a.words.length} words`);
      const token = (await readAll(io.stdin)).replace(/\r?\n$/, '');
      const r = await addAppAccount(io.db(), a.words[0]!, token, a.flags.has('--skip-user-auth'));
      io.out.write(
        `app account ${a.words[0]} ${r.created ? 'created' : 'updated'}${r.whitelisted ? '; on the skip-user-auth whitelist' : ''}\n`,
      );
      return 0;
    },
  },
};
