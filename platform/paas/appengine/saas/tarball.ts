import { gunzipSync } from 'node:zlib';

/** One member of a tar archive. */
export interface TarEntry {
  path: string;
  /** file, dir, symlink, hardlink, or the raw type flag of anything else (devices, fifos …). */
  type: string;
  size: number;
  /** The content of regular files. */
  data?: Buffer;
}

const TYPES: Record<string, string> = {
  '0': 'file',
  '\0': 'file',
  '7': 'file',
  '5': 'dir',
  '2': 'symlink',
  '1': 'hardlink',
};

const str = (b: Buffer, off: number, len: number) => {
  const s = b.subarray(off, off + len);
  const z = s.indexOf(0);
  return (z >= 0 ? s.subarray(0, z) : s).toString('utf8');
};
const octal = (b: Buffer, off: number, len: number) => {
  const s = str(b, off, len).trim();
  if (!/^[0-7]*$/.test(s)) throw new Error('a tar header has a malformed size');
  return s ? Number.parseInt(s, 8) : 0;
};

/** `path=` of a pax extended header body. */
function paxPath(body: Buffer): string | undefined {
  let off = 0;
  let found: string | undefined;
  while (off < body.length) {
    const sp = body.indexOf(0x20, off);
    if (sp < 0) break;
    const len = Number(body.subarray(off, sp).toString());
    if (!Number.isInteger(len) || len <= 0) break;
    const rec = body.subarray(sp + 1, off + len - 1).toString('utf8');
    if (rec.startsWith('path=')) found = rec.slice(5);
    off += len;
  }
  return found;
}

/**
 * Read a gzip'd tar held in memory: every member with its path (ustar prefix, pax and GNU long
 * names honoured) and type; file contents are kept. Unpacking stops past `maxUnpacked` bytes, so
 * a small package cannot inflate without bound. Throws with what is wrong.
 */
export function readTarGz(gz: Buffer, maxUnpacked: number): TarEntry[] {
  let tar: Buffer;
  try {
    tar = gunzipSync(gz, { maxOutputLength: maxUnpacked });
  } catch (e) {
    const m = (e as Error).message;
    throw new Error(
      /maxOutputLength|Cannot create a Buffer larger/.test(m) ||
        (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE'
        ? `expected at most ${maxUnpacked} bytes once unpacked`
        : `expected a .tar.gz file (gzip: ${m})`,
    );
  }
  const out: TarEntry[] = [];
  let off = 0;
  let longName: string | undefined;
  while (off + 512 <= tar.length) {
    const h = tar.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const size = octal(h, 124, 12);
    const flag = String.fromCharCode(h[156]!);
    const body = tar.subarray(off + 512, off + 512 + size);
    if (body.length < size) throw new Error('expected a complete tar archive, found it cut short');
    off += 512 + Math.ceil(size / 512) * 512;
    if (flag === 'x' || flag === 'L') {
      longName = flag === 'x' ? paxPath(body) : str(body, 0, body.length);
      continue;
    }
    if (flag === 'g') continue;
    const prefix = str(h, 257, 6).startsWith('ustar') ? str(h, 345, 155) : '';
    const name = longName ?? (prefix ? `${prefix}/${str(h, 0, 100)}` : str(h, 0, 100));
    longName = undefined;
    const type = TYPES[flag] ?? `type ${JSON.stringify(flag)}`;
    out.push({ path: name, type, size, ...(type === 'file' ? { data: Buffer.from(body) } : {}) });
  }
  if (out.length === 0) throw new Error('expected a tar archive with files, found none');
  return out;
}
