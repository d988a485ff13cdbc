#!/usr/bin/env bash
# Start one real OpenSearch 3.x node for Samspil's search tests, in the
# background, bound to 127.0.0.1. Exits 0 once the cluster is yellow or green
# and prints its URL; exits 1 (after printing the node log tail) otherwise.
#
# usage: ops/opensearch/start.sh [--port N] [--pid-file PATH] [--base-dir DIR]
#                                [--log-file PATH] [--timeout SECONDS]
#   --port      HTTP port (default $OPENSEARCH_PORT or 9250)
#   --pid-file  where the node's pid goes (default ops/opensearch/var/node.pid)
#   --base-dir  data+logs folder, must not exist or be empty; deleted when the
#               node stops (default: a new mktemp folder)
#   --log-file  node stdout/stderr (default: pid file path with .log)
#   --timeout   seconds to wait for yellow (default 120)
# Env: JAVA_HOME / OPENSEARCH_JAVA_HOME (a JDK 21+; else one is looked for in
# /usr/lib/jvm), OPENSEARCH_JAVA_OPTS (default "-Xms512m -Xmx512m"),
# OPENSEARCH_MODULES (comma list of module plugin classes, see SearchNode).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
port="${OPENSEARCH_PORT:-9250}"
pid_file="$here/var/node.pid"
base_dir=""
log_file=""
timeout=120

while [ $# -gt 0 ]; do
  case "$1" in
    --port) port="$2"; shift 2 ;;
    --pid-file) pid_file="$2"; shift 2 ;;
    --base-dir) base_dir="$2"; shift 2 ;;
    --log-file) log_file="$2"; shift 2 ;;
    --timeout) timeout="$2"; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "start.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
done
[ -n "$log_file" ] || log_file="${pid_file%.pid}.log"
url="http://127.0.0.1:$port"

log() { echo "opensearch: $*" >&2; }

java_major() { # prints the feature version of the java binary $1, or nothing
  "$1" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = //p' | head -n 1
}

find_jdk() { # prints a JDK home with Java >= 21
  local candidates=() d v
  [ -n "${OPENSEARCH_JAVA_HOME:-}" ] && candidates+=("$OPENSEARCH_JAVA_HOME")
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  candidates+=(/usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk-arm64
               /usr/lib/jvm/temurin-21-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-arm64)
  for d in /usr/lib/jvm/*; do candidates+=("$d"); done
  for d in "${candidates[@]}"; do
    [ -x "$d/bin/java" ] && [ -x "$d/bin/javac" ] || continue
    v="$(java_major "$d/bin/java")"
    if [ -n "$v" ] && [ "${v%%.*}" -ge 21 ] 2>/dev/null; then
      echo "$d"; return 0
    fi
  done
  return 1
}

health_status() { # prints yellow/green/red, or nothing when not answering
  curl -s --max-time 2 "$url/_cluster/health" 2>/dev/null |
    sed -n 's/.*"status":"\([a-z]*\)".*/\1/p' || true
}

alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }

ours() { # is pid $1 alive and our node (pids get reused)?
  alive "$1" && tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -q 'samspil-search-node'
}

# Already running from this pid file?
if [ -f "$pid_file" ]; then
  old_pid="$(cat "$pid_file" 2>/dev/null || true)"
  if ours "$old_pid"; then
    case "$(health_status)" in
      yellow|green) log "already running (pid $old_pid)"; echo "$url"; exit 0 ;;
      *) log "pid $old_pid from $pid_file is alive but $url is not healthy; run stop.sh first"; exit 1 ;;
    esac
  fi
  rm -f "$pid_file"
fi
if [ -n "$(health_status)" ] || curl -s --max-time 2 -o /dev/null "$url" 2>/dev/null; then
  log "something already answers on $url (not started by $pid_file)"; exit 1
fi

jdk="$(find_jdk)" || { log "no JDK 21+ found: set JAVA_HOME to one (OpenSearch 3 needs Java 21+)"; exit 1; }
export JAVA_HOME="$jdk"
java="$jdk/bin/java"

