#!/usr/bin/env bash
# The playground compiles each scenario to C: it needs a C compiler and libc's headers.
# On Debian as root they are installed here; elsewhere this says the exact command to run.
set -euo pipefail
if command -v cc >/dev/null && [ -e /usr/include/stdio.h ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing the C compiler (gcc, libc6-dev): the playground compiles each scenario to C" >&2
  apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev
  exit 0
fi
echo "the playground needs a C compiler: run  sudo apt-get install -y gcc libc6-dev  and try again" >&2
exit 1
