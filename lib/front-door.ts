// The header by which ESB knows a request came through the front nginx: the controller writes its
// value into the nginx vhost (src/modules/nginx/vhost.ts), ESB checks it (platform/paas/esb/auth).
import { createHmac } from 'node:crypto';

/** The header the front nginx sets on `/api/` (replacing whatever a client sent under that name). */
export const FRONT_DOOR_HEADER = 'x-bkcec-front-door';

/**
 * The value nginx sends in FRONT_DOOR_HEADER: an HMAC of a fixed label with ESB_TOKEN, so the
 * nginx config never holds ESB_TOKEN itself and ESB needs no extra secret.
 */
export function frontDoorValue(esbToken: string): string {
  return createHmac('sha256', esbToken).update('bkcec esb front door').digest('hex');
}
