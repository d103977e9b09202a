// open_paas.json, the one config file the four PaaS programs share: written by the controller
// (src/modules/paas/config.ts) and read on the host (platform/paas/common/config), both through
// this schema.
import { z } from 'zod';

/** The four PaaS programs; each picks its own listen port from the shared config. */
export const PROGRAMS = ['appengine', 'paas', 'esb', 'login'] as const;
export type ProgramName = (typeof PROGRAMS)[number];

const port = z.number().int().min(1).max(65535);
const url = z
  .string()
  .regex(/^https?:\/\/[^/\s]+$/, 'expected a base URL like http://127.0.0.1:8003 (no path)');

/** The `license` section: where appengine asks the license service and with which certificates. */
export const LicenseSectionSchema = z.object({
  url: z.string().regex(/^https:\/\/[^/\s]+$/, 'expected https://host:port'),
  caPath: z.string().min(1),
  certPath: z.string().min(1),
  keyPath: z.string().min(1),
});
export type LicenseSection = z.infer<typeof LicenseSectionSchema>;

/** Shape of the JSON config file rendered at install, shared by all four programs. */
export const ConfigSchema = z.object({
  db: z.object({
    host: z.string().min(1),
    port: port.default(3306),
    user: z.string().min(1),
    password: z.string(),
    database: z
      .string()
      .regex(/^[A-Za-z0-9_]+$/, 'expected letters, digits and _')
      .default('open_paas'),
  }),
  redis: z.object({ host: z.string().min(1), port: port.default(6379), password: z.string().default('') }),
  domains: z.object({
    PAAS_DOMAIN: z.string().min(1),
    PAAS_INNER_DOMAIN: z.string().min(1),
    BK_COOKIE_DOMAIN: z
      .string()
      .regex(/^\.?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/, 'expected a domain like .bking.com'),
    HTTP_SCHEMA: z.enum(['http', 'https']).default('http'),
  }),
  secrets: z.object({
    SECRET_KEY: z.string().min(16, 'expected at least 16 characters'),
    ESB_TOKEN: z.string().min(16, 'expected at least 16 characters'),
  }),
  listen: z
    .object({
      host: z.string().default('0.0.0.0'),
      ports: z
        .object({
          appengine: port.default(8000),
          paas: port.default(8001),
          esb: port.default(8002),
          login: port.default(8003),
        })
        .prefault({}),
    })
    .prefault({}),
  urls: z
    .object({
      appengine: url.default('http://127.0.0.1:8000'),
      paas: url.default('http://127.0.0.1:8001'),
      esb: url.default('http://127.0.0.1:8002'),
      login: url.default('http://127.0.0.1:8003'),
    })
    .prefault({}),
  /** Addresses of reverse proxies whose X-Forwarded-For is believed (nginx hosts). */
  trustProxy: z.array(z.string()).default(['127.0.0.1', '::1']),
  /** Each program logs to `<logDir>/<program>.log`; without it, to stdout. */
  logDir: z.string().optional(),
  /** Language of a browser that has not chosen one (globals.env BK_LANGUAGE) and the platform's time zone. */
  i18n: z
    .object({
      language: z.enum(['zh-cn', 'en']).default('zh-cn'),
      timeZone: z.string().default('Asia/Shanghai'),
    })
    .prefault({}),
  admin: z
    .object({ PAAS_ADMIN_USER: z.string().default('admin'), PAAS_ADMIN_PASS: z.string().optional() })
    .prefault({}),
  /** appengine's license check; null or absent when the platform runs without a license service. */
  license: LicenseSectionSchema.nullable().optional(),
});
/** The config as the programs read it (defaults filled in). */
export type PaasConfig = z.infer<typeof ConfigSchema>;
/** The config as the controller writes it (defaulted fields may be left out). */
export type PaasConfigInput = z.input<typeof ConfigSchema>;

/** Thrown for a missing, unreadable or invalid config file; the message lists every problem. */
export class ConfigError extends Error {}

/** Validate an already-parsed config object; `source` names it in errors. */
export function parseConfig(raw: unknown, source: string): PaasConfig {
  const r = ConfigSchema.safeParse(raw);
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new ConfigError(`invalid config ${source}:\n${lines.join('\n')}`);
}
