import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Incoming, Outgoing } from './gateway';

const MAX_BODY = 8 * 1024 * 1024;
const JSON_TYPE = 'application/json; charset=utf-8';

/** Write an Outgoing onto a raw response. */
export function writeOut(res: ServerResponse, out: Outgoing): void {
  if ('raw' in out) {
    res.writeHead(out.status, { 'content-type': out.raw.contentType, 'content-length': out.raw.body.length });
    res.end(out.raw.body);
    return;
  }
  const text = JSON.stringify(out.json);
  res.writeHead(out.status, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        req.removeAllListeners('data');
        req.resume();
        resolve(undefined);
      } else chunks.push(c);
    });
    req.on('end', () =>
      resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')),
    );
    req.on('error', reject);
  });
}

/**
 * The hot path, on the raw Node request (no framework): read the body, run `fn` with the
 * channel path after `prefix` (which ends with /), write the envelope. Crashes answer 500 with an ESB envelope.
 */
export async function serveRaw(
  req: IncomingMessage,
  res: ServerResponse,
  prefix: string,
  fn: (inc: Incoming) => Promise<Outgoing>,
  onCrash: (e: Error) => void,
): Promise<void> {
  try {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = (q < 0 ? url : url.slice(0, q)).slice(prefix.length - 1);
    const method = req.method ?? 'GET';
    const rawBody = method === 'GET' || method === 'HEAD' ? (req.resume(), '') : await readBody(req);
    if (rawBody === undefined) {
      writeOut(res, {
        status: 413,
        json: {
          result: false,
          code: 1306000,
          message: `Request body larger than ${MAX_BODY} bytes`,
          data: null,
        },
      });
      return;
    }
    writeOut(res, await fn({ method, url, path, headers: req.headers, rawBody }));
  } catch (e) {
    onCrash(e as Error);
    if (!res.headersSent)
      writeOut(res, {
        status: 500,
        json: { result: false, code: 1306000, message: 'internal error', data: null },
      });
    else res.destroy();
  }
}
