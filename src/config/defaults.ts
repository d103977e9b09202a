// Default ports (ports.env) and which module binds which of them, from the module manifests: shared
// by init and validation.
import { manifests } from '../modules';

/** A ports.env entry: name, default value (may reference an earlier one), what it is for. */
export type PortDefault = readonly [name: string, value: string, comment: string];

/** Every port ports.env must define, in file order (modules in manifest order); legacy names. */
export const PORT_DEFAULTS: readonly PortDefault[] = [
  ...new Map(
    manifests.flatMap((m) => m.ports ?? []).map((p) => [p.name, [p.name, p.default, p.comment] as const]),
  ).values(),
];

/** The ports each module listens on, to find two modules of one host wanting the same port. */
export const MODULE_PORTS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  manifests.map((m) => [m.name, (m.ports ?? []).map((p) => p.name)]),
);
