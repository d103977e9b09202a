import type { FastifyInstance, FastifyRequest } from 'fastify';
import { html, raw } from '../../common/html/html';
import { thtml } from '../../common/html/t';
import { sendError } from '../../common/http/server';
import { lang, t } from '../../common/i18n';
import { type PaasCtx, requireUser } from '../context';
import { paasPage } from '../views';
import { docApis, docHtml, docSystem, docSystems } from './store';

const NEW_DAYS = 90;
// doc_html is keyed `zh-hans` / `en` (written by the ESB sync); follow the page language
const docLang = () => (lang() === 'zh-CN' ? 'zh-hans' : 'en');

/** API doc pages over the tables the ESB sync fills (reference §4.8). */
export function docRoutes(app: FastifyInstance, ctx: PaasCtx): void {
  const index = async (req: FastifyRequest, reply: import('fastify').FastifyReply) => {
    const u = await requireUser(ctx, req, reply);
    if (!u) return reply;
    const systems = await docSystems(ctx.db);
    const groups = new Map<string, typeof systems>();
    for (const s of systems)
      groups.set(s.category ?? t('docs.other'), [...(groups.get(s.category ?? t('docs.other')) ?? []), s]);
    const body = html`<h1>${t('docs.title')}</h1><p class="muted">${thtml('docs.intro', { path: html`<code>/api/c/compapi/…</code>` })}</p>
${systems.length === 0 ? html`<div class="card muted">${t('docs.none')}</div>` : ''}
${[...groups].map(
  ([cat, list]) =>
    html`<h2>${cat}</h2><div class="grid">${list.map(
      (s) =>
        html`<a class="tile" href="/esb/api_docs/system/${s.name}/"><strong>${s.name}</strong>${s.label}<br><span class="muted small">${t('docs.api_count', { n: Number(s.apis) })}</span></a>`,
    )}</div>`,
)}`;
    return reply
      .type('text/html; charset=utf-8')
      .send(paasPage(u, t('nav.api_docs'), body, { active: '/esb/api_docs/' }).value);
  };
  app.get('/esb/api_docs/', index);
  app.get('/esb/api_docs/system/', index);

  app.get<{ Params: { sys: string } }>('/esb/api_docs/system/:sys/', async (req, reply) => {
    const u = await requireUser(ctx, req, reply);
    if (!u) return reply;
    const s = await docSystem(ctx.db, req.params.sys);
    if (!s) return sendError(req, reply, 404, t('docs.no_system', { name: req.params.sys }));
    const apis = await docApis(ctx.db, s.id);
    const fresh = Date.now() - NEW_DAYS * 86_400_000;
    const body = html`<p class="small"><a href="/esb/api_docs/">${t('nav.api_docs')}</a> › ${s.name}</p><h1>${s.name} <span class="muted">${s.label}</span></h1>
${s.remark ? html`<p>${s.remark}</p>` : ''}
<div class="scroll"><table><thead><tr><th>${t('docs.col_api')}</th><th>${t('docs.col_description')}</th><th>${t('docs.col_path')}</th></tr></thead><tbody>
${apis.map(
  (
    a,
  ) => html`<tr><td><a class="mono" href="/esb/api_docs/system/${s.name}/${a.api}/">${a.api}</a> ${a.created_time.getTime() > fresh ? html`<span class="tag">${t('docs.new')}</span>` : ''}</td>
<td>${a.label}</td><td class="mono small">/api/c/compapi${a.path}</td></tr>`,
)}
${apis.length === 0 ? html`<tr><td colspan="3" class="muted">${t('docs.no_apis')}</td></tr>` : ''}</tbody></table></div>`;
    return reply
      .type('text/html; charset=utf-8')
      .send(paasPage(u, t('docs.system_title', { name: s.name }), body, { active: '/esb/api_docs/' }).value);
  });

  app.get<{ Params: { sys: string; api: string } }>('/esb/api_docs/system/:sys/:api/', async (req, reply) => {
    const u = await requireUser(ctx, req, reply);
    if (!u) return reply;
    const s = await docSystem(ctx.db, req.params.sys);
    const api = s && (await docApis(ctx.db, s.id)).find((a) => a.api === req.params.api);
    if (!s || !api)
      return sendError(req, reply, 404, t('docs.no_api', { name: `${req.params.sys}/${req.params.api}` }));
    const doc = await docHtml(ctx.db, api.id, docLang());
    // doc_html is rendered by our own ESB sync from bundled Markdown; CSP blocks scripts in it.
    const body = html`<p class="small"><a href="/esb/api_docs/">${t('nav.api_docs')}</a> › <a href="/esb/api_docs/system/${s.name}/">${s.name}</a> › ${api.api}</p>
<h1 class="mono">${api.api}</h1><p>${api.label}</p>
<div class="card"><dl class="kv"><dt>URL</dt><dd class="mono">/api/c/compapi${api.path}</dd><dt>${t('docs.method')}</dt><dd>${api.method || 'GET / POST'}</dd></dl></div>
<div class="card doc">${doc ? raw(doc) : html`<p class="muted">${t('docs.no_document')}</p>`}</div>`;
    return reply
      .type('text/html; charset=utf-8')
      .send(paasPage(u, api.api, body, { active: '/esb/api_docs/' }).value);
  });

  app.get<{ Params: { sys: string; id: string } }>('/esb/api_docs/api/:sys/:id/docs/', async (req, reply) => {
    const u = await requireUser(ctx, req, reply);
    if (!u) return reply;
    const doc = await docHtml(ctx.db, Number(req.params.id) || 0, docLang());
    return doc === null
      ? reply.code(404).send({ result: false, message: t('docs.no_doc'), data: null })
      : { result: true, message: '', data: { doc_html: doc } };
  });
}
