import { one, type Pool, rows } from '../../common/db/pool';

/** A system with visible APIs. */
export interface DocSystem {
  id: number;
  name: string;
  label: string;
  remark: string;
  category: string | null;
  priority: number | null;
  apis: number;
}

/** An API (esb_channel): `component_name` is the API name, `name` its label. */
export interface DocApi {
  id: number;
  api: string;
  label: string;
  path: string;
  method: string;
  created_time: Date;
  extra_info: string | null;
}

const VISIBLE = 'c.is_active = 1 AND c.is_hidden = 0';

/** Systems that have at least one active, visible channel, with their doc category. */
export function docSystems(db: Pool): Promise<DocSystem[]> {
  return rows<DocSystem>(
    db,
    `SELECT s.id, s.name, s.label, s.remark, k.name AS category, k.priority, COUNT(c.id) AS apis
     FROM esb_component_system s JOIN esb_channel c ON c.component_system_id = s.id AND ${VISIBLE}
     LEFT JOIN esb_system_doc_category k ON k.id = s.doc_category_id
     GROUP BY s.id ORDER BY COALESCE(k.priority, 100000), s.name`,
  );
}

/** One system by name (case-insensitive). */
export function docSystem(db: Pool, name: string) {
  return one<{ id: number; name: string; label: string; remark: string }>(
    db,
    'SELECT id, name, label, remark FROM esb_component_system WHERE name = ?',
    [name],
  );
}

/** Visible APIs of a system. */
export function docApis(db: Pool, systemId: number): Promise<DocApi[]> {
  return rows<DocApi>(
    db,
    `SELECT c.id, c.component_name AS api, c.name AS label, c.path, c.method, c.created_time, c.extra_info
     FROM esb_channel c WHERE c.component_system_id = ? AND ${VISIBLE} ORDER BY c.component_name, c.path DESC`,
    [systemId],
  );
}

/** The rendered HTML of one API doc in `lang`, falling back to English then any language. */
export async function docHtml(db: Pool, channelId: number, lang: string): Promise<string | null> {
  const r = await one<{ doc_html: string | null }>(
    db,
    'SELECT doc_html FROM esb_api_doc WHERE component_id = ?',
    [channelId],
  );
  if (!r?.doc_html) return null;
  let byLang: Record<string, string>;
  try {
    byLang = JSON.parse(r.doc_html) as Record<string, string>;
  } catch {
    return r.doc_html;
  }
  return byLang[lang] ?? byLang.en ?? Object.values(byLang)[0] ?? null;
}