# Build once; rebuild only when pom.xml or the sources are newer than the jar.
jar="$here/target/samspil-search-node.jar"
if [ ! -f "$jar" ] || [ ! -d "$here/target/lib" ] ||
   [ -n "$(find "$here/pom.xml" "$here/src" -newer "$jar" -print -quit)" ]; then
  command -v mvn >/dev/null || { log "mvn (Maven) is needed to build $here"; exit 1; }
  maven_opts="${MAVEN_OPTS:-}"
  # Maven's own Guava warns about sun.misc.Unsafe on JDK 23+: silence it.
  if [ "$(java_major "$java" | cut -d. -f1)" -ge 23 ]; then
    maven_opts="$maven_opts --sun-misc-unsafe-memory-access=allow"
  fi
  log "building $here (JAVA_HOME=$jdk)"
  if ! MAVEN_OPTS="$maven_opts" mvn -q -B -o -Dstyle.color=never -f "$here/pom.xml" package >/dev/null 2>&1; then
    # First build on this machine: dependencies must be downloaded.
    MAVEN_OPTS="$maven_opts" mvn -q -B -Dstyle.color=never -f "$here/pom.xml" package >&2
  fi
fi

# The class-data archive belongs to one build of the jars: drop a stale one
# (the JVM would refuse it and not rewrite it), the next stop writes it anew.
jsa="$here/target/samspil-search-node.jsa"
if [ -f "$jsa" ] && [ "$jar" -nt "$jsa" ]; then rm -f "$jsa"; fi

if [ -z "$base_dir" ]; then
  base_dir="$(mktemp -d "${TMPDIR:-/tmp}/samspil-opensearch.XXXXXX")"
elif [ -e "$base_dir" ] && [ -n "$(ls -A "$base_dir" 2>/dev/null)" ]; then
  log "--base-dir $base_dir is not empty (it is deleted on stop, so it must be new)"; exit 1
fi
mkdir -p "$(dirname "$pid_file")" "$(dirname "$log_file")" "$base_dir"
base_dir="$(cd "$base_dir" && pwd)"

# Faster start on a small machine: C1 only (less JIT work while the node boots)
# and an AppCDS archive of the node's classes, written by the JVM at the first
# stop and reused (or rewritten when the jars change) after that.
java_opts=(-XX:TieredStopAtLevel=1
           -XX:SharedArchiveFile="$jsa"
           -XX:+AutoCreateSharedArchive -Xlog:cds=error,cds+dynamic=error
           -Dlog4j2.shutdownHookEnabled=false
           -Djava.io.tmpdir="$base_dir")
# Later options win, so OPENSEARCH_JAVA_OPTS can override any of the above.
# shellcheck disable=SC2206
java_opts+=(${OPENSEARCH_JAVA_OPTS:--Xms512m -Xmx512m})

start_ns="$(date +%s%N)"
launcher=()
command -v setsid >/dev/null && launcher=(setsid)
# setsid: the node gets its own session, so it outlives this script's group.
"${launcher[@]}" nohup "$java" "${java_opts[@]}" -jar "$jar" "$base_dir" "$port" \
  >"$log_file" 2>&1 </dev/null &
pid=$!
echo "$pid" >"$pid_file"
echo "$base_dir" >"$pid_file.dir"
log "starting pid $pid, data+logs in $base_dir, log $log_file"

deadline=$(( $(date +%s) + timeout ))
while :; do
  status="$(health_status)"
  if [ "$status" = yellow ] || [ "$status" = green ]; then
    ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
    log "cluster $status after ${ms} ms"
    echo "$url"
    exit 0
  fi
  if ! alive "$pid"; then
    log "node exited before becoming healthy; last log lines:"
    tail -n 60 "$log_file" >&2 || true
    rm -f "$pid_file" "$pid_file.dir"
    rm -rf "$base_dir"
    exit 1
  fi
  if [ "$(date +%s)" -ge "$deadline" ]; then
    log "not yellow/green after ${timeout}s; last log lines:"
    tail -n 60 "$log_file" >&2 || true
    "$here/stop.sh" --pid-file "$pid_file" >&2 || true
    exit 1
  fi
  sleep 0.5
done
