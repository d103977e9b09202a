import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCatalogs, sourceTexts } from './check';
import { CATALOGS } from './format';

const root = resolve(__dirname, '../../../..');
const sources = sourceTexts([join(root, 'platform')]);

describe('message catalogues', () => {
  it('zh-CN and en have the same keys, same placeholders, every key used, every used key defined', () => {
    expect(checkCatalogs(CATALOGS, sources, root)).toEqual([]);
  });

  it('the check fails on a missing key, an unused key, a placeholder mismatch and an unknown t() key', () => {
    const zh = { ...CATALOGS['zh-CN'] };
    delete zh['common.sign_out'];
    zh['common.error_title'] = '错误 {code}';
    const en = { ...CATALOGS.en, 'zz.never_used': 'x' };
    const zhx = { ...zh, 'zz.never_used': 'x' };
    const src = new Map(sources).set(join(root, 'x/extra.ts'), "t('zz.not_in_catalogue')");
    expect(checkCatalogs({ en, 'zh-CN': zhx }, src, root)).toEqual([
      'zh-CN: common.error_title has placeholders {code}, en has {status}',
      'zh-CN: missing key common.sign_out',
      'unused key zz.never_used',
      "x/extra.ts: t('zz.not_in_catalogue') has no catalogue entry",
    ]);
    expect(
      checkCatalogs(
        { en: { ...CATALOGS.en, 'common.brand': '{broken' }, 'zh-CN': CATALOGS['zh-CN'] },
        sources,
        root,
      )[0],
    ).toMatch(/^en: common.brand does not parse/);
  });
});
