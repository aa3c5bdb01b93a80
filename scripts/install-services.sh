#!/usr/bin/env bash
# The production services the scale-out test (tests/e2e/test_scale_out.py) runs its own instances
# of: Debian's PostgreSQL, Redis and nginx. Installed with apt-get only when missing; nothing is
# started or enabled here: during the install a policy-rc.d forbids the packages to start their
# system services, and the test starts its own instances on free loopback ports in temporary
# directories (and stops them afterwards).
# Re-running is cheap: nothing is done when all three are present.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else
    echo "install-services: need root to run: $*" >&2
    return 1
  fi
}

have_postgres() { compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null && id postgres >/dev/null 2>&1; }
have_redis() { command -v redis-server >/dev/null 2>&1; }
have_nginx() { [ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1; }

missing=()
have_postgres || missing+=(postgresql)
have_redis || missing+=(redis-server)
have_nginx || missing+=(nginx)
[ "${#missing[@]}" -eq 0 ] && exit 0

echo "install-services: installing Debian's ${missing[*]} for the scale-out test (a minute or two)"

# Keep the packages from starting their system services (the test runs its own instances).
POLICY=/usr/sbin/policy-rc.d
if [ ! -e "$POLICY" ]; then
  as_root sh -c "printf '#!/bin/sh\nexit 101\n' > $POLICY && chmod 755 $POLICY"
  trap 'as_root rm -f "$POLICY"' EXIT
fi

as_root apt-get update -qq
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}"

failed=()
have_postgres || failed+=("postgresql (initdb under /usr/lib/postgresql/*/bin, user postgres)")
have_redis || failed+=("redis-server")
have_nginx || failed+=("nginx")
if [ "${#failed[@]}" -ne 0 ]; then
  echo "install-services: still missing after apt-get install: ${failed[*]}" >&2
  exit 1
fi
echo "install-services: done"
