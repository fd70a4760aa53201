#!/usr/bin/env bash
# Runs a command with a real, unlocked, throw-away Secret Service keychain on Linux: a private D-Bus
# session with GNOME Keyring, so tests and the CLI exercise the real keychain on headless machines
# (CI, build boxes) and never touch a developer's own keyring. Elsewhere it just runs the command.
# Usage: scripts/with-keyring.sh COMMAND [ARGS…]
set -euo pipefail
if [ -n "${CADENCE_IN_KEYRING:-}" ] || [ "$(uname -s)" != "Linux" ] \
  || ! command -v dbus-run-session >/dev/null || ! command -v gnome-keyring-daemon >/dev/null; then
  exec "$@"
fi
if [ -z "${CADENCE_KEYRING_SESSION:-}" ]; then
  exec dbus-run-session -- env CADENCE_KEYRING_SESSION=1 "$0" "$@"
fi
export CADENCE_IN_KEYRING=1
keyring_home="$(mktemp -d)"
trap 'rm -rf "$keyring_home"' EXIT
export XDG_DATA_HOME="$keyring_home"
eval "$(printf 'cadence-throwaway-keyring' | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)"
"$@"
