import { type Pool, rows } from '../../common/db/pool';
import type { Component } from '../components/types';
import { normalisePath } from '../routing/path';
import { Router } from '../routing/router';
import type { BuffetRow, CatalogView, ChannelRow, SystemRow } from './types';

const SYSTEMS_SQL =
  'SELECT id, name, label, remark, execute_timeout, query_timeout FROM esb_component_system ORDER BY id';
const CHANNELS_SQL = `SELECT id, name, path, method, component_system_id, component_codename, component_name, is_active, timeout_time,
  type, is_hidden, perm_level, rate_limit_required, rate_limit_conf FROM esb_channel ORDER BY id`;
const BUFFET_SQL = `SELECT id, name, system_id, dest_url, dest_http_method, favor_post_ctype, extra_headers,
  registed_path, registed_http_method, timeout_time FROM esb_buffet_component`;

/** One consistent in-memory copy of the channel tables. */
export interface Snapshot extends CatalogView {
  router: Router;
  /** Self-service components by `METHOD path`. */
  buffet: ReadonlyMap<string, BuffetRow & { timeoutMs: number }>;
}

/** Key of a self-service component in the snapshot. */
export function buffetKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${normalisePath(path)}`;
}

/**
 * Systems, channels and self-service components read from MySQL into a precompiled router,
 * reloaded every `refreshMs` in the background; the hot path only reads `current`.
 */
export class Catalog {
  current!: Snapshot;
  private timer?: NodeJS.Timeout;
  private builtins: readonly Component[] = [];

  constructor(
    private readonly db: Pool,
    private readonly confapis: readonly Component[],
    private readonly log: (msg: string) => void,
  ) {}

  /** Load once (throws when MySQL fails), then keep refreshing every `refreshMs`. */
  async start(builtins: readonly Component[], refreshMs: number): Promise<void> {
    this.builtins = builtins;
    await this.reload();
    this.timer = setInterval(() => {
      this.reload().catch((e) =>
        this.log(`esb catalog refresh failed, keeping the previous one: ${(e as Error).message}`),
      );
    }, refreshMs);
    this.timer.unref();
  }

  /** Read the tables again and swap in a new snapshot. */
  async reload(): Promise<void> {
    const [systems, channels, buffetRows] = await Promise.all([
      rows<SystemRow>(this.db, SYSTEMS_SQL),
      rows<ChannelRow>(this.db, CHANNELS_SQL),
      rows<BuffetRow>(this.db, BUFFET_SQL),
    ]);
    const router = new Router(channels, systems, this.builtins, this.confapis);
    for (const w of router.warnings) this.log(w);
    const sysById = new Map(systems.map((s) => [s.id, s]));
    const buffet = new Map(
      buffetRows.map((b) => {
        const sys = sysById.get(b.system_id);
        const secs = b.timeout_time || sys?.query_timeout || 30;
        return [
          buffetKey(b.registed_http_method, b.registed_path),
          { ...b, timeoutMs: secs * 1000 },
        ] as const;
      }),
    );
    this.current = { systems, channels, router, buffet };
  }

  /** Stop refreshing. */
  stop(): void {
    clearInterval(this.timer);
  }
}
