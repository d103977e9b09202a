// Debian packages a module needs on its hosts: installed when missing (offline .deb files first),
// without letting the distro start its own copy of the service.
import type { Step } from '../../engine/types';

/** A step that makes sure `packages` are installed. Debs in `debDir` (default $INSTALL_PATH/src/debs) are used first. */
export function packagesStep(
  packages: readonly string[],
  vars: Readonly<Record<string, string>>,
  debDir = `${vars.INSTALL_PATH}/src/debs`,
): Step {
  const list = packages.join(' ');
  return {
    id: `packages`,
    title: `Debian packages: ${list}`,
    inputs: packages,
    script: `missing=""
for p in ${list}; do [ "$(dpkg-query -W -f='\${Status}' "$p" 2>/dev/null)" = 'install ok installed' ] || missing="$missing $p"; done
[ -z "$missing" ] && exit 0
export DEBIAN_FRONTEND=noninteractive
# Keep the distro from starting its own service: ours runs under supervisor with our config.
own_policy=""
if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\\nexit 101\\n' > /usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; own_policy=1; fi
trap '[ -n "$own_policy" ] && rm -f /usr/sbin/policy-rc.d' EXIT
debs=$(ls ${debDir}/*.deb 2>/dev/null || true)
if [ -n "$debs" ]; then apt-get install -y --no-install-recommends $debs; else apt-get install -y --no-install-recommends $missing; fi
bk_changed`,
  };
}

/** A step that stops and disables the distro's own units (e.g. `nginx`): ours run under supervisor. */
export function distroServiceOffStep(units: readonly string[]): Step {
  return {
    id: 'distro-service-off',
    title: `distro services off: ${units.join(' ')}`,
    always: true,
    script: `command -v systemctl >/dev/null || exit 0
for u in ${units.join(' ')}; do
  if systemctl is-active --quiet "$u" 2>/dev/null; then systemctl stop "$u" && bk_changed || bk_warn "could not stop the distro's $u service"; fi
  if systemctl is-enabled --quiet "$u" 2>/dev/null; then
    if systemctl disable --quiet "$u" >/dev/null 2>&1; then bk_changed; else bk_warn "could not disable the distro's $u service (it may start at boot)"; fi
  fi
done`,
  };
}
