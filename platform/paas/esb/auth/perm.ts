import { one, type Pool } from '../../common/db/pool';
import { TtlCache } from '../cache/ttl';
import { CODE, EsbError } from '../codes';
import { M } from '../i18n/messages';

/** Component permission (channels with `perm_level > 0`): a live row in `esb_app_component_perm`. */
export class PermCheck {
  private readonly cache: TtlCache<boolean>;

  constructor(
    private readonly db: Pool,
    cacheMs: number,
  ) {
    this.cache = new TtlCache(cacheMs);
  }

  /** Throw 1306403 unless `app` may call channel `channelId`. */
  async require(app: string, channelId: number, path: string): Promise<void> {
    const ok = await this.cache.get(`${app}\n${channelId}`, async () =>
      Boolean(
        await one(
          this.db,
          'SELECT 1 AS ok FROM esb_app_component_perm WHERE app_code = ? AND component_id = ? AND expires > NOW()',
          [app, channelId],
        ),
      ),
    );
    if (!ok) throw new EsbError(CODE.APP_PERMISSION, M.noPermission(app, path));
  }
}
