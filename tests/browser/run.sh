#!/usr/bin/env bash
# The web page and the report as a person uses them (issue 16): starts `emo serve` on a free loopback port, drives
# its page in Debian's headless Chromium through playwright-core (page_test.mjs), then stops the server with SIGTERM,
# which must end it cleanly; then opens `emo report`'s page for examples/dinner_plans.csv (report_test.mjs).
# Screenshots go to ARTIFACTS.
#
#   tests/browser/run.sh EMO_BINARY ARTIFACTS_DIR
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
emo=$1
artifacts=$2
mkdir -p "$artifacts"
[ -x /usr/bin/chromium ] || { echo "run.sh: /usr/bin/chromium missing: run scripts/setup" >&2; exit 1; }
[ -f "$here/node_modules/playwright-core/package.json" ] ||
    { echo "run.sh: $here/node_modules lacks playwright-core: run scripts/setup" >&2; exit 1; }

log="$artifacts/serve.log"
"$emo" serve --port 0 --threads 2 --access-log "$artifacts/access.log" 2>"$log" &
server=$!
trap 'kill -9 $server 2>/dev/null || true' EXIT

port=""
for _ in $(seq 1 600); do  # the models load first: up to a minute on a busy machine
    port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$log")
    [ -n "$port" ] && break
    kill -0 $server 2>/dev/null || { cat "$log" >&2; echo "run.sh: emo serve exited early" >&2; exit 1; }
    sleep 0.1
done
[ -n "$port" ] || { cat "$log" >&2; echo "run.sh: emo serve did not start listening" >&2; exit 1; }

node "$here/page_test.mjs" "http://127.0.0.1:$port/" "$artifacts"

kill -TERM $server
status=0
wait $server || status=$?
trap - EXIT
grep -q "emo serve: stopped" "$log" || { cat "$log" >&2; echo "run.sh: no clean stop after SIGTERM" >&2; exit 1; }
[ $status -eq 0 ] || { echo "run.sh: emo serve exited with $status after SIGTERM" >&2; exit 1; }

root=$(cd "$here/../.." && pwd)
"$emo" conv --causes "$root/examples/dinner_plans.csv" >"$artifacts/dinner_plans.jsonl"
"$emo" report --causes "$root/examples/dinner_plans.csv" --out "$artifacts/report.html"
node "$here/report_test.mjs" "$artifacts/report.html" "$artifacts/dinner_plans.jsonl" "$artifacts"
echo "run.sh: page and report tests passed; screenshots in $artifacts"
