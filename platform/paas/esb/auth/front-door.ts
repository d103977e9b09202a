import type { IncomingHttpHeaders } from 'node:http';
import { FRONT_DOOR_HEADER, frontDoorValue } from '../../../../lib/front-door';
import { safeEqual } from '../../common/security/compare';

export { FRONT_DOOR_HEADER, frontDoorValue } from '../../../../lib/front-door';

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
