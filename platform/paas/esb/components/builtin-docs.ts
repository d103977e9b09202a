import type { ComponentDoc } from './types';

/** Shared tail of every built-in doc: the common-parameters table is filled in at sync. */
const COMMON = '### Common parameters\n\n{{ common_args_desc }}\n';

function doc(en: string, zh: string, params: string, example: string): ComponentDoc {
  const tail = `\n### Request parameters\n\n${params}\n\n### Response example\n\n\`\`\`json\n${example}\n\`\`\`\n`;
  return { en: `${en}\n\n${COMMON}${tail}`, zh_hans: `${zh}\n\n${COMMON}${tail}` };
}

const USER =
  '{"bk_username": "admin", "chname": "Admin", "qq": "", "phone": "", "email": "", "bk_role": 1, "language": "zh-cn", "time_zone": "Asia/Shanghai"}';
const OK = (data: string) => `{"result": true, "code": 0, "message": "", "data": ${data}, "request_id": "…"}`;

/** Markdown docs of the built-in components, keyed by `<system>.<name>`. */
export const BUILTIN_DOCS: Record<string, ComponentDoc> = {
  'bk_login.is_login': doc(
    'Check whether a bk_token is valid.',
    '校验用户登录态 bk_token 是否有效。',
    '| Field | Type | Required | Description |\n|---|---|---|---|\n| bk_token | string | yes | the login cookie |',
    OK('{"bk_username": "admin"}'),
  ),
  'bk_login.get_user': doc(
    'Get one user: `bk_username`, or the current user.',
    '获取用户信息：`bk_username` 指定的用户，或当前用户。',
    '| Field | Type | Required | Description |\n|---|---|---|---|\n| bk_username | string | no | defaults to the current user |',
    OK(USER),
  ),
  'bk_login.get_all_users': doc(
    'List every user, optionally of one role.',
    '获取所有用户信息，可按角色过滤。',
    '| Field | Type | Required | Description |\n|---|---|---|---|\n| bk_role | int | no | 0 staff, 1 admin, 2 developer, 3 operator, 4 auditor |',
    OK(`[${USER}]`),
  ),
  'bk_login.get_batch_users': doc(
    'Get several users at once.',
    '批量获取用户信息。',
    '| Field | Type | Required | Description |\n|---|---|---|---|\n| bk_username_list | array | yes | usernames |',
    OK(`{"admin": ${USER}}`),
  ),
  'bk_paas.get_app_info': doc(
    'Get apps registered in the developer center.',
    '获取开发者中心的应用信息。',
    '| Field | Type | Required | Description |\n|---|---|---|---|\n| target_app_code | string | no | app codes separated by `;` |\n| fields | string | no | `introduction;creator;developer;tag` |',
    OK('[{"bk_app_code": "demo", "bk_app_name": "Demo"}]'),
  ),
  'esb.get_systems': doc(
    'List the systems ESB serves.',
    '获取 ESB 中的系统列表。',
    'None.',
    OK('[{"name": "BK_LOGIN", "label": "用户管理", "remark": ""}]'),
  ),
  'esb.get_components': doc(
    'List the visible components of some systems.',
    '获取系统的组件列表。',
    '| Field | Type | Required | Description |\n|---|---|---|---|\n| system_names | array | no | system names; all when empty |',
    OK(
      '[{"system_name": "BK_LOGIN", "name": "get_user", "path": "/api/c/compapi/v2/bk_login/get_user/", "method": "GET"}]',
    ),
  ),
};
