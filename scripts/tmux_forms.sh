#!/usr/bin/env bash
# Type into the "Create hosted service" form the way a terminal delivers fast typing: ONE
# `tmux send-keys` burst (name, Tab, label, Tab, description), at 80x24 and at 120x40, then open
# the preview and check that every value went to its own field of the request.
# Usage: scripts/tmux_forms.sh. Needs tmux; uses throw-away config/data dirs; exits non-zero on failure.
set -euo pipefail
command -v tmux >/dev/null || { echo "tmux is not installed (apt-get install tmux)"; exit 2; }
command -v smtui >/dev/null || { echo "smtui is not installed (pip install -e .)"; exit 2; }

work=$(mktemp -d)
session="smtui-forms-$$"
cleanup() { tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

screen() { tmux capture-pane -p -t "$session"; }
fail() { echo "FAIL ($1): $2"; echo "----- screen -----"; screen; exit 1; }
# wait_for SIZE TEXT [SECONDS]: poll the screen until TEXT appears.
wait_for() {
  local deadline=$((SECONDS + ${3:-20}))
  until screen | grep -qF -- "$2"; do
    [ "$SECONDS" -lt "$deadline" ] || fail "$1" "did not see '$2'"
    sleep 0.2
  done
}

# wait_gone SIZE TEXT [SECONDS]: poll the screen until TEXT is no longer on it (a dialog closed;
# the form's own hint line stays visible around a prompt, so seeing it proves nothing).
wait_gone() {
  local deadline=$((SECONDS + ${3:-20}))
  while screen | grep -qF -- "$2"; do
    [ "$SECONDS" -lt "$deadline" ] || fail "$1" "'$2' stayed on screen"
    sleep 0.2
  done
}

for size in 80x24 120x40; do
  cols=${size%x*}
  rows=${size#*x}
  rm -rf "$work"/config "$work"/data
  tmux new-session -d -s "$session" -x "$cols" -y "$rows" \
    "SMTUI_CONFIG_DIR=$work/config SMTUI_DATA_DIR=$work/data TERM=xterm-256color smtui"
  wait_for "$size" "contoso-web" 30
  tmux send-keys -t "$session" 1
  wait_for "$size" "Hosted services"
  tmux send-keys -t "$session" c
  wait_for "$size" "Create hosted service"
  wait_for "$size" "esc Close"
  # The burst: one send-keys, so the console reads the keys together.
  tmux send-keys -t "$session" name-a Tab 'Label A' Tab 'Desc A'
  wait_for "$size" "Desc A"
  screen | grep -qF "name-aLabel" && fail "$size" "the label went into Service name"
  tmux send-keys -t "$session" C-s
  wait_for "$size" "Request preview"
  wait_for "$size" "<ServiceName>name-a</ServiceName>"
  # Label is sent base64-encoded: "Label A".
  screen | grep -qF "<Label>TGFiZWwgQQ==</Label>" || fail "$size" "preview Label is not 'Label A'"
  screen | grep -qF "<Description>Desc A</Description>" || fail "$size" "preview Description is not 'Desc A'"
  echo "ok: $size burst lands field by field (preview checked)"

  # Back to the form; Esc on a changed form asks first; Esc goes back, Esc + y discards.
  tmux send-keys -t "$session" Escape
  wait_gone "$size" "Request preview"
  wait_for "$size" "esc Close"
  tmux send-keys -t "$session" Escape
  wait_for "$size" "Discard changes?"
  tmux send-keys -t "$session" Escape
  wait_gone "$size" "Discard changes?"
  wait_for "$size" "esc Close"
  screen | grep -qF "Desc A" || fail "$size" "the form lost its values after 'back'"
  # Separate send-keys: a terminal reads ESC followed at once by "y" as alt+y.
  tmux send-keys -t "$session" Escape
  wait_for "$size" "Discard changes?"
  tmux send-keys -t "$session" y
  wait_gone "$size" "Discard changes?"
  wait_gone "$size" "Create hosted service"
  echo "ok: $size discard prompt (back keeps the form, y discards)"
  tmux kill-session -t "$session"
done
echo "PASS: form input in tmux at 80x24 and 120x40"
