import type { FastifyInstance, FastifyRequest } from 'fastify';
import { rows } from '../../common/db/pool';
import { V1, V2, v1Fail, v1Ok, v2Fail, v2Ok } from '../../common/envelopes/envelopes';
import { safeEqual } from '../../common/security/compare';
import type { PaasCtx } from '../context';

type Q = Record<string, string | undefined>;
const DENIED = 'API gateway authentication failed: expected X-APP-CODE: esb and the right X-APP-TOKEN';

interface Row {
  id: number;
  code: string;
  name: string;
  introduction: string;
  creater: string;
  tag: string | null;
  devs: string | null;
}

/** `/paas/api/app_info/` (v1) and `/paas/api/v2/app_info/` for ESB (reference §3.6). */
export function apiRoutes(app: FastifyInstance, ctx: PaasCtx): void {
  const fromEsb = (req: FastifyRequest) => {
    const t = req.headers['x-app-token'];
    return (
      req.headers['x-app-code'] === 'esb' &&
      typeof t === 'string' &&
      safeEqual(t, ctx.config.secrets.ESB_TOKEN)
    );
  };
  const query = async (target: string | undefined): Promise<Row[]> => {
    const codes = (target ?? '')
      .split(';')
      .map((s) => s.trim())
      .filter(Boolean);
    return rows<Row>(
      ctx.db,
      `SELECT a.id, a.code, a.name, a.introduction, a.creater, t.code AS tag,
         (SELECT GROUP_CONCAT(u.username ORDER BY u.username SEPARATOR ';') FROM paas_app_developer d
          JOIN account_bkuser u ON u.id = d.bkuser_id WHERE d.app_id = a.id) AS devs
       FROM paas_app a LEFT JOIN paas_apptags t ON t.id = a.tags_id
       ${codes.length ? 'WHERE a.code IN (?)' : ''} ORDER BY a.code`,
      codes.length ? [codes] : [],
    );
  };

  app.get('/paas/api/app_info/', async (req) => {
    if (!fromEsb(req)) return v1Fail(V1.ESB_AUTH_FAILED, DENIED);
    return v1Ok(
      (await query((req.query as Q).target_app_code)).map((r) => ({ app_code: r.code, app_name: r.name })),
    );
  });

  const v2 = async (req: FastifyRequest) => {
    if (!fromEsb(req)) return v2Fail(V2.ESB_AUTH_FAILED, DENIED);
    const q = req.query as Q;
    const fields = new Set((q.fields ?? '').split(';').map((s) => s.trim()));
    const data = (await query(q.target_app_code)).map((r) => ({
      bk_app_code: r.code,
      bk_app_name: r.name,
      ...(fields.has('introduction') ? { introduction: r.introduction } : {}),
      ...(fields.has('creator') ? { creator: r.creater } : {}),
      ...(fields.has('developer') ? { developer: r.devs ?? '' } : {}),
      ...(fields.has('tag') ? { tag: r.tag ?? '' } : {}),
    }));
    return { ...v2Ok(data), bk_error_msg: '' };
  };
  app.get('/paas/api/v2/app_info/', v2);
  app.get('/paas/api/v2/app/info/', v2);
}
