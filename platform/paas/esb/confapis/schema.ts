import { parse } from 'yaml';
import { z } from 'zod';
import { normalisePath } from '../routing/path';

const Api = z.object({
  path: z.string().regex(/^\/[/a-zA-Z0-9_{}-]+$/, 'expected a path like /v2/cc/search_business/'),
  name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'expected a snake_case name'),
  label: z.string().min(1),
  label_en: z.string().default(''),
  api_type: z.enum(['query', 'operate']).default('query'),
  suggest_method: z.enum(['GET', 'POST']).default('POST'),
  dest_path: z.string().regex(/^\/\S*$/, 'expected a path starting with /'),
  dest_http_method: z.enum(['GET', 'POST', 'PUT', 'DELETE', 'PATCH']),
  is_hidden: z.boolean().default(false),
  doc: z.object({ en: z.string().optional(), zh_hans: z.string().optional() }).default({}),
});

/** One YAML file of declarative components: its system and its APIs. */
export const ConfapiFile = z.object({
  system: z.object({
    name: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'expected an upper-case system name'),
    label: z.string().min(1),
    remark: z.string().default(''),
    doc_category: z.string().default('默认分类'),
  }),
  apis: z.array(Api).min(1),
});
export type ConfapiFile = z.infer<typeof ConfapiFile>;
export type ConfapiDef = z.infer<typeof Api> & { system: string };

/** Parse and validate one YAML file; errors name the file and the field. */
export function parseConfapiFile(name: string, text: string): ConfapiFile {
  const r = ConfapiFile.safeParse(parse(text));
  if (!r.success)
    throw new Error(
      `invalid confapi file ${name}:\n${r.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  return r.data;
}

/** Every API of the given files, paths normalised; a path declared twice is an error. */
export function confapiDefs(files: Record<string, string>): {
  systems: ConfapiFile['system'][];
  apis: ConfapiDef[];
} {
  const systems: ConfapiFile['system'][] = [];
  const apis: ConfapiDef[] = [];
  const seen = new Set<string>();
  for (const [name, text] of Object.entries(files)) {
    const f = parseConfapiFile(name, text);
    systems.push(f.system);
    for (const a of f.apis) {
      const path = normalisePath(a.path);
      if (seen.has(path)) throw new Error(`confapi path ${path} is declared twice (second time in ${name})`);
      seen.add(path);
      apis.push({ ...a, path, system: f.system.name });
    }
  }
  return { systems, apis };
}
