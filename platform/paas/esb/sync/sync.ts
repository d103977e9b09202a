import type { PoolConnection } from 'mysql2/promise';
import type { Pool } from '../../common/db/pool';
import { docHtml, docSource } from './docs';
import { DEFAULT_WHITELIST, type DesiredCatalog, desiredCatalog } from './source';
import { q, x } from './store';
import { mergeWhitelist } from './whitelist';

const LOCK = 'bkcec_esb_sync';

/** What one sync changed. */
export interface SyncReport {
  systems: { created: string[]; updated: string[] };
  channels: { created: string[]; updated: string[] };
  whitelistAdded: string[];
  docs: { rendered: string[]; unchanged: number };
}

async function syncSystems(
  conn: PoolConnection,
  want: DesiredCatalog,
  r: SyncReport,
): Promise<Map<string, number>> {
  const cats = new Map(
    (await q<{ id: number; name: string }>(conn, 'SELECT id, name FROM esb_system_doc_category')).map((c) => [
      c.name,
      c.id,
    ]),
  );
  type Row = { id: number; name: string; label: string; doc_category_id: number | null };
  const have = new Map(
    (await q<Row>(conn, 'SELECT id, name, label, doc_category_id FROM esb_component_system')).map((s) => [
      s.name,
      s,
    ]),
  );
  for (const s of want.systems) {
    const cat = cats.get(s.docCategory) ?? null;
    const row = have.get(s.name);
    if (!row) {
      const id = await x(
        conn,
        'INSERT INTO esb_component_system (name, label, remark, doc_category_id) VALUES (?, ?, ?, ?)',
        [s.name, s.label, s.remark, cat],
      );
      have.set(s.name, { id, name: s.name, label: s.label, doc_category_id: cat });
      r.systems.created.push(s.name);
    } else if (row.label !== s.label || (row.doc_category_id === null && cat !== null)) {
      // Only the label (and a missing category) follow the code; remarks, timeouts and admins are the admin's.
      await x(
        conn,
        'UPDATE esb_component_system SET label = ?, doc_category_id = COALESCE(doc_category_id, ?) WHERE id = ?',
        [s.label, cat, row.id],
      );
      r.systems.updated.push(s.name);
    }
  }
  return new Map([...have.values()].map((s) => [s.name, s.id]));
}

async function syncChannels(
  conn: PoolConnection,
  want: DesiredCatalog,
  sysIds: Map<string, number>,
  r: SyncReport,
): Promise<void> {
  type Row = {
    id: number;
    path: string;
    name: string;
    component_codename: string;
    component_name: string;
    extra_info: string | null;
    component_system_id: number | null;
  };
  const have = new Map(
    (
      await q<Row>(
        conn,
        'SELECT id, path, name, component_codename, component_name, extra_info, component_system_id FROM esb_channel',
      )
    ).map((c) => [c.path, c]),
  );
  for (const c of want.components) {
    const extra = JSON.stringify({ is_confapi: c.confapi, label_en: c.labelEn, suggest_method: c.method });
    const sys = sysIds.get(c.system) ?? null;
    const row = have.get(c.path);
    if (!row) {
      await x(
        conn,
        `INSERT INTO esb_channel (name, path, method, component_system_id, component_codename, component_name, is_active, type, is_hidden, extra_info)
         VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`,
        [
          c.label,
          c.path,
          c.method,
          sys,
          c.codename,
          c.name,
          c.apiType === 'operate' ? 1 : 2,
          c.isHidden ? 1 : 0,
          extra,
        ],
      );
      r.channels.created.push(c.path);
    } else if (
      row.name !== c.label ||
      row.component_codename !== c.codename ||
      row.component_name !== c.name ||
      row.extra_info !== extra ||
      (row.component_system_id === null && sys !== null)
    ) {
      // Names and codenames follow the code; active flag, timeouts, type, hidden flag, permissions and rate limits stay as edited.
      await x(
        conn,
        'UPDATE esb_channel SET name = ?, component_codename = ?, component_name = ?, extra_info = ?, component_system_id = COALESCE(component_system_id, ?) WHERE id = ?',
        [c.label, c.codename, c.name, extra, sys, row.id],
      );
      r.channels.updated.push(c.path);
    }
  }
}

async function syncDocs(conn: PoolConnection, want: DesiredCatalog, r: SyncReport): Promise<void> {
  const byPath = new Map(want.components.map((c) => [c.path, c]));
  type Row = { id: number; path: string; md5: string | null };
  const channels = await q<Row>(
    conn,
    `SELECT c.id, c.path, d.doc_md_md5 AS md5 FROM esb_channel c LEFT JOIN esb_api_doc d ON d.component_id = c.id
     WHERE c.is_active = 1 AND c.is_hidden = 0`,
  );
  for (const ch of channels) {
    const comp = byPath.get(ch.path);
    const src = comp && docSource(comp);
    if (!src) continue;
    if (src.md5 === ch.md5) {
      r.docs.unchanged++;
      continue;
    }
    await x(
      conn,
      `INSERT INTO esb_api_doc (component_id, doc_md, doc_html, doc_md_md5) VALUES (?, ?, ?, ?)
       ON DUPLICATE KEY UPDATE doc_md = VALUES(doc_md), doc_html = VALUES(doc_html), doc_md_md5 = VALUES(doc_md_md5)`,
      [ch.id, src.md, docHtml(src.byLang), src.md5],
    );
    r.docs.rendered.push(ch.path);
  }
}

/**
 * The legacy `sync_data_at_deploy`: merge the default whitelist, upsert systems and channels from
 * code and YAML (keeping admin-edited fields), render changed docs into `esb_api_doc`. Holds the
 * MySQL lock `bkcec_esb_sync`, so hosts running it at once take turns; a second run changes nothing.
 */
export async function syncEsb(
  db: Pool,
  lockWaitSec = 120,
  want: DesiredCatalog = desiredCatalog(),
): Promise<SyncReport> {
  const r: SyncReport = {
    systems: { created: [], updated: [] },
    channels: { created: [], updated: [] },
    whitelistAdded: [],
    docs: { rendered: [], unchanged: 0 },
  };
  const conn = await db.getConnection();
  try {
    const [lock] = await q<{ ok: number | null }>(conn, 'SELECT GET_LOCK(?, ?) AS ok', [LOCK, lockWaitSec]);
    if (lock?.ok !== 1)
      throw new Error(
        `could not take the MySQL lock ${LOCK} within ${lockWaitSec} s: another esb-sync is still running`,
      );
    try {
      r.whitelistAdded = await mergeWhitelist(conn, DEFAULT_WHITELIST);
      const sysIds = await syncSystems(conn, want, r);
      await syncChannels(conn, want, sysIds, r);
      await syncDocs(conn, want, r);
    } finally {
      await conn.query('SELECT RELEASE_LOCK(?)', [LOCK]);
    }
  } finally {
    conn.release();
  }
  return r;
}
