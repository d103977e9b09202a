// `.app.token` in the control directory: `app_code token` per line, each token made once with
// crypto.randomUUID and never remade (moving the control directory must keep this file).
import { randomUUID } from 'node:crypto';
import { chmod, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Platform app codes that get an ESB app account and skip user authentication (the legacy set's core). */
export const PLATFORM_APP_CODES = ['bk_paas', 'bk_console', 'bk_cmdb', 'bk_job', 'bk_monitor'] as const;

const CODE = /^[a-z][a-z0-9_]{1,31}$/;

/** Path of the token file. */
export const appTokenPath = (controlDir: string): string => join(controlDir, '.app.token');

/** Parses the file; throws naming line and content on anything but `code token`. */
export function parseAppTokens(text: string, file: string): Map<string, string> {
  const out = new Map<string, string>();
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const parts = line.split(/\s+/);
    if (parts.length !== 2 || !CODE.test(parts[0]!) || parts[1]!.length < 16)
      throw new Error(
        `${file}:${i + 1}: expected "app_code token" (code [a-z0-9_], token ≥ 16 characters), found ${JSON.stringify(parts[0])} and ${parts.length - 1} more field(s)`,
      );
    if (out.has(parts[0]!)) throw new Error(`${file}:${i + 1}: app code ${parts[0]} is listed twice`);
    out.set(parts[0]!, parts[1]!);
  });
  return out;
}

/** Tokens for `codes`: existing ones kept, missing ones made and appended; the file stays 0600. */
export async function ensureAppTokens(
  controlDir: string,
  codes: readonly string[],
): Promise<Map<string, string>> {
  const file = appTokenPath(controlDir);
  let text = '';
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const tokens = parseAppTokens(text, file);
  const missing = codes.filter((c) => !tokens.has(c));
  for (const c of missing) tokens.set(c, randomUUID());
  if (missing.length) {
    const body = `${text}${text && !text.endsWith('\n') ? '\n' : ''}${missing.map((c) => `${c} ${tokens.get(c)}\n`).join('')}`;
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, body, { mode: 0o600 });
    await chmod(tmp, 0o600);
    await rename(tmp, file);
  } else if (text) {
    await chmod(file, 0o600);
  }
  return new Map(codes.map((c) => [c, tokens.get(c)!]));
}
