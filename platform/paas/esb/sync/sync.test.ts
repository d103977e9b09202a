import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PaasDeps, startPaasDeps } from '../../../../test/support/paas';
import { exec, rows } from '../../common/db/pool';
import { desiredCatalog } from './source';
import { syncEsb } from './sync';

let deps: PaasDeps;
beforeAll(async () => {
  deps = await startPaasDeps();
});
afterAll(async () => {
  await deps?.stop();
});

const snapshot = async () => ({
  systems: await rows(deps.db, 'SELECT * FROM esb_component_system ORDER BY id'),
  channels: await rows(deps.db, 'SELECT * FROM esb_channel ORDER BY id'),
  docs: await rows(deps.db, 'SELECT * FROM esb_api_doc ORDER BY id'),
  wl: await rows(deps.db, 'SELECT * FROM esb_function_controller'),
});

describe('esb sync', () => {
  const want = desiredCatalog();
  // Docs are rendered for visible channels only (the v1 bk_login/bk_paas forms are hidden).
  const documented = want.components.filter((c) => !c.isHidden).length;
  it('fills an empty catalog once even when two hosts run it at the same time', async () => {
    const [a, b] = await Promise.all([syncEsb(deps.db), syncEsb(deps.db)]);
    expect(a.channels.created.length + b.channels.created.length).toBe(want.components.length);
    expect([...a.channels.created, ...b.channels.created].sort()).toEqual(
      want.components.map((c) => c.path).sort(),
    );
    expect(a.docs.rendered.length + b.docs.rendered.length).toBe(documented);
    expect([...a.whitelistAdded, ...b.whitelistAdded].sort()).toEqual([
      'bk_cdman',
      'bk_fta_solutions',
      'bk_monitor',
      'fta_solutions',
      'gcloud',
    ]);
    const names = (await rows<{ name: string }>(deps.db, 'SELECT name FROM esb_component_system')).map(
      (s) => s.name,
    );
    expect(names).toEqual(expect.arrayContaining(['BK_LOGIN', 'BK_PAAS', 'CC', 'SOPS', 'ESB', 'MONITOR']));
  });

  it('changes nothing the second time', async () => {
    const before = await snapshot();
    const r = await syncEsb(deps.db);
    expect(r).toEqual({
      systems: { created: [], updated: [] },
      channels: { created: [], updated: [] },
      whitelistAdded: [],
      docs: { rendered: [], unchanged: documented },
    });
    expect(await snapshot()).toEqual(before);
  });

  it('keeps admin-edited fields and re-renders only changed docs', async () => {
    await exec(
      deps.db,
      "UPDATE esb_channel SET timeout_time = 7, type = 1, rate_limit_required = 1, name = 'renamed' WHERE path = '/v2/cc/search_host/'",
    );
    await exec(
      deps.db,
      "UPDATE esb_component_system SET remark = 'edited', query_timeout = 9 WHERE name = 'CC'",
    );
    await exec(deps.db, "UPDATE esb_function_controller SET wlist = 'mine', switch_status = 0");
    await exec(
      deps.db,
      "UPDATE esb_api_doc d JOIN esb_channel c ON c.id = d.component_id SET d.doc_md_md5 = 'stale' WHERE c.path = '/v2/bk_login/get_user/'",
    );
    const r = await syncEsb(deps.db);
    expect(r.channels.updated).toEqual(['/v2/cc/search_host/']);
    expect(r.docs.rendered).toEqual(['/v2/bk_login/get_user/']);
    const [ch] = await rows<{
      name: string;
      timeout_time: number;
      type: number;
      rate_limit_required: number;
    }>(deps.db, "SELECT * FROM esb_channel WHERE path = '/v2/cc/search_host/'");
    expect(ch).toMatchObject({ name: '根据条件查询主机', timeout_time: 7, type: 1, rate_limit_required: 1 });
    const [sys] = await rows(
      deps.db,
      "SELECT remark, query_timeout FROM esb_component_system WHERE name = 'CC'",
    );
    expect(sys).toEqual({ remark: 'edited', query_timeout: 9 });
    const [wl] = await rows<{ wlist: string; switch_status: number }>(
      deps.db,
      'SELECT wlist, switch_status FROM esb_function_controller',
    );
    expect(wl!.switch_status).toBe(0);
    expect(wl!.wlist.split(',')[0]).toBe('mine');
    expect(wl!.wlist.split(',')).toContain('bk_monitor');
  });

  it('stores Markdown and HTML docs for every visible channel', async () => {
    const hidden = '/v2/sops/start_task/{task_id}/{bk_biz_id}/';
    await exec(deps.db, 'UPDATE esb_channel SET is_hidden = 1 WHERE path = ?', [hidden]);
    await exec(
      deps.db,
      'DELETE d FROM esb_api_doc d JOIN esb_channel c ON c.id = d.component_id WHERE c.path = ?',
      [hidden],
    );
    expect((await syncEsb(deps.db)).docs.rendered).toEqual([]);
    const docs = await rows<{ path: string; doc_md: string; doc_html: string }>(
      deps.db,
      'SELECT c.path, d.doc_md, d.doc_html FROM esb_channel c JOIN esb_api_doc d ON d.component_id = c.id',
    );
    expect(docs.length).toBe(documented - 1);
    expect(docs.map((d) => d.path)).not.toContain(hidden);
    const get = docs.find((d) => d.path === '/v2/bk_login/get_user/')!;
    const html = JSON.parse(get.doc_html) as Record<string, string>;
    expect(Object.keys(html).sort()).toEqual(['en', 'zh_hans']);
    expect(html.en).toContain('<table>');
    expect(html.en).toContain('<code>/api/c/compapi/v2/bk_login/get_user/</code>');
    expect(html.en).toContain('bk_app_secret');
    expect(html.zh_hans).toContain('请求地址');
    expect(JSON.parse(get.doc_md).en).not.toContain('common_args_desc');
    const cc = JSON.parse(docs.find((d) => d.path === '/v2/cc/search_business/')!.doc_html).en as string;
    expect(cc).toMatch(/<pre><code class="language-json">/);
  });
});
