import type { CatalogView } from '../catalog/types';
import { CODE, EsbError } from '../codes';
import type { PlatformClient, V2Reply } from '../forward/platform';
import { normalisePath } from '../routing/path';
import { BUILTIN_DOCS } from './builtin-docs';
import type { ApiType, CallContext, Component, ComponentResult } from './types';

/** What the built-in components call. */
export interface BuiltinDeps {
  login: PlatformClient;
  paas: PlatformClient;
  catalog: () => CatalogView;
}

type Handler = (ctx: CallContext) => Promise<ComponentResult>;

function fromV2(r: V2Reply): ComponentResult {
  return {
    result: r.result === true,
    code: r.bk_error_code,
    message: r.bk_error_msg ?? '',
    data: r.data ?? null,
  };
}

async function backend(what: string, call: () => Promise<V2Reply>): Promise<ComponentResult> {
  try {
    return fromV2(await call());
  } catch (e) {
    throw new EsbError(CODE.BACKEND, `Request to ${what} failed: ${(e as Error).message}`);
  }
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

function list(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(str).filter((s) => s !== '');
  return str(v)
    .split(/[,;]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function make(
  system: string,
  name: string,
  label: string,
  apiType: ApiType,
  method: 'GET' | 'POST',
  handle: Handler,
  userAuth = true,
): Component {
  return {
    codename: `generic.v2.${system.toLowerCase()}.${name}`,
    system,
    name,
    label,
    labelEn: name.replace(/_/g, ' '),
    apiType,
    method,
    path: normalisePath(`/v2/${system.toLowerCase()}/${name}`),
    userAuth,
    isHidden: false,
    confapi: false,
    doc: BUILTIN_DOCS[`${system.toLowerCase()}.${name}`] ?? {},
    handle,
  };
}

/** The built-in components: bk_login (through login's v2 API), bk_paas.get_app_info, esb.get_systems/get_components. */
export function builtinComponents(d: BuiltinDeps): Component[] {
  const login = (name: string, query: Record<string, string>, json?: unknown) =>
    backend('login', () => d.login.call<V2Reply>(`/login/api/v2/${name}/`, query, json));
  return [
    make(
      'BK_LOGIN',
      'is_login',
      '校验用户登录态',
      'query',
      'GET',
      (c) => login('is_login', { bk_token: str(c.params.bk_token) }),
      false,
    ),
    make('BK_LOGIN', 'get_user', '获取用户信息', 'query', 'GET', (c) =>
      login('get_user', { bk_username: str(c.params.bk_username) || str(c.params.username) || c.username }),
    ),
    make('BK_LOGIN', 'get_all_users', '获取所有用户信息', 'query', 'GET', (c) => {
      const role = str(c.params.bk_role);
      return login('get_all_users', role ? { bk_role: role } : {});
    }),
    make('BK_LOGIN', 'get_batch_users', '批量获取用户信息', 'query', 'POST', (c) =>
      login('get_batch_users', {}, { bk_username_list: list(c.params.bk_username_list) }),
    ),
    make('BK_PAAS', 'get_app_info', '获取应用信息', 'query', 'GET', (c) => {
      const query: Record<string, string> = {};
      if (str(c.params.target_app_code)) query.target_app_code = str(c.params.target_app_code);
      if (str(c.params.fields)) query.fields = str(c.params.fields);
      return backend('paas', () => d.paas.call<V2Reply>('/paas/api/v2/app_info/', query));
    }),
    make('ESB', 'get_systems', '获取系统列表', 'query', 'GET', async () => ({
      result: true,
      data: d.catalog().systems.map((s) => ({ name: s.name, label: s.label, remark: s.remark })),
    })),
    make('ESB', 'get_components', '获取组件列表', 'query', 'GET', async (c) => {
      const { systems, channels } = d.catalog();
      const names = new Set(list(c.params.system_names));
      const byId = new Map(systems.map((s) => [s.id, s.name]));
      const data = channels
        .filter((ch) => ch.is_active === 1 && ch.is_hidden === 0)
        .map((ch) => ({
          system_name: byId.get(ch.component_system_id ?? -1) ?? '',
          name: ch.component_name,
          label: ch.name,
          path: `/api/c/compapi${ch.path}`,
          method: ch.method,
        }))
        .filter((x) => names.size === 0 || names.has(x.system_name));
      return { result: true, data };
    }),
  ];
}
