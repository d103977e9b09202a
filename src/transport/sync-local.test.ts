import { describe, expect, it } from 'vitest';
import { excluder } from './sync-local';

describe('excluder', () => {
  it('matches a bare pattern against any path component, and covers what is below it', () => {
    const skip = excluder(['*.log', 'node_modules']);
    expect(skip('a/b/x.log')).toBe(true);
    expect(skip('node_modules')).toBe(true);
    expect(skip('lib/node_modules/x/y.js')).toBe(true);
    expect(skip('a/x.logs')).toBe(false);
    expect(skip('my_node_modules/x')).toBe(false);
  });

  it('anchors a pattern with a slash at the root; * stays in a component, ** crosses them', () => {
    const skip = excluder(['/cache', 'etc/*.bak', 'docs/**/draft.md']);
    expect(skip('cache/a')).toBe(true);
    expect(skip('x/cache/a')).toBe(false);
    expect(skip('etc/a.bak')).toBe(true);
    expect(skip('etc/sub/a.bak')).toBe(false);
    expect(skip('docs/a/b/draft.md')).toBe(true);
    expect(skip('docs.md')).toBe(false);
  });

  it('excludes nothing without patterns', () => {
    expect(excluder([])('anything/at/all')).toBe(false);
  });
});
