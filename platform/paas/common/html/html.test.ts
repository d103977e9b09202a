import { describe, expect, it } from 'vitest';
import { runWith } from '../i18n/context';
import { escapeHtml, html, raw } from './html';
import { page } from './layout';

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
