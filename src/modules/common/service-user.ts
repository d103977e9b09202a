// The service user the platform's own programs (license, the four paas programs) run as: not root.
// Their config files with secrets are root:<user> 0640, their log folders <user> 0750.
import { shQuote } from '../../engine/script';
import type { Step } from '../../engine/types';
import { systemUserStep } from './users';

type Vars = Readonly<Record<string, string>>;

/** BK_SERVICE_USER from globals.env, else `blueking`. */
export function serviceUser(v: Vars): string {
  const u = v.BK_SERVICE_USER || 'blueking';
  if (!/^[a-z_][a-z0-9_-]{0,31}$/.test(u) || u === 'root')
    throw new Error(
      `expected BK_SERVICE_USER to be a Unix user name other than root, found ${JSON.stringify(u)}`,
    );
  return u;
}

/** The user made when missing, and a check that it can reach INSTALL_PATH (every parent o+x). */
export function serviceUserSteps(v: Vars): Step[] {
  const u = serviceUser(v);
  return [
    systemUserStep(u, '/nonexistent'),
    {
      id: 'service-user-reach',
      title: `${u} reaches ${v.INSTALL_PATH}`,
      always: true,
      script: `if ! runuser -u ${u} -- test -x ${shQuote(v.INSTALL_PATH ?? '')}; then
  echo "expected ${v.INSTALL_PATH} and each folder above it to be searchable by others (o+x): the platform programs run as ${u}" >&2; exit 1
fi`,
    },
  ];
}

/** Shell giving `paths` (files with secrets) to root:<service user>, mode 0640. */
export const secretFilesScript = (v: Vars, paths: readonly string[]): string =>
  paths.length
    ? `for f in ${paths.map(shQuote).join(' ')}; do
  if [ "$(stat -c %a:%U:%G "$f")" != 640:root:${serviceUser(v)} ]; then chown root:${serviceUser(v)} "$f"; chmod 0640 "$f"; bk_changed; fi
done`
    : ':';

/** Shell making a log folder the service user's, 0750, with the files root's programs left there (upgrades) handed over. */
export function serviceLogDirScript(v: Vars, dir: string): string {
  const u = serviceUser(v);
  const d = shQuote(dir);
  return `install -d -o ${u} -g ${u} -m 0750 ${d}
find ${d} -maxdepth 1 -type f ! -user ${u} -exec chown ${u}:${u} {} +
find ${d} -maxdepth 1 -type f -perm /o=rwx -exec chmod o-rwx {} +`;
}

/**
 * Shell making a folder root writes into (supervisord's program output) root:<service user> 0750: the
 * service may read it but plant nothing; links and files it could have left there (earlier layouts) go.
 */
export function rootLogDirScript(v: Vars, dir: string): string {
  const u = serviceUser(v);
  const d = shQuote(dir);
  return `install -d -o root -g ${u} -m 0750 ${d}
chown root:${u} ${d}; chmod 0750 ${d}
find ${d} -maxdepth 1 -type l -delete
find ${d} -maxdepth 1 -type f ! -user root -exec chown root:${u} {} +
find ${d} -maxdepth 1 -type f -perm /o=rwx -exec chmod o-rwx {} +`;
}
