import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { CODE } from './codes';
import type { Incoming, Outgoing } from './gateway';
import { langOf, type Msg, say } from './i18n/lang';
import { M } from './i18n/messages';
import { newRequestId } from './log/request-id';

/** Largest request body the ESB reads. */
export const MAX_BODY = 8 * 1024 * 1024;
/** Content type of every envelope. */
export const JSON_TYPE = 'application/json; charset=utf-8';

/** An ESB envelope answered outside the gateway (too large, crash, not an ESB path), in the caller's language. */
export function envelopeOut(
  status: number,
  code: number,
  m: Msg | string,
  headers: IncomingHttpHeaders,
): Outgoing {
  return {
    status,
    json: { result: false, code, message: say(m, langOf(headers)), data: null, request_id: newRequestId() },
  };
}

/** The answer when a call crashed. */
export function internalOut(headers: IncomingHttpHeaders): Outgoing {
  return envelopeOut(500, CODE.COMMON, M.internal(), headers);
}

/** The channel path of `url` (query removed) after `prefix`, which ends with /. */
export function channelPath(url: string, prefix: string): string {
  const q = url.indexOf('?');
  return (q < 0 ? url : url.slice(0, q)).slice(prefix.length - 1);
}

/** Write an Outgoing onto a raw response. */
export function writeOut(res: ServerResponse, out: Outgoing): void {
  if ('raw' in out) {
    res.writeHead(out.status, [
      'content-type',
      out.raw.contentType,
      'content-length',
      String(out.raw.body.length),
    ]);
    res.end(out.raw.body);
    return;
  }
  const text = JSON.stringify(out.json);
  res.writeHead(out.status, ['content-type', JSON_TYPE, 'content-length', String(Buffer.byteLength(text))]);
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
 * A GET's body, if any, is left for node:http to discard once the response is sent.
 */
export function serveRaw(
  req: IncomingMessage,
  res: ServerResponse,
  prefix: string,
  fn: (inc: Incoming) => Promise<Outgoing>,
  onCrash: (e: Error) => void,
): void {
  const crash = (e: Error) => {
    onCrash(e);
    if (!res.headersSent) writeOut(res, internalOut(req.headers));
    else res.destroy();
  };
  const url = req.url ?? '/';
  const path = channelPath(url, prefix);
  const method = req.method ?? 'GET';
  const run = (rawBody: string | undefined) => {
    if (rawBody === undefined)
      return writeOut(res, envelopeOut(413, CODE.COMMON, M.tooLarge(MAX_BODY), req.headers));
    fn({ method, url, path, headers: req.headers, rawBody })
      .then((out) => writeOut(res, out))
      .catch(crash);
  };
  try {
    if (method === 'GET' || method === 'HEAD') run('');
    else readBody(req).then(run, crash);
  } catch (e) {
    crash(e as Error);
  }
}
