// Reading a request body with a size limit.
import type { IncomingMessage } from 'node:http';

/** The body as text, or `null` when it grew past `maxBytes` (the rest is discarded). */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) over = true;
      if (!over) chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The request fields of `POST /certificate`, or a text saying what is wrong with them. */
export function parseCheckRequest(text: string): { certificate: string; platform: string } | string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    return `expected a JSON body, found invalid JSON: ${(err as Error).message}`;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return `expected a JSON object {certificate, platform, requesttime}, found ${Array.isArray(body) ? 'an array' : typeof body}`;
  }
  const { certificate, platform, requesttime } = body as Record<string, unknown>;
  if (typeof certificate !== 'string' || certificate === '') {
    return (
      'expected "certificate" to be the PEM text of the platform certificate, found ' + typeof certificate
    );
  }
  if (platform !== undefined && typeof platform !== 'string')
    return `expected "platform" to be a string, found ${typeof platform}`;
  if (requesttime !== undefined && typeof requesttime !== 'string') {
    return `expected "requesttime" to be a string, found ${typeof requesttime}`;
  }
  return { certificate, platform: platform ?? '' };
}
