// Debian packages a module needs on its hosts: installed when missing (offline .deb files first),
// without letting the distro start its own copy of the service.
import type { Step } from '../../engine/types';

/** A step that makes sure `packages` are installed. Debs in $INSTALL_PATH/src/debs are used first. */
export function packagesStep(packages: readonly string[], vars: Readonly<Record<string, string>>): Step {
  const list = packages.join(' ');
  return {
    id: `packages`,
    title: `Debian packages: ${list}`,
    inputs: packages,
    script: `missing=""
for p in ${list}; do dpkg-query -W -f='\${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"; done
[ -z "$missing" ] && exit 0
export DEBIAN_FRONTEND=noninteractive
# Keep the distro from starting its own service: ours runs under supervisor with our config.
own_policy=""
if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\\nexit 101\\n' > /usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; own_policy=1; fi
trap '[ -n "$own_policy" ] && rm -f /usr/sbin/policy-rc.d' EXIT
debs=$(ls ${vars.INSTALL_PATH}/src/debs/*.deb 2>/dev/null || true)
if [ -n "$debs" ]; then apt-get install -y --no-install-recommends $debs; else apt-get install -y --no-install-recommends $missing; fi
bk_changed`,
  };
}
