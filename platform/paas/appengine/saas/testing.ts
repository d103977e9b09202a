// Test helper: write tar.gz archives member by member, including members no honest tool would
// make (symlinks, `..`, absolute paths, devices), to attack the package checks.
import { gzipSync } from 'node:zlib';

/** One member: a file (content), a folder, a link (target) or any raw type flag. */
export type Member = { path: string } & (
  | { data: string | Buffer }
  | { dir: true }
  | { symlink: string }
  | { hardlink: string }
  | { flag: string }
);

function header(path: string, size: number, flag: string, link = ''): Buffer {
  const h = Buffer.alloc(512);
  h.write(path.slice(0, 100), 0);
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  h.write('00000000000\0', 136);
  h.write('        ', 148);
  h.write(flag, 156);
  h.write(link, 157);
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return h;
}

/** A .tar.gz of `members` in order. */
export function tarGz(members: readonly Member[]): Buffer {
  const parts: Buffer[] = [];
  for (const m of members) {
    if ('data' in m) {
      const d = Buffer.from(m.data);
      parts.push(header(m.path, d.length, '0'), d, Buffer.alloc((512 - (d.length % 512)) % 512));
    } else if ('dir' in m) parts.push(header(m.path, 0, '5'));
    else if ('symlink' in m) parts.push(header(m.path, 0, '2', m.symlink));
    else if ('hardlink' in m) parts.push(header(m.path, 0, '1', m.hardlink));
    else parts.push(header(m.path, 0, m.flag));
  }
  parts.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(parts));
}

/** app.yml text for `code` with `over` fields replaced (null drops a field). */
export function appYml(code: string, over: Record<string, unknown> = {}): string {
  const f: Record<string, unknown> = {
    app_code: code,
    app_name: 'Sample',
    version: '1.0.0',
    language: 'python',
    ...over,
  };
  return Object.entries(f)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v)}`)
    .join('\n');
}

/** A well-formed S-mart package of `code` plus `extra` members. */
export function smart(code: string, extra: readonly Member[] = [], yml = appYml(code)): Buffer {
  return tarGz([
    { path: `${code}/`, dir: true },
    { path: `${code}/app.yml`, data: yml },
    { path: `${code}/src/`, dir: true },
    {
      path: `${code}/src/wsgi.py`,
      data: 'def application(e, s):\n    s("200 OK", [])\n    return [b"ok"]\n',
    },
    ...extra,
  ]);
}
