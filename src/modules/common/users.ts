// System users the platform's processes run as (never root): made once per host, no login shell.
import { shQuote } from '../../engine/script';
import type { Step } from '../../engine/types';

const NAME = /^[a-z_][a-z0-9_-]{0,31}$/;

/** A step making system user and group `name` (home `home`, not created) when missing. */
export function systemUserStep(name: string, home: string): Step {
  if (!NAME.test(name)) throw new Error(`expected a Unix user name, found ${JSON.stringify(name)}`);
  return {
    id: `user-${name}`,
    title: `system user ${name}`,
    always: true,
    script: `if ! id -u ${name} >/dev/null 2>&1; then
  # Another bkcec script (another module on this host) may be making the same user right now.
  getent group ${name} >/dev/null || groupadd --system ${name} || getent group ${name} >/dev/null
  useradd --system --gid ${name} --no-create-home --home-dir ${shQuote(home)} --shell /usr/sbin/nologin ${name} || id -u ${name} >/dev/null
  bk_changed
fi`,
  };
}
