#!/usr/bin/env bash
# Stop the node that start.sh started: SIGTERM to the pid in the pid file, wait
# for it to exit (SIGKILL after --timeout seconds), then make sure its
# data+logs folder is gone. Exits 0 when nothing is running.
#
# usage: ops/opensearch/stop.sh [--pid-file PATH] [--timeout SECONDS]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
pid_file="$here/var/node.pid"
timeout=30

while [ $# -gt 0 ]; do
  case "$1" in
    --pid-file) pid_file="$2"; shift 2 ;;
    --timeout) timeout="$2"; shift 2 ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "stop.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
done

log() { echo "opensearch: $*" >&2; }

if [ ! -f "$pid_file" ]; then
  log "not running (no $pid_file)"
  exit 0
fi
pid="$(cat "$pid_file" 2>/dev/null || true)"
base_dir="$(cat "$pid_file.dir" 2>/dev/null || true)"

# Only signal the process if it still is our node (pids get reused).
ours() {
  kill -0 "$pid" 2>/dev/null &&
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'samspil-search-node'
}

if [ -n "$pid" ] && ours; then
  kill -TERM "$pid" 2>/dev/null || true
  waited=0
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$waited" -ge $(( timeout * 10 )) ]; then
      log "pid $pid still alive after ${timeout}s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.1
    waited=$(( waited + 1 ))
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "pid $pid did not exit"; exit 1
  fi
  log "stopped pid $pid"
else
  log "pid ${pid:-?} from $pid_file is not running"
fi

# The node deletes its folder on a clean stop; after SIGKILL it cannot.
if [ -n "$base_dir" ] && [ -d "$base_dir" ]; then
  rm -rf "$base_dir"
fi
rm -f "$pid_file" "$pid_file.dir"
