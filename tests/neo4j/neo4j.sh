#!/usr/bin/env bash
# A real, throw-away Neo4j Community 5.26 server for bomay's Neo4j tests, without Docker:
# the embedded DatabaseManagementService of tests/neo4j (pom.xml + TestNeo4j.java) with
# only the Bolt connector, on 127.0.0.1.
#
#   tests/neo4j/neo4j.sh up       # build if needed, start in the background, wait for Bolt
#   source .neo4j/env             # NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD
#   tests/neo4j/neo4j.sh status
#   tests/neo4j/neo4j.sh down     # stop it (by .neo4j/pid) and wait; its data is deleted
#
# (make neo4j-up / make neo4j-down run the same.) Needs Java 17+ and Maven; the first build
# resolves Neo4j's jars into ~/.m2 (about 125 MB), later ones skip Maven altogether.
# The store lives in a temporary folder that the server deletes when it stops.
#
# Settings (environment):
#   BOMAY_NEO4J_STATE     the folder of its pid, ready file, env and log (default .neo4j)
#   BOMAY_NEO4J_PORT      Bolt port; 0 (default) takes a free one
#   BOMAY_NEO4J_PASSWORD  password of user neo4j (default bomay-password, as docker-compose.yml);
#                         empty: auth disabled
#   BOMAY_NEO4J_TIMEOUT   seconds to wait for Bolt (default 180)
#   BOMAY_NEO4J_HEAP      JVM -Xmx (default 1g); BOMAY_NEO4J_PAGECACHE_MB (default 256)
#   BOMAY_NEO4J_JAVA_OPTS more JVM options
#   VENV                  the virtualenv whose python checks `RETURN 1` through the driver
#                         (default .venv; without it the check is a Bolt handshake only)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE=$ROOT/tests/neo4j
STATE=${BOMAY_NEO4J_STATE:-$ROOT/.neo4j}  # another folder runs a second server beside the first
PIDFILE=$STATE/pid
READY=$STATE/ready
ENVFILE=$STATE/env
LOG=$STATE/neo4j.log
HOST=127.0.0.1
PORT=${BOMAY_NEO4J_PORT:-0}
PASSWORD=${BOMAY_NEO4J_PASSWORD-bomay-password}
TIMEOUT=${BOMAY_NEO4J_TIMEOUT:-180}
HEAP=${BOMAY_NEO4J_HEAP:-1g}
PAGECACHE_MB=${BOMAY_NEO4J_PAGECACHE_MB:-256}
VENV_DIR=${VENV:-.venv}
case $VENV_DIR in /*) ;; *) VENV_DIR=$ROOT/$VENV_DIR ;; esac
PY=$VENV_DIR/bin/python
MAIN=bomay.TestNeo4j

say() { echo "neo4j: $*"; }
die() { echo "neo4j: $*" >&2; exit 1; }

java_bin() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    echo "$JAVA_HOME/bin/java"
  else
    command -v java || die "no java on PATH (needs Java 17 or 21)"
  fi
}

# The pid of our server, if it is running (a pid reused by another process does not count).
running_pid() {
  [ -f "$PIDFILE" ] || return 1
  local pid
  pid=$(cat "$PIDFILE" 2>/dev/null) || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "$MAIN" || return 1
  echo "$pid"
}

ready_value() {  # ready_value KEY: a line KEY=VALUE of the ready file
  sed -n "s/^$1=//p" "$READY" 2>/dev/null | head -n 1
}

log_tail() {
  if [ -f "$LOG" ]; then
    echo "---- last lines of $LOG ----" >&2
    tail -n 40 "$LOG" >&2
    echo "----" >&2
  fi
}

build() {
  local stamp=$HERE/target/.built src=$HERE/src/main/java/bomay/TestNeo4j.java
  if [ -f "$stamp" ] && [ "$stamp" -nt "$HERE/pom.xml" ] && [ "$stamp" -nt "$src" ]; then
    return 0
  fi
  command -v mvn >/dev/null || die "no mvn on PATH (needs Maven 3.8+ to build tests/neo4j)"
  say "building tests/neo4j (the first build resolves Neo4j's jars into ~/.m2)"
  # a changed pom may change the jars: start target/lib afresh
  rm -rf "$HERE/target/lib" "$stamp"
  if ! mvn -q -B -f "$HERE/pom.xml" package >"$STATE/build.log" 2>&1; then
    tail -n 40 "$STATE/build.log" >&2
    die "the build of tests/neo4j failed (full log: $STATE/build.log)"
  fi
  touch "$stamp"
}

bolt_handshake() {  # bolt_handshake PORT: the server answers Bolt's handshake with a version
  local port=$1 answer
  answer=$(timeout 5 bash -c '
    exec 3<>"/dev/tcp/$0/$1" || exit 1
    # magic 0x6060B017, then proposals: 5.4 down to 5.0, 4.4 down to 4.2, none, none
    printf "\x60\x60\xb0\x17\x00\x04\x04\x05\x00\x02\x04\x04\x00\x00\x00\x00\x00\x00\x00\x00" >&3
    head -c 4 <&3 | od -An -tx1' "$HOST" "$port" 2>/dev/null) || return 1
  # shellcheck disable=SC2086
  set -- $answer   # the version the server chose: 00 00 MINOR MAJOR
  [ $# -eq 4 ] && [ "$3$4" != "0000" ] || return 1
  echo "$((16#$4)).$((16#$3))"
}

driver_check() {  # driver_check URI: `RETURN 1` through the Python driver
  "$PY" - "$1" "$PASSWORD" <<'PYEOF'
import sys
from neo4j import GraphDatabase
uri, password = sys.argv[1], sys.argv[2]
with GraphDatabase.driver(uri, auth=("neo4j", password)) as driver:
    records, _, _ = driver.execute_query("RETURN 1 AS one")
    assert records[0]["one"] == 1, records
PYEOF
}

write_env() {
  local port=$1
  {
    echo "# written by tests/neo4j/neo4j.sh up: source it to point bomay's tests at this server"
    echo "export NEO4J_URI=bolt://$HOST:$port"
    echo "export NEO4J_USER=neo4j"
    echo "export NEO4J_PASSWORD=$PASSWORD"
  } >"$ENVFILE.tmp"
  mv "$ENVFILE.tmp" "$ENVFILE"
}

up() {
  mkdir -p "$STATE"
  local pid
  if pid=$(running_pid); then
    if [ -f "$READY" ] && [ -f "$ENVFILE" ]; then
      say "already running (pid $pid, $(grep NEO4J_URI "$ENVFILE" | sed 's/^export //'))"
      return 0
    fi
    say "a server that never got ready is still running (pid $pid): stopping it"
    down
  fi
  rm -f "$PIDFILE" "$READY" "$ENVFILE"
  rm -rf "$STATE/logs"   # debug.log, query.log, ... of this run only

  local t0=$SECONDS java
  java=$(java_bin)
  build

  local opts=(
    "-Xms256m" "-Xmx$HEAP" "-XX:+UseG1GC" "-XX:+ExitOnOutOfMemoryError"
    "-XX:-OmitStackTraceInFastThrow" "-XX:+DisableExplicitGC"
    # what Neo4j's own launcher passes on Java 17+
    "--add-opens=java.base/java.nio=ALL-UNNAMED" "--add-opens=java.base/java.io=ALL-UNNAMED"
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED" "--add-opens=java.base/java.lang=ALL-UNNAMED"
    "-Dio.netty.tryReflectionSetAccessible=true" "-Djdk.nio.maxCachedBufferSize=1024"
    "-Dio.netty.leakDetection.level=DISABLED" "-Dlog4j2.disable.jmx=true"
  )
  # shellcheck disable=SC2206
  [ -n "${BOMAY_NEO4J_JAVA_OPTS:-}" ] && opts+=(${BOMAY_NEO4J_JAVA_OPTS})
  local args=(--host "$HOST" --port "$PORT" --pagecache-mb "$PAGECACHE_MB"
              --ready "$READY" --logs "$STATE/logs")
  [ -n "$PASSWORD" ] && args+=(--password "$PASSWORD")

  local detach=()
  command -v setsid >/dev/null && detach=(setsid)
  # a session of its own: a Ctrl-C of the caller or the end of `make` does not stop it
  "${detach[@]}" nohup "$java" "${opts[@]}" -cp "$HERE/target/classes:$HERE/target/lib/*" \
    "$MAIN" "${args[@]}" >"$LOG" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$PIDFILE"
  say "starting (pid $pid, log $LOG)"

  local deadline=$((SECONDS + TIMEOUT))
  until [ -f "$READY" ]; do
    if ! kill -0 "$pid" 2>/dev/null; then
      log_tail
      rm -f "$PIDFILE"
      die "the server exited before it was ready"
    fi
    if [ $SECONDS -ge $deadline ]; then
      log_tail
      down >/dev/null 2>&1 || true
      die "no Bolt answer within ${TIMEOUT}s (BOMAY_NEO4J_TIMEOUT)"
    fi
    sleep 0.5
  done
  local port jpid version
  port=$(ready_value port)
  jpid=$(ready_value pid)
  [ -n "$jpid" ] && pid=$jpid && echo "$pid" >"$PIDFILE"
  version=$(bolt_handshake "$port") || { log_tail; down >/dev/null 2>&1 || true; \
    die "port $port does not answer Bolt's handshake"; }
  local check="Bolt handshake (protocol $version; no Python driver at $PY yet)"
  if [ -x "$PY" ] && "$PY" -c "import neo4j" 2>/dev/null; then
    if ! driver_check "bolt://$HOST:$port"; then
      log_tail; down >/dev/null 2>&1 || true
      die "RETURN 1 through the Python driver failed on bolt://$HOST:$port"
    fi
    check="RETURN 1 through the Python driver"
  fi
  write_env "$port"
  local rss
  rss=$(ps -o rss= -p "$pid" 2>/dev/null | tr -d ' ')
  say "ready on bolt://$HOST:$port in $((SECONDS - t0))s (pid $pid, RSS $((${rss:-0} / 1024)) MiB;" \
      "checked: $check)"
  say "source $ENVFILE   # NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD"
}

down() {
  local pid
  if ! pid=$(running_pid); then
    say "not running"
    rm -f "$PIDFILE" "$READY" "$ENVFILE"
    return 0
  fi
  local data
  data=$(ready_value data)
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 60))
  while kill -0 "$pid" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ]; then
      say "pid $pid did not stop within 60s: killing it"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 1
      # the server could not delete its store: do it here
      case $data in /*/bomay-neo4j-*) rm -rf "$data" ;; esac
      break
    fi
    sleep 0.2
  done
  rm -f "$PIDFILE" "$READY" "$ENVFILE"
  say "stopped (pid $pid)"
}

status() {
  local pid
  if pid=$(running_pid) && [ -f "$ENVFILE" ]; then
    local rss
    rss=$(ps -o rss= -p "$pid" | tr -d ' ')
    say "running (pid $pid, RSS $((rss / 1024)) MiB, $(grep NEO4J_URI "$ENVFILE" | sed 's/^export //'))"
  elif pid=$(running_pid); then
    say "starting (pid $pid)"
  else
    say "not running"
    return 1
  fi
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
