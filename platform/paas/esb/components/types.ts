import type { IncomingHttpHeaders } from 'node:http';

/** `query` components read, `operate` components change things (their timeouts differ). */
export type ApiType = 'query' | 'operate';

/** A component's Markdown doc per language. */
export interface ComponentDoc {
  en?: string;
  zh_hans?: string;
}

/** Everything ESB knows about a component besides its handler. */
export interface ComponentMeta {
  /** `generic.v2.<system>.<name>` for built-ins; `generic.v2.<system>.<system>_component` for YAML ones. */
  codename: string;
  system: string;
  name: string;
  label: string;
  labelEn: string;
  apiType: ApiType;
  /** Suggested method shown in docs. */
  method: 'GET' | 'POST';
  /** Channel path template, normalised (`/v2/bk_login/get_user/`), may hold `{var}`. */
  path: string;
  /** False when app authentication alone is enough (`is_login`). */
  userAuth: boolean;
  isHidden: boolean;
  /** Declared in YAML (synced with `extra_info.is_confapi`). */
  confapi: boolean;
  doc: ComponentDoc;
}

/** One call as a component sees it. */
export interface CallContext {
  requestId: string;
  appCode: string;
  /** Authenticated user, '' for app-only components. */
  username: string;
  /** The caller's bk_token when it sent one (parameters or X-Bkapi-Authorization), else ''. */
  bkToken: string;
  method: string;
  params: Record<string, unknown>;
  rawBody: string;
  headers: IncomingHttpHeaders;
  pathVars: Record<string, string>;
  timeoutMs: number;
}

/** A component's answer: an envelope body, or a raw reply passed through unchanged. */
export type ComponentResult =
  | { result: boolean; code?: number | string; message?: string; data: unknown }
  | { passthrough: { status: number; contentType: string; body: Buffer } };

/** A component: metadata plus the handler. */
export interface Component extends ComponentMeta {
  handle(ctx: CallContext): Promise<ComponentResult>;
}
