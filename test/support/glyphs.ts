import type { Page } from 'playwright-core';

// Runs in the page (plain JS: this project type-checks without the DOM library).
const IN_PAGE = `(selector, limit) => {
  const chars = [...new Set(document.body.innerText.match(/\\p{Script=Han}/gu) || [])].slice(0, limit);
  const family = getComputedStyle(document.querySelector(selector) || document.body).fontFamily;
  const c = document.createElement('canvas');
  c.width = 48;
  c.height = 48;
  const g = c.getContext('2d', { willReadFrequently: true });
  const draw = (ch) => {
    g.clearRect(0, 0, 48, 48);
    g.font = '32px ' + family;
    g.textBaseline = 'top';
    g.fillText(ch, 4, 4);
    const d = g.getImageData(0, 0, 48, 48).data;
    let h = 0;
    for (let i = 3; i < d.length; i += 4) h = (Math.imul(h, 31) + d[i]) >>> 0;
    return h;
  };
  const box = draw(String.fromCodePoint(0x10fffd));
  const seen = new Set();
  const missing = [];
  for (const ch of chars) {
    const h = draw(ch);
    if (h === box || seen.has(h)) missing.push(ch);
    else seen.add(h);
  }
  return { chars: chars.length, missing };
}`;

/** What `checkGlyphs` saw: Han characters on the page, those drawn as a missing-glyph box, and the fonts used. */
export interface GlyphReport {
  chars: number;
  missing: string[];
  fonts: string[];
}

/**
 * Did the page's Chinese text get real glyphs? Draws every distinct Han character of the page
 * (up to `limit`) on a canvas in the font of `selector` and compares its pixels with a code point
 * no font has (U+10FFFD): a character drawn like it, or like another different character, is a
 * missing-glyph box. Without a CJK font every character fails this. Also lists the platform
 * fonts Chromium used for `selector` (CDP CSS.getPlatformFontsForNode).
 */
export async function checkGlyphs(page: Page, selector = 'h1', limit = 200): Promise<GlyphReport> {
  const r = (await page.evaluate(`(${IN_PAGE})(${JSON.stringify(selector)}, ${limit})`)) as {
    chars: number;
    missing: string[];
  };
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument');
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
    const { fonts } = nodeId
      ? await cdp.send('CSS.getPlatformFontsForNode', { nodeId })
      : { fonts: [] as { familyName: string }[] };
    return { ...r, fonts: fonts.map((f) => f.familyName) };
  } finally {
    await cdp.detach();
  }
}
