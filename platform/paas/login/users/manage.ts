// `manage set-admin-password --password-stdin`: the superuser PAAS_ADMIN_USER gets a new password
// (what `bkcec rotate PAAS_ADMIN_PASS` runs on one paas host; the password only ever on stdin).
import type { Readable } from 'node:stream';
import type { ManageCommand } from '../../common/manage/command';
import { hashPassword } from '../passwords/passwords';
import { findUser, setPasswordHash } from './store';
import { validate } from './validate';

async function readLine(s: Readable): Promise<string> {
  let text = '';
  for await (const chunk of s) text += chunk.toString();
  return text.replace(/\r?\n$/, '');
}

export const LOGIN_COMMANDS: Record<string, ManageCommand> = {
  'set-admin-password': {
    summary: 'give the superuser PAAS_ADMIN_USER the password read from stdin (--password-stdin)',
    async run(io) {
      if (!io.args.includes('--password-stdin'))
        throw new Error('expected --password-stdin (a password is never taken from the command line)');
      const username = io.config.admin.PAAS_ADMIN_USER;
      const password = await readLine(io.stdin);
      const bad = validate({ password });
      if (bad) throw new Error(`the new password of ${username}: ${bad}`);
      const user = await findUser(io.db(), { username });
      if (!user) throw new Error(`no user ${username}: run initdata paas first`);
      await setPasswordHash(io.db(), user.id, await hashPassword(password));
      io.out.write(`password of ${username} changed\n`);
      return 0;
    },
  },
};
