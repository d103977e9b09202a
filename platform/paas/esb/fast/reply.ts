import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { Outgoing } from '../gateway';
import { JSON_TYPE } from '../http';

/** Header values node:http would refuse to write. */
const BAD_VALUE = /[^\t\x20-\x7e\x80-\xff]/;

let dateSecond = -1;
let dateText = '';

/** The Date header value, formatted once per second. */
function httpDate(): string {
  const sec = Math.floor(Date.now() / 1000);
  if (sec !== dateSecond) {
    dateSecond = sec;
    dateText = new Date(sec * 1000).toUTCString();
  }
  return dateText;
}

/**
 * Write `out` as one HTTP/1.1 answer with the fields node:http gives it (content-type,
 * content-length, Date, Connection, Keep-Alive); `keepAliveSec` undefined closes the connection,
 * 0 keeps it open without a Keep-Alive field.
 * Throws, writing nothing, when a passed-through content type holds characters a header cannot.
 */
export function writeAnswer(socket: Socket, out: Outgoing, keepAliveSec: number | undefined): void {
  const conn =
    keepAliveSec === undefined
      ? 'Connection: close\r\n'
      : keepAliveSec > 0
        ? `Connection: keep-alive\r\nKeep-Alive: timeout=${keepAliveSec}\r\n`
        : 'Connection: keep-alive\r\n';
  const status = `HTTP/1.1 ${out.status} ${STATUS_CODES[out.status] ?? 'unknown'}\r\n`;
  if ('raw' in out) {
    const type = out.raw.contentType;
    if (BAD_VALUE.test(type)) throw new Error('Invalid character in header content ["content-type"]');
    socket.cork();
    socket.write(
      `${status}content-type: ${type}\r\ncontent-length: ${out.raw.body.length}\r\nDate: ${httpDate()}\r\n${conn}\r\n`,
      'latin1',
    );
    socket.write(out.raw.body);
    socket.uncork();
    return;
  }
  const text = JSON.stringify(out.json);
  socket.write(
    `${status}content-type: ${JSON_TYPE}\r\ncontent-length: ${Buffer.byteLength(text)}\r\nDate: ${httpDate()}\r\n${conn}\r\n${text}`,
  );
}
