// license.json, the license service's config: written by the controller
// (src/modules/license/install.ts) and read by platform/license, both through this schema.
import { z } from 'zod';
import { normalizeMac } from '../license/mac';

/** The service's config file: where to listen, which certificates, where to log, where MACs come from. */
export const LicenseConfigSchema = z
  .object({
    listen: z.string().min(1).default('0.0.0.0'),
    port: z.number().int().min(0).max(65535).default(8443),
    serverCert: z.string().min(1),
    serverKey: z.string().min(1),
    caCert: z.string().min(1),
    logFile: z.string().min(1).optional(),
    netClassDir: z.string().min(1).default('/sys/class/net'),
    macs: z.array(z.string().transform((s, ctx) => tryMac(s, ctx))).optional(),
    maxBodyBytes: z
      .number()
      .int()
      .positive()
      .default(64 * 1024),
  })
  .strict();

function tryMac(s: string, ctx: z.RefinementCtx): string {
  try {
    return normalizeMac(s);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
    return z.NEVER;
  }
}

/** The config as the controller writes it (defaulted fields may be left out). */
export type LicenseConfigInput = z.input<typeof LicenseConfigSchema>;
