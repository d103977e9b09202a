/** A row of `esb_component_system` as ESB uses it. */
export interface SystemRow {
  id: number;
  name: string;
  label: string;
  remark: string;
  execute_timeout: number | null;
  query_timeout: number | null;
}

/** A row of `esb_channel` as ESB uses it. */
export interface ChannelRow {
  id: number;
  name: string;
  path: string;
  method: string;
  component_system_id: number | null;
  component_codename: string;
  component_name: string;
  is_active: number;
  timeout_time: number | null;
  /** 1 execute (operate), 2 query. */
  type: number;
  is_hidden: number;
  perm_level: number;
  rate_limit_required: number;
  rate_limit_conf: string | null;
}

/** A row of `esb_buffet_component` (self-service API). */
export interface BuffetRow {
  id: number;
  name: string;
  system_id: number;
  dest_url: string;
  dest_http_method: string;
  favor_post_ctype: string;
  extra_headers: string | null;
  registed_path: string;
  registed_http_method: string;
  timeout_time: number | null;
}

/** What built-in components may read of the catalog. */
export interface CatalogView {
  systems: readonly SystemRow[];
  channels: readonly ChannelRow[];
}
