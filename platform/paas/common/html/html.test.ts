import { describe, expect, it } from 'vitest';
import { runWith } from '../i18n/context';
import { escapeHtml, html, raw } from './html';
import { page } from './layout';
import { thtml } from './t';

describe('html', () => {
  it('escapes interpolations, keeps SafeHtml, joins arrays, drops null/false', () => {
    const evil = `<script>alert("x")</script>&'`;
    expect(html`<p>${evil}</p>`.value).toBe(
      '<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;</p>',
    );
    expect(html`<a title="${'"onmouseover="x'}">`.value).toBe('<a title="&quot;onmouseover=&quot;x">');
    expect(html`${[html`<b>${'<'}</b>`, 'c&']}${null}${false}${undefined}${0}`.value).toBe(
      '<b>&lt;</b>c&amp;0',
    );
    expect(html`${raw('<i>ok</i>')}`.value).toBe('<i>ok</i>');
    expect(escapeHtml('a<b')).toBe('a&lt;b');
  });
  it('page escapes the title, flash and user name', () => {
    const p = runWith({ lang: 'en', timeZone: 'UTC' }, () =>
      page({
        title: '<t>',
        body: html`<p>x</p>`,
        flash: { kind: 'error', text: '<e>' },
        user: { name: '<u>', role: 'developer', logoutHref: '/logout/' },
      }),
    ).value;
    expect(p).toContain('<title>&lt;t&gt; · BlueKing PaaS</title>');
    expect(p).toContain('<div class="flash error" role="alert">&lt;e&gt;</div>');
    expect(p).toContain('&lt;u&gt;');
    expect(p).not.toMatch(/https?:\/\//);
  });
});

describe('thtml', () => {
  it('escapes the message and its text params, keeps SafeHtml params, ignores forged markers', () => {
    const link = html`<a href="/console/">${'<console>'}</a>`;
    const out = runWith({ lang: 'en', timeZone: 'UTC' }, () =>
      thtml('home.not_developer', { console: link }),
    ).value;
    expect(out).toBe(
      'Your role does not include the developer center. Open the <a href="/console/">&lt;console&gt;</a> to use the apps that are online.',
    );
    const zh = runWith({ lang: 'zh-CN', timeZone: 'UTC' }, () =>
      thtml('home.not_developer', { console: link }),
    ).value;
    expect(zh).toContain('请打开<a href="/console/">&lt;console&gt;</a>使用');
    const forged = runWith({ lang: 'en', timeZone: 'UTC' }, () =>
      thtml('home.welcome', { name: '<b>\u00010\u0002</b>' }),
    ).value;
    expect(forged).toBe('Welcome, &lt;b&gt;0&lt;/b&gt;');
  });
});
