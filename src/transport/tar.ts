// A minimal tar writer (ustar headers, PAX records for long or non-ASCII names) that streams
// entries as they are read, so a sync never builds the whole archive in memory.

import { Readable } from 'node:stream';

/** One member of the archive. */
export type TarEntry =
  | { type: 'file'; name: string; mode: number; mtime: number; data: Buffer }
  | { type: 'symlink'; name: string; mode: number; mtime: number; target: string };

const BLOCK = 512;

/** A readable tar stream of `entries` (each produced lazily). */
export function tarStream(entries: AsyncIterable<TarEntry>): Readable {
  return Readable.from(chunks(entries), { objectMode: false });
}

async function* chunks(entries: AsyncIterable<TarEntry>): AsyncGenerator<Buffer> {
  for await (const e of entries) {
    const target = e.type === 'symlink' ? e.target : '';
    const pax: string[] = [];
    if (!fitsUstar(e.name)) pax.push(paxRecord('path', e.name));
    if (!fitsUstar(target)) pax.push(paxRecord('linkpath', target));
    if (pax.length) {
      const body = Buffer.from(pax.join(''));
      yield header({
        name: 'PaxHeader',
        mode: 0o644,
        mtime: e.mtime,
        size: body.length,
        flag: 'x',
        link: '',
      });
      yield padded(body);
    }
    const data = e.type === 'file' ? e.data : Buffer.alloc(0);
    const name = fitsUstar(e.name) ? e.name : 'long-name';
    const link = fitsUstar(target) ? target : 'long-link';
    yield header({
      name,
      mode: e.mode,
      mtime: e.mtime,
      size: data.length,
      flag: e.type === 'file' ? '0' : '2',
      link,
    });
    if (data.length) yield padded(data);
  }
  yield Buffer.alloc(BLOCK * 2);
}

function fitsUstar(s: string): boolean {
  return Buffer.byteLength(s) < 100 && /^[\x20-\x7e]*$/.test(s);
}

/** A PAX record: "<length> key=value\n", where length counts the whole record. */
function paxRecord(key: string, value: string): string {
  const rest = ` ${key}=${value}\n`;
  let len = Buffer.byteLength(rest) + 1;
  while (String(len).length + Buffer.byteLength(rest) !== len) len++;
  return `${len}${rest}`;
}

function header(h: {
  name: string;
  mode: number;
  mtime: number;
  size: number;
  flag: string;
  link: string;
}): Buffer {
  const b = Buffer.alloc(BLOCK);
  b.write(h.name, 0, 100, 'utf8');
  octal(b, 100, 8, h.mode & 0o7777);
  octal(b, 108, 8, 0);
  octal(b, 116, 8, 0);
  octal(b, 124, 12, h.size);
  octal(b, 136, 12, Math.floor(h.mtime));
  b.write(h.flag, 156, 1, 'latin1');
  b.write(h.link, 157, 100, 'utf8');
  b.write('ustar\u000000', 257, 8, 'latin1');
  b.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of b) sum += byte;
  b.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'latin1');
  return b;
}

function octal(b: Buffer, offset: number, width: number, value: number): void {
  b.write(`${value.toString(8).padStart(width - 1, '0')}\u0000`, offset, width, 'latin1');
}

function padded(data: Buffer): Buffer {
  const rest = data.length % BLOCK;
  return rest ? Buffer.concat([data, Buffer.alloc(BLOCK - rest)]) : data;
}
