import { Marked, type Tokens } from 'marked';
import { escapeHtml } from '../../common/html/html';

/** True for URLs a doc may link to: http(s), mailto, relative paths, anchors (no `javascript:` & co). */
export function safeUrl(href: string): boolean {
  // Browsers ignore tabs, newlines and controls inside a scheme, so judge the URL without them.
  const h = href.replace(/[\u0000-\u0020\u007f]/g, '');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(h);
  if (scheme) return ['http', 'https', 'mailto'].includes(scheme[1]!.toLowerCase());
  return !h.startsWith('//') && !h.startsWith('\\');
}

const marked = new Marked({
  gfm: true,
  renderer: {
    // Raw HTML in a doc is shown as text, never interpreted.
    html(token: Tokens.HTML | Tokens.Tag) {
      return escapeHtml(token.text);
    },
    link(token: Tokens.Link) {
      return safeUrl(token.href) ? false : escapeHtml(token.text);
    },
    image(token: Tokens.Image) {
      return safeUrl(token.href) ? false : escapeHtml(token.text);
    },
  },
});

/** Markdown → HTML with GFM tables and fenced code; raw HTML escaped and unsafe URLs dropped. */
export function renderMarkdown(md: string): string {
  return marked.parse(md, { async: false });
}
