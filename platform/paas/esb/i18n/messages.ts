import { MAX_SKEW_SEC } from '../auth/signature';
import type { Msg } from './lang';

/** ESB's own messages in English and Chinese (a small table until the platform has a shared one). */
export const M = {
  appCodeEmpty: (): Msg => ({
    en: 'APP Code [bk_app_code] cannot be empty',
    zh: 'APP Code [bk_app_code] 不能为空',
  }),
  appSecretEmpty: (): Msg => ({
    en: 'APP Secret [bk_app_secret] cannot be empty',
    zh: 'APP Secret [bk_app_secret] 不能为空',
  }),
  appCodeBad: (c: string): Msg => ({ en: `APP Code [${c}] is not valid`, zh: `APP Code [${c}] 不合法` }),
  appUnknown: (c: string): Msg => ({
    en: `APP Code [${c}] is not valid, please confirm that the APP Code has been registered`,
    zh: `APP Code [${c}] 不合法，请确认该 APP Code 已注册`,
  }),
  secretMismatch: (): Msg => ({
    en: 'APP Secret verification failed, please check that bk_app_code and bk_app_secret match',
    zh: 'APP Secret 校验失败，请检查 bk_app_code 与 bk_app_secret 是否匹配',
  }),
  accountOnly: (c: string): Msg => ({
    en: `APP Secret verification failed: APP [${c}] is a platform account (whitelisted or in esb_app_account), only its ESB account secret is accepted`,
    zh: `APP Secret 校验失败：APP [${c}] 为平台账号（在白名单或 esb_app_account 中），仅接受其 ESB 账号密钥`,
  }),
  nonceBad: (): Msg => ({
    en: 'bk_nonce must be a positive integer in the query string',
    zh: 'bk_nonce 须为查询字符串中的正整数',
  }),
  timestampBad: (): Msg => ({
    en: 'bk_timestamp must be a Unix timestamp in the query string',
    zh: 'bk_timestamp 须为查询字符串中的 Unix 时间戳',
  }),
  timestampSkew: (s: number): Msg => ({
    en: `bk_timestamp is ${s} s away from now; at most ${MAX_SKEW_SEC} s is accepted`,
    zh: `bk_timestamp 与当前时间相差 ${s} 秒，最多允许 ${MAX_SKEW_SEC} 秒`,
  }),
  signatureBad: (): Msg => ({
    en: 'APP signature verification failed, please check bk_signature, the secret and the signed parameters',
    zh: 'APP 签名校验失败，请检查 bk_signature、密钥与参与签名的参数',
  }),
  replayed: (): Msg => ({
    en: 'APP signature verification failed: this bk_nonce and bk_timestamp were already used (replayed request)',
    zh: 'APP 签名校验失败：该 bk_nonce 与 bk_timestamp 已被使用（重放请求）',
  }),
  nonceStoreDown: (): Msg => ({
    en: 'Signed calls are refused while the nonce store (Redis) is unavailable; retry later or use bk_app_secret',
    zh: '随机数存储（Redis）不可用，暂不接受签名调用；请稍后重试或使用 bk_app_secret',
  }),
  headerJson: (why: string): Msg => ({
    en: `X-Bkapi-Authorization must be a JSON object such as {"bk_app_code": "...", "bk_app_secret": "...", "bk_username": "..."}: ${why}`,
    zh: `X-Bkapi-Authorization 须为 JSON 对象，例如 {"bk_app_code": "...", "bk_app_secret": "...", "bk_username": "..."}：${why}`,
  }),
  headerType: (key: string): Msg => ({
    en: `X-Bkapi-Authorization: ${key} must be a string`,
    zh: `X-Bkapi-Authorization：${key} 须为字符串`,
  }),
  accessTokenBad: (): Msg => ({
    en: 'User authentication failed: the access_token is not valid or has expired',
    zh: '用户认证失败：access_token 无效或已过期',
  }),
  noUser: (): Msg => ({
    en: 'User authentication failed, please provide a valid user identity, such as bk_token, bk_username',
    zh: '用户认证失败，请提供有效的用户身份，如 bk_token、bk_username',
  }),
  loginDown: (why: string): Msg => ({
    en: `User authentication failed: the login service did not answer (${why})`,
    zh: `用户认证失败：登录服务无应答（${why}）`,
  }),
  tokenBad: (): Msg => ({
    en: 'User authentication failed, please check if the bk_token is valid',
    zh: '用户认证失败，请检查 bk_token 是否有效',
  }),
  notWhitelisted: (c: string): Msg => ({
    en: `User authentication failed: APP [${c}] is not on the skip-user-auth whitelist, so bk_username is not accepted; please provide a valid bk_token`,
    zh: `用户认证失败：APP [${c}] 不在免登录态验证白名单中，不接受 bk_username；请提供有效的 bk_token`,
  }),
  noPermission: (app: string, path: string): Msg => ({
    en: `APP [${app}] has no permission to call the component ${path}, please apply for it`,
    zh: `APP [${app}] 没有调用组件 ${path} 的权限，请先申请`,
  }),
  rateLimited: (app: string, path: string): Msg => ({
    en: `APP [${app}] exceeded the rate limit of ${path}, please retry later`,
    zh: `APP [${app}] 超出了 ${path} 的频率限制，请稍后重试`,
  }),
  inactive: (path: string): Msg => ({
    en: `The channel ${path} is not active`,
    zh: `通道 ${path} 未启用`,
  }),
  componentMissing: (name: string): Msg => ({
    en: `The component ${name} was not found`,
    zh: `组件 ${name} 不存在`,
  }),
  unknownPath: (path: string): Msg => ({
    en: `The component ${path} does not exist: check the system and component names (paths look like /api/c/compapi/v2/<system>/<component>/)`,
    zh: `组件 ${path} 不存在：请检查系统与组件名称（路径形如 /api/c/compapi/v2/<system>/<component>/）`,
  }),
  method: (method: string): Msg => ({
    en: `Request method ${method} is not supported: components answer GET and POST`,
    zh: `不支持请求方法 ${method}：组件只接受 GET 与 POST`,
  }),
  tooLarge: (max: number): Msg => ({
    en: `Request body larger than ${max} bytes`,
    zh: `请求体超过 ${max} 字节`,
  }),
  internal: (): Msg => ({ en: 'internal error', zh: '内部错误' }),
  bodyJson: (why: string): Msg => ({
    en: `Request parameter error: the body is not valid JSON (${why})`,
    zh: `请求参数错误：请求体不是合法的 JSON（${why}）`,
  }),
  bodyNotObject: (): Msg => ({
    en: 'Request parameter error: expected a JSON object in the body, found another JSON value',
    zh: '请求参数错误：请求体须为 JSON 对象',
  }),
  component: (why: string): Msg => ({ en: `Component error: ${why}`, zh: `组件错误：${why}` }),
} as const;
