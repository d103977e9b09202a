import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFAPI_FILES } from './bundle.gen';
import { CONFAPI_DIR } from './gen';
import { confapiDefs, parseConfapiFile } from './schema';

describe('confapis', () => {
  it('the bundled module matches the YAML files (run confapis/gen.ts after editing them)', () => {
    const onDisk = Object.fromEntries(
      readdirSync(CONFAPI_DIR)
        .filter((f) => f.endsWith('.yaml'))
        .map((f) => [f, readFileSync(join(CONFAPI_DIR, f), 'utf8')]),
    );
    expect(CONFAPI_FILES).toEqual(onDisk);
  });
  it('every bundled file is valid and paths are unique', () => {
    const { apis, systems } = confapiDefs(CONFAPI_FILES);
    expect(systems.map((s) => s.name).sort()).toEqual(['CC', 'SOPS']);
    expect(apis.find((a) => a.path === '/v2/sops/get_template_list/{bk_biz_id}/')).toMatchObject({
      system: 'SOPS',
      dest_http_method: 'GET',
    });
  });
  it('names the file and field of a bad definition', () => {
    expect(() => parseConfapiFile('bad.yaml', 'system: {name: cc, label: x}\napis: []')).toThrow(
      /bad.yaml[\s\S]*system.name[\s\S]*apis/,
    );
    const dup =
      'system: {name: X, label: x}\napis:\n  - {path: /v2/x/a/, name: a, label: a, dest_path: /a, dest_http_method: GET}\n';
    expect(() => confapiDefs({ 'a.yaml': dup, 'b.yaml': dup })).toThrow(
      /declared twice \(second time in b.yaml\)/,
    );
  });
});
