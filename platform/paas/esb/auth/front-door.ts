import { createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { safeEqual } from '../../common/security/compare';

/** The header the front nginx sets on `/api/` (replacing whatever a client sent under that name). */
export const FRONT_DOOR_HEADER = 'x-bkcec-front-door';

/**
 * The value nginx sends in FRONT_DOOR_HEADER: an HMAC of a fixed label with ESB_TOKEN, so the
 * nginx config never holds ESB_TOKEN itself and ESB needs no extra secret.
 */
export function frontDoorValue(esbToken: string): string {
  return createHmac('sha256', esbToken).update('bkcec esb front door').digest('hex');
}

/**
 * True when a request came through the front nginx. Only then is its `X-Request-Uri` trusted
 * for signatures; any other client reaching port 8002 signs the path ESB itself sees.
 */
export function frontDoorCheck(esbToken: string): (headers: IncomingHttpHeaders) => boolean {
  const want = frontDoorValue(esbToken);
  return (headers) => {
    const v = headers[FRONT_DOOR_HEADER];
    return typeof v === 'string' && safeEqual(v, want);
  };
}
