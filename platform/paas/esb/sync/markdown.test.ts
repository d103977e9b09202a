import { describe, expect, it } from 'vitest';
import { renderMarkdown, safeUrl } from './markdown';

describe('renderMarkdown', () => {
  it('renders GFM tables and fenced code', () => {
    const html = renderMarkdown('| a | b |\n|---|---|\n| 1 | 2 |\n\n```json\n{"x": "<y>"}\n```\n');
    expect(html).toContain('<table>');
    expect(html).toContain('<code class="language-json">{&quot;x&quot;: &quot;&lt;y&gt;&quot;}');
  });
  it('escapes raw HTML and drops unsafe link targets', () => {
    const html = renderMarkdown(
      '<script>alert(1)</script>\n\nhi <img src=x onerror=alert(1)> [x](javascript:alert(1)) [y](https://ok.example/) ![i](data:text/html,1)',
    );
    expect(html).not.toMatch(/<script|<img|javascript:|data:/i);
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('<a href="https://ok.example/">y</a>');
  });
  it.each([
    ['https://a/', true],
    ['/api/c/', true],
    ['#top', true],
    ['mailto:a@b', true],
    ['javascript:x', false],
    ['java\tscript:x', false],
    [' JAVASCRIPT:x', false],
    ['vbscript:x', false],
  ])('safeUrl(%j) is %s', (u, ok) => expect(safeUrl(u)).toBe(ok));
});
