// The largest request body each program takes; the front nginx's client_max_body_size per
// location is the same number (src/modules/nginx/templates, checked by limits.test.ts).
import type { ProgramName } from '../config/config';

const MiB = 1024 * 1024;

export const BODY_LIMITS: Record<ProgramName, number> = {
  login: 1 * MiB, // sign-in and user forms
  paas: 4 * MiB, // developer-center forms
  appengine: 4 * MiB, // release payloads, agent log chunks (≤ 256 KiB each)
  esb: 8 * MiB, // API calls (esb/http.ts MAX_BODY)
};

/** Routes that take more (their own bodyLimit): S-mart packages, paas `/saas/upload/` and appengine `/v1/saas/packages/`. */
export const PACKAGE_UPLOAD_LIMIT = 201 * MiB;
