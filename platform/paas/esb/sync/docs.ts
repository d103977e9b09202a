import { createHash } from 'node:crypto';
import type { Component } from '../components/types';
import { renderMarkdown } from './markdown';

/** Languages docs are kept in (`esb_api_doc.doc_md` / `doc_html` are JSON keyed by these). */
export const LANGS = ['en', 'zh_hans'] as const;

const COMMON_ARGS: Record<(typeof LANGS)[number], string> = {
  en: `| Field | Type | Required | Description |
|---|---|---|---|
| bk_app_code | string | yes | the app code (app ID) |
| bk_app_secret | string | yes | the app secret (app TOKEN), shown on the app's page in the developer center |
| bk_token | string | no | the current user's login state: the bk_token cookie; one of bk_token and bk_username is needed |
| bk_username | string | no | the current user's name, accepted only for apps on the skip-user-auth whitelist |`,
  zh_hans: `| 字段 | 类型 | 必选 | 描述 |
|---|---|---|---|
| bk_app_code | string | 是 | 应用ID |
| bk_app_secret | string | 是 | 安全密钥(应用 TOKEN)，可以通过开发者中心的应用详情页获取 |
| bk_token | string | 否 | 当前用户登录态，bk_token 与 bk_username 必须一个有效 |
| bk_username | string | 否 | 当前用户用户名，仅免登录态验证白名单中的应用可用 |`,
};

const SECTION = {
  en: ['Request method', 'Request URL'],
  zh_hans: ['请求方法', '请求地址'],
};

/**
 * One language's Markdown as published: leading `api*` marker lines removed, "request method"
 * and "request URL" sections after the first paragraph, `{{ common_args_desc }}` filled in.
 */
export function publishedMarkdown(c: Component, lang: (typeof LANGS)[number], source: string): string {
  const body = source.replace(/^(\s*api[A-Za-z]*\s*:?.*\n)+/, '').trim();
  const cut = body.indexOf('\n\n');
  const head = cut < 0 ? body : body.slice(0, cut);
  const rest = cut < 0 ? '' : body.slice(cut + 2);
  const [m, u] = SECTION[lang];
  const sections = `### ${m}\n\n${c.method}\n\n### ${u}\n\n\`/api/c/compapi${c.path}\`\n`;
  return (
    `${head}\n\n${sections}\n${rest}`.replace(/\{\{\s*common_args_desc\s*\}\}/g, COMMON_ARGS[lang]).trim() +
    '\n'
  );
}

/** A component's published Markdown per language, as the `doc_md` JSON text and its md5; undefined without a doc. */
export function docSource(
  c: Component,
): { md: string; md5: string; byLang: Record<string, string> } | undefined {
  const byLang: Record<string, string> = {};
  for (const lang of LANGS) {
    const src = c.doc[lang] ?? (lang === 'zh_hans' ? c.doc.en : undefined);
    if (src) byLang[lang] = publishedMarkdown(c, lang, src);
  }
  if (Object.keys(byLang).length === 0) return undefined;
  const md = JSON.stringify(byLang);
  return { md, md5: createHash('md5').update(md).digest('hex'), byLang };
}

/** The `doc_html` JSON text: each language rendered and sanitised. */
export function docHtml(byLang: Record<string, string>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(byLang).map(([k, v]) => [k, renderMarkdown(v)])));
}
