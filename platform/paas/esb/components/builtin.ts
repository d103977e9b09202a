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

/** login's and paas's v1 envelope: `code` is a string, "00" on success (reference §2.3). */
interface V1Reply {
  result: boolean;
  code: string;
  message: string;
  data: unknown;
}

/** v1 components pass the v1 envelope through: `code` "00", `username`/`role` field names. */
function fromV1(r: V1Reply): ComponentResult {
  return { result: r.result === true, code: r.code, message: r.message ?? '', data: r.data ?? null };
}

function fromV2(r: V2Reply): ComponentResult {
  return {
    result: r.result === true,
    code: r.bk_error_code,
    message: r.bk_error_msg ?? '',
    data: r.data ?? null,
  };
}

async function backend<R>(
  what: string,
  call: () => Promise<R>,
  map: (r: R) => ComponentResult,
): Promise<ComponentResult> {
  try {
    return map(await call());
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
  v1 = false,
): Component {
  const sys = system.toLowerCase();
  return {
    codename: v1 ? `generic.${sys}.${name}` : `generic.v2.${sys}.${name}`,
    system,
    name,
    label,
    labelEn: name.replace(/_/g, ' '),
    apiType,
    method,
    path: normalisePath(v1 ? `/${sys}/${name}` : `/v2/${sys}/${name}`),
    userAuth,
    // v1 paths serve apps on DEFAULT_BK_API_VER = ""; the docs describe the v2 forms.
    isHidden: v1,
    confapi: false,
    doc: v1 ? {} : (BUILTIN_DOCS[`${sys}.${name}`] ?? {}),
    handle,
  };
}

/** The v1 forms (`/api/c/compapi/<system>/<api>/`): login's `/login/accounts/…` and paas's v1 API. */
function v1Components(d: BuiltinDeps): Component[] {
  const login = (path: string, query: Record<string, string>, json?: unknown) =>
    backend('login', () => d.login.call<V1Reply>(`/login/accounts/${path}/`, query, json), fromV1);
  const v1 = (name: string, label: string, method: 'GET' | 'POST', h: Handler, userAuth = true) =>
    make('BK_LOGIN', name, label, 'query', method, h, userAuth, true);
  const all: Handler = (c) => {
    const role = str(c.params.role) || str(c.params.bk_role);
    return login('get_all_user', role ? { role } : {});
  };
  const batch: Handler = (c) =>
    login('get_batch_user', {}, { username_list: list(c.params.username_list ?? c.params.bk_username_list) });
  return [
    v1(
      'is_login',
      '校验用户登录态',
      'GET',
      (c) => login('is_login', { bk_token: str(c.params.bk_token) || c.bkToken }),
      false,
    ),
    v1('get_user', '获取用户信息', 'GET', (c) =>
      login('get_user', { username: str(c.params.username) || str(c.params.bk_username) || c.username }),
    ),
    v1('get_all_user', '获取所有用户信息', 'GET', all),
    v1('get_all_users', '获取所有用户信息', 'GET', all),
    v1('get_batch_user', '批量获取用户信息', 'POST', batch),
    v1('get_batch_users', '批量获取用户信息', 'POST', batch),
    make(
      'BK_PAAS',
      'get_app_info',
      '获取应用信息',
      'query',
      'GET',
      (c) => {
        const target = str(c.params.target_app_code) || str(c.params.app_code_list);
        return backend(
          'paas',
          () => d.paas.call<V1Reply>('/paas/api/app_info/', target ? { target_app_code: target } : {}),
          fromV1,
        );
      },
      true,
      true,
    ),
  ];
}

/** The built-in components: bk_login (login's v1 and v2 APIs), bk_paas.get_app_info (v1, v2), esb.get_systems/get_components. */
export function builtinComponents(d: BuiltinDeps): Component[] {
  const login = (name: string, query: Record<string, string>, json?: unknown) =>
    backend('login', () => d.login.call<V2Reply>(`/login/api/v2/${name}/`, query, json), fromV2);
  return [
    make(
      'BK_LOGIN',
      'is_login',
      '校验用户登录态',
      'query',
      'GET',
      (c) => login('is_login', { bk_token: str(c.params.bk_token) || c.bkToken }),
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
      return backend('paas', () => d.paas.call<V2Reply>('/paas/api/v2/app_info/', query), fromV2);
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
    ...v1Components(d),
  ];
}
