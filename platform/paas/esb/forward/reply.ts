import { CODE, EsbError } from '../codes';
import type { ComponentResult } from '../components/types';
import { UpstreamError, type UpstreamReply, type UpstreamRequest, upstream } from './upstream';

/** Send, turning network failures and timeouts into 1306201. */
export function send(r: UpstreamRequest): Promise<UpstreamReply> {
  return upstream(r).catch((e: unknown) => {
    const timedOut = e instanceof UpstreamError && e.timedOut;
    throw new EsbError(
      CODE.BACKEND,
      `Request to the back end ${timedOut ? 'timed out' : 'failed'}: ${(e as Error).message}`,
    );
  });
}

/**
 * Map a back end's JSON reply onto the ESB envelope: `result` kept, `code`/`message` taken from
 * `code`/`message` or `bk_error_code`/`bk_error_msg`; JSON without `result` becomes `data`.
 * A non-2xx status or a body that is not JSON gives 1306201, unless `passNonJson` lets text through.
 */
export function interpret(r: UpstreamReply, where: string, passNonJson = false): ComponentResult {
  if (r.status < 200 || r.status > 299)
    throw new EsbError(CODE.BACKEND, `Request to the back end failed: ${where} answered HTTP ${r.status}`);
  const text = r.body.toString('utf8');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    if (passNonJson)
      return {
        passthrough: {
          status: r.status,
          contentType: String(r.headers['content-type'] ?? 'text/plain'),
          body: r.body,
        },
      };
    throw new EsbError(
      CODE.BACKEND,
      `Request to the back end failed: ${where} answered something that is not JSON`,
    );
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body) || !('result' in body))
    return { result: true, data: body };
  const b = body as Record<string, unknown>;
  const result = b.result === true;
  const code = b.code ?? b.bk_error_code ?? (result ? CODE.OK : CODE.COMMON);
  return {
    result,
    code: typeof code === 'number' || typeof code === 'string' ? code : CODE.COMMON,
    message: String(b.message ?? b.bk_error_msg ?? ''),
    data: b.data ?? null,
  };
}
