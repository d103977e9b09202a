// `.app_servers` in the control directory: `<module>@<ip> <server id> <token>` per line, each pair
// made once (crypto.randomUUID) and never remade, so re-runs keep the agent's identity in appengine.
import { randomUUID } from 'node:crypto';
import { chmod, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Server id and token of one agent. */
export interface ServerCredentials {
  sid: string;
  token: string;
}

const KEY = /^(appo|appt)@[0-9a-fA-F.:]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Parses the file; throws naming the line on anything but `module@ip sid token`. */
export function parseServers(text: string, file: string): Map<string, ServerCredentials> {
  const out = new Map<string, ServerCredentials>();
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const [key, sid, token, extra] = line.split(/\s+/);
    if (
      !key ||
      !KEY.test(key) ||
      !sid ||
      !UUID.test(sid) ||
      !token ||
      !UUID.test(token) ||
      extra !== undefined
    )
      throw new Error(
        `${file}:${i + 1}: expected "appo|appt@IP SERVER_ID TOKEN" (two UUIDs), found ${JSON.stringify(key ?? '')} …`,
      );
    out.set(key, { sid, token });
  });
  return out;
}

/** Credentials for `keys` (`appo@10.0.0.1`): existing kept, missing made and appended; file 0600. */
export async function ensureServers(
  controlDir: string,
  keys: readonly string[],
): Promise<Map<string, ServerCredentials>> {
  const file = join(controlDir, '.app_servers');
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return '';
    throw e;
  });
  const all = parseServers(text, file);
  const missing = keys.filter((k) => !all.has(k));
  for (const k of missing) all.set(k, { sid: randomUUID(), token: randomUUID() });
  if (missing.length) {
    const add = missing.map((k) => `${k} ${all.get(k)!.sid} ${all.get(k)!.token}\n`).join('');
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, `${text}${text && !text.endsWith('\n') ? '\n' : ''}${add}`, { mode: 0o600 });
    await chmod(tmp, 0o600);
    await rename(tmp, file);
  }
  return new Map(keys.map((k) => [k, all.get(k)!]));
}
