import { describe, expect, it } from 'vitest';
import { BodyTooLarge, HttpParseError, ResponseParser } from './parse';

/** Feed `text` in pieces of `step` bytes; the parser once the reply is complete, else undefined. */
function parse(text: string, step = 1_000_000, opts: { head?: boolean; maxBody?: number } = {}) {
  const p = new ResponseParser(opts.head ?? false, 64 * 1024, opts.maxBody ?? 1024);
  const bytes = Buffer.from(text, 'latin1');
  for (let i = 0; i < bytes.length; i += step) if (p.feed(bytes.subarray(i, i + step))) return p;
  return p.closed() ? p : undefined;
}

describe('ResponseParser', () => {
  it('reads Content-Length bodies fed whole or a byte at a time', () => {
    const text =
      'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-A: 1\r\nx-a: 2\r\nContent-Length: 11\r\n\r\n{"ok":true}';
    for (const step of [1, 3, 1000]) {
      const p = parse(text, step)!;
      expect(p.status).toBe(200);
      expect(p.headers).toMatchObject({ 'content-type': 'application/json', 'x-a': '1, 2' });
      expect(p.body().toString()).toBe('{"ok":true}');
      expect(p.reusable).toBe(true);
    }
  });
  it('reads chunked bodies with extensions and trailers, fed a byte at a time', () => {
    const text =
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\nA\r\n, world!!!\r\n0\r\nX-T: 1\r\n\r\n';
    for (const step of [1, 2, 7, 1000]) expect(parse(text, step)!.body().toString()).toBe('hello, world!!!');
  });
  it('skips 1xx interim replies and knows bodiless replies (HEAD, 204, 304)', () => {
    const p = parse('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok')!;
    expect([p.status, p.body().toString()]).toEqual([200, 'ok']);
    expect(parse('HTTP/1.1 204 No Content\r\n\r\n')!.status).toBe(204);
    expect(parse('HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n')!.body().length).toBe(0);
    expect(parse('HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n', 1000, { head: true })!.body().length).toBe(
      0,
    );
  });
  it('reads close-delimited bodies until the connection ends, and never reuses such a connection', () => {
    const p = new ResponseParser(false, 1024, 1024);
    expect(p.feed(Buffer.from('HTTP/1.0 200 OK\r\n\r\npart one, '))).toBe(false);
    expect(p.feed(Buffer.from('part two'))).toBe(false);
    expect(p.closed()).toBe(true);
    expect(p.body().toString()).toBe('part one, part two');
    expect(p.reusable).toBe(false);
  });
  it('marks replies after which the connection cannot carry another request', () => {
    expect(parse('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')!.reusable).toBe(false);
    expect(parse('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nextra')!.reusable).toBe(false);
    const both =
      'HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n';
    expect(parse(both)!.reusable).toBe(false);
    expect(
      parse('HTTP/1.1 200 OK\r\nKeep-Alive: timeout=5\r\nContent-Length: 0\r\n\r\n')!.keepAliveHintMs,
    ).toBe(5000);
  });
  it('refuses broken framing and oversized bodies', () => {
    expect(() => parse('HTTP/2 200 OK\r\n\r\n')).toThrow(HttpParseError);
    expect(() => parse('HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n')).toThrow(/bad header line/);
    expect(() => parse('HTTP/1.1 200 OK\r\nX: a\nInjected: b\r\n\r\n')).toThrow(/bad value in header x/);
    expect(() => parse('HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\nx')).toThrow(/Content-Length/);
    expect(() => parse('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n')).toThrow(/chunk size/);
    expect(() => parse('HTTP/1.1 200 OK\r\nContent-Length: 2000\r\n\r\n')).toThrow(BodyTooLarge);
    const chunked = `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n${'x'.repeat(1024)}\r\n1\r\nx\r\n0\r\n\r\n`;
    expect(() => parse(chunked, 100)).toThrow(BodyTooLarge);
    expect(parse('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nabc')).toBeUndefined(); // cut short
  });
});
