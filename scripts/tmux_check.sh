#!/usr/bin/env bash
# Run `smtui` (embedded emulator) in a real terminal at 80x24 inside tmux, press keys like a user,
# and assert what the screen shows (tmux capture-pane). Usage: scripts/tmux_check.sh
# Needs tmux (apt-get install tmux). Uses throw-away config/data dirs; exits non-zero on failure.
set -euo pipefail
command -v tmux >/dev/null || { echo "tmux is not installed (apt-get install tmux)"; exit 2; }
command -v smtui >/dev/null || { echo "smtui is not installed (pip install -e .)"; exit 2; }

work=$(mktemp -d)
session="smtui-check-$$"
cleanup() { tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

tmux new-session -d -s "$session" -x 80 -y 24 \
  "SMTUI_CONFIG_DIR=$work/config SMTUI_DATA_DIR=$work/data TERM=xterm-256color smtui"

screen() { tmux capture-pane -p -t "$session"; }
fail() { echo "FAIL: $1"; echo "----- screen -----"; screen; exit 1; }
# wait_for TEXT [SECONDS]: poll the screen until TEXT appears.
wait_for() {
  local deadline=$((SECONDS + ${2:-20}))
  until screen | grep -qF -- "$1"; do
    [ "$SECONDS" -lt "$deadline" ] || fail "did not see '$1'"
    sleep 0.2
  done
}
keys() { for k in "$@"; do tmux send-keys -t "$session" "$k"; sleep 0.3; done; }

wait_for "EMULATOR" 20
wait_for "contoso-web" 20
screen | grep -qF "Subscription › Hosted services" || fail "breadcrumbs"
# The footer fills in a moment after the first rows (its keys appear as the actions load).
for essential in "q Quit" "? Help" "o Ops" "^p palette"; do wait_for "$essential" 10; done
footer=$(screen | tail -n 1)
for essential in "q Quit" "? Help" "o Ops" "^p palette"; do
  grep -qF -- "$essential" <<<"$footer" || fail "footer lacks '$essential' at 80 columns"
done
[ "$(screen | wc -l)" -le 24 ] || fail "screen taller than 24 lines"
echo "ok: services list at 80x24"

keys Enter; wait_for "contoso-web-prod"
keys Enter; wait_for "ReadyRole"
# "Instance" is a column of the deployment's list too: wait for what only the role shows.
keys Enter; wait_for "Instance"
wait_for "OS disk"
echo "ok: drilled down to the role's instance and disks"

keys x; wait_for "<RoleInstance"
echo "ok: raw XML of the role instance"

# At 80 columns the breadcrumbs drop "Subscription" to keep the deployment's slot.
keys Escape; wait_for "Hosted services › contoso-web › contoso-web-prod (Production)"
screen | grep -qF "web01" || fail "back to the deployment"
echo "ok: Esc goes back up"

keys 2; wait_for "OS images"
keys / w i n d o w s; wait_for "filter: windows"
keys Escape Escape
echo "ok: filter"

keys 4; wait_for "contosoportalvhds"
keys K; wait_for "Access keys of storage account contosoportalvhds"
screen | grep -qF "Reveal (r)" || fail "keys dialog buttons"
keys Escape; wait_for "Subscription › Storage accounts"
echo "ok: storage keys (masked dialog on K)"

keys "?"; wait_for "Keys that work now"
keys Escape
keys q
sleep 1
if tmux has-session -t "$session" 2>/dev/null && screen | grep -qF "smtui"; then fail "q did not quit"; fi
echo "PASS: smtui works at 80x24 in tmux"
