#!/usr/bin/env bash
# Every test: types, lint (import boundaries), unit and integration tests against the real kernel, then the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/need-cc.sh
# strace shows what the kernel sees of a run process (test/strace.test.ts)
if ! command -v strace >/dev/null && [ "$(id -u)" = 0 ]; then
  apt-get update && apt-get install -y --no-install-recommends strace
fi
# several servers, one class: the tests start their own redis-server and nginx (test/cluster.test.ts, e2e/cluster.spec.ts)
if { ! command -v redis-server >/dev/null || ! command -v nginx >/dev/null; } && [ "$(id -u)" = 0 ]; then
  apt-get update && apt-get install -y --no-install-recommends redis-server nginx
fi
npx tsc --noEmit -p tsconfig.json
npx eslint .
# a test that hangs fails after 10 min instead of holding CI's 90 minutes (the whole run takes 3–6)
node --import tsx --test --test-concurrency=2 --test-timeout=600000 test/*.test.ts
if compgen -G "e2e/*.spec.ts" >/dev/null; then
  if [ ! -x /usr/bin/chromium ]; then
    echo "installing Debian's chromium for the browser tests" >&2
    apt-get update && apt-get install -y --no-install-recommends chromium
  fi
  npx playwright test
fi
