// `.consul_tokens` in the control directory: `name accessor secret` per line (two UUIDs), each made
// once and never remade. Names: `management`, `default` (DNS and catalog reads), `agent:<ip>`,
// `service:<name>`. Consul takes our UUIDs as the tokens' ids, so re-runs keep every token.
import { randomUUID } from 'node:crypto';
import { chmod, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface AclToken {
  accessor: string;
  secret: string;
}

const NAME = /^(management|default|agent:[0-9a-fA-F.:]+|service:[a-z0-9][a-z0-9-]{0,62})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Path of the token file. */
export const consulTokensPath = (controlDir: string): string => join(controlDir, '.consul_tokens');

/** Parses the file; throws naming the line on anything but `name accessor secret`. */
export function parseConsulTokens(text: string, file: string): Map<string, AclToken> {
  const out = new Map<string, AclToken>();
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const [name, accessor, secret, extra] = line.split(/\s+/);
    if (
      !name ||
      !NAME.test(name) ||
      !accessor ||
      !UUID.test(accessor) ||
      !secret ||
      !UUID.test(secret) ||
      extra
    )
      throw new Error(
        `${file}:${i + 1}: expected "NAME ACCESSOR SECRET" (NAME management, default, agent:IP or service:NAME; two UUIDs), found ${JSON.stringify(name ?? '')} …`,
      );
    out.set(name, { accessor, secret });
  });
  return out;
}

/** Tokens for `names`: existing kept, missing made and appended; the file stays 0600. */
export async function ensureConsulTokens(
  controlDir: string,
  names: readonly string[],
): Promise<Map<string, AclToken>> {
  for (const n of names)
    if (!NAME.test(n)) throw new Error(`expected a Consul token name, found ${JSON.stringify(n)}`);
  const file = consulTokensPath(controlDir);
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return '';
    throw e;
  });
  const all = parseConsulTokens(text, file);
  const missing = names.filter((n) => !all.has(n));
  for (const n of missing) all.set(n, { accessor: randomUUID(), secret: randomUUID() });
  if (missing.length) {
    const add = missing.map((n) => `${n} ${all.get(n)!.accessor} ${all.get(n)!.secret}\n`).join('');
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, `${text}${text && !text.endsWith('\n') ? '\n' : ''}${add}`, { mode: 0o600 });
    await chmod(tmp, 0o600);
    await rename(tmp, file);
  } else if (text) {
    await chmod(file, 0o600);
  }
  return new Map(names.map((n) => [n, all.get(n)!]));
}
