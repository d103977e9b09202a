// agent.json, the app agent's config (appo/appt hosts): written by the controller
// (src/modules/appagent/config.ts) and read by platform/agent, both through this schema.
import { z } from 'zod';

const abs = z.string().regex(/^\//, 'expected an absolute path');

/** The agent's JSON config (rendered at install; mode 0600: it holds the server token). */
export const AgentConfigSchema = z.object({
  /** Server id and token of this agent as registered with appengine (`X-ID` / `X-TOKEN`). */
  sid: z.string().min(16, 'expected the server id (16+ characters)'),
  token: z.string().min(16, 'expected the server token (16+ characters)'),
  /** Base URL where appengine's `/v1` answers (the PaaS front door or appengine itself). */
  controllerUrl: z.string().regex(/^https?:\/\/[^/\s]+$/, 'expected a base URL like http://paas.bking.com'),
  /** test (appt, `/t/<code>/`) or prod (appo, `/o/<code>/`). */
  mode: z.enum(['test', 'prod']),
  /** The host's LAN address (never a wildcard: the API is for appengine only) and port. */
  listen: z.object({
    host: z
      .string()
      .regex(/^\d{1,3}(\.\d{1,3}){3}$/, 'expected the LAN IPv4 address of this host')
      .refine((h) => h !== '0.0.0.0', 'expected the LAN address, not the wildcard 0.0.0.0'),
    port: z.number().int().min(0).max(65535).default(4245),
  }),
  /** Addresses allowed to call `/v1/app/*` (appengine's hosts); everyone else gets 403. */
  allowFrom: z.array(z.string().regex(/^\d{1,3}(\.\d{1,3}){3}$/, 'expected an IPv4 address')).min(1),
  /** Apps live in `<appsDir>/<code>/` (code, env file, port). */
  appsDir: abs,
  /** Each app's output goes to `<logDir>/app-<code>.log`. */
  logDir: abs,
  /** The platform's node; deployed apps run with it. */
  nodeBin: abs,
  /** npm's CLI script (npm-cli.js) run with nodeBin; only needed for apps with dependencies. */
  npmCli: abs.optional(),
  /** Registry for npm (`npm_config_registry`); the default registry when absent. */
  npmRegistry: z.string().optional(),
  gitBin: z.string().default('git'),
  /** Debian's python3 (with venv) that Python apps' virtualenvs are made from. */
  pythonBin: abs.default('/usr/bin/python3'),
  /** pip's index (PYPI_SERVER_URL); pip's default index when absent. Packages with pkgs/ never use it. */
  pypiIndex: z
    .string()
    .regex(/^https?:\/\/\S+$/, 'expected an http(s) URL')
    .optional(),
  /**
   * Each app runs as its own Unix user `<userPrefix><code>` made by the agent, never root; the
   * default prefix is `bkt-` (test) or `bko-` (prod), so an app's test and production versions on
   * one host cannot touch each other's files either.
   */
  userPrefix: z
    .string()
    .regex(/^[a-z][a-z0-9]{0,5}-$/, 'expected a short prefix like bkt-')
    .optional(),
  supervisor: z.object({
    /** The host's supervisord.conf; it must include `<includeDir>/*.conf`. */
    conf: abs,
    includeDir: abs,
    ctlBin: z.string().default('supervisorctl'),
  }),
  nginx: z.object({
    /** The agent-side nginx.conf whose server block includes `<includeDir>/*.conf`. */
    conf: abs,
    includeDir: abs,
    /** nginx `-p` prefix when the conf uses relative paths. */
    prefix: abs.optional(),
    bin: z.string().default('nginx'),
    /** The port it listens on (APP_NGINX_PORT), probed on 127.0.0.1 after each reload. */
    port: z.number().int().min(1).max(65535),
  }),
  /**
   * The root helper (platform/agent/helper): the API runs as the service user and asks it, over
   * this unix socket, for the few things only root may do. Its folder is root:<group> 0750, the
   * socket 0660, so only root and the service user's group can connect.
   */
  helper: z
    .strictObject({
      socket: abs,
      group: z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'expected a group name'),
    })
    .optional(),
  /** Local ports handed to apps. */
  ports: z
    .object({
      from: z.number().int().min(1024).default(52000),
      to: z.number().int().max(65535).default(52999),
    })
    .prefault({}),
  /** A job (fetch, install, start) is killed after this many seconds (reference: 300). */
  jobTimeoutSec: z.number().int().min(5).default(300),
  /** How long a started app has to answer its URL. */
  healthTimeoutSec: z.number().int().min(1).default(60),
});
/** The config as the agent reads it (defaults filled in). */
export type AgentConfig = z.infer<typeof AgentConfigSchema>;
/** The config as the controller writes it (defaulted fields may be left out). */
export type AgentConfigInput = z.input<typeof AgentConfigSchema>;

/** Validate a parsed config; the error lists every bad field with `source`. */
export function parseAgentConfig(raw: unknown, source: string): AgentConfig {
  const r = AgentConfigSchema.safeParse(raw);
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new Error(`invalid agent config ${source}:\n${lines.join('\n')}`);
}
