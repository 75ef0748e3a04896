#!/usr/bin/env bash
# Installs the named Debian packages when a command they provide is missing. Both server scripts call it at once on a
# fresh machine, so apt runs under one lock. Usage: install-packages.sh PACKAGE TEST-COMMAND...
set -euo pipefail
package=$1; shift
"$@" >/dev/null 2>&1 && exit 0
sudo_() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
exec 9>/tmp/morfx-apt.lock
flock 9
"$@" >/dev/null 2>&1 && exit 0
echo "installing $package from the OS packages"
sudo_ apt-get update -qq
# The package's own service is not used (policy-rc.d may refuse it anyway): the AppHost starts its own server.
DEBIAN_FRONTEND=noninteractive sudo_ apt-get install -y -qq -o DPkg::Lock::Timeout=300 "$package" >/dev/null
