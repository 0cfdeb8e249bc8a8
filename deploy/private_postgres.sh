#!/usr/bin/env bash
# A throwaway PostgreSQL cluster in a temporary directory, for tests,
# benchmarks and the local run. It listens on a unix socket only, runs as a
# non-root user (`postgres` when started by root) and trusts local
# connections, so it must never hold data worth keeping: fsync is off.
#
#   private_postgres.sh start [--owner-pid PID]
#       Starts a cluster and prints its libpq connection string on stdout.
#       With --owner-pid, a watchdog stops and removes the cluster once PID
#       exits, even if that process is killed and never calls `stop`.
#   private_postgres.sh stop DIR
#       Stops the cluster in DIR (the `host` of its connection string) and
#       removes DIR.
#   private_postgres.sh pause DIR | resume DIR
#       Stops the server of the cluster in DIR, keeping its data, and starts
#       it again: for tests of what happens while the store is away.
#   private_postgres.sh run COMMAND [ARG...]
#       Starts a cluster, runs COMMAND with SIGNET_DATABASE set to its
#       connection string, then stops and removes the cluster, however
#       COMMAND ends.
set -euo pipefail

# runuser lives in /usr/sbin, which a test environment may leave out.
PATH=$PATH:/usr/sbin:/sbin
script=$(readlink -f "${BASH_SOURCE[0]}")

die() {
  echo "private_postgres: $*" >&2
  exit 1
}

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [[ -x $dir/initdb ]] ||
    die "initdb not found under /usr/lib/postgresql: apt-get install postgresql"
  echo "$dir"
}

# Commands run as `postgres` when we are root, since PostgreSQL refuses to
# run as root; otherwise as ourselves.
as_owner() {
  if [[ $EUID -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# Starts the server of the cluster in $1: a unix socket in $1, no TCP.
start_server() {
  as_owner "$(pg_bin)/pg_ctl" -D "$1/data" -l "$1/postgres.log" -w -t 60 \
    -o "-c listen_addresses='' -k $1 -c fsync=off -c full_page_writes=off \
        -c max_connections=200" start >/dev/null
}

start() {
  local owner_pid=""
  if [[ ${1:-} == --owner-pid ]]; then
    owner_pid=${2:?--owner-pid needs a PID}
  fi

  local bin dir
  bin=$(pg_bin)
  # Under /tmp and short: the postgres user cannot enter root's home, and a
  # unix socket path is limited to 107 bytes.
  dir=$(mktemp -d /tmp/signet-pg.XXXXXX)
  chmod 755 "$dir"
  if [[ $EUID -eq 0 ]]; then
    chown postgres:postgres "$dir"
  fi
  # Until the cluster is handed over, any failure or interruption removes it.
  trap 'stop "$dir"' ERR INT TERM

  if ! as_owner "$bin/initdb" -D "$dir/data" -U signet --auth=trust \
      -E UTF8 --locale=C.UTF-8 -N >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    rm -rf "$dir"
    die "initdb failed"
  fi
  if ! start_server "$dir"; then
    cat "$dir/postgres.log" >&2
    rm -rf "$dir"
    die "PostgreSQL did not start"
  fi
  as_owner "$bin/createdb" -h "$dir" -U signet signet

  if [[ -n $owner_pid ]]; then
    setsid bash -c 'while kill -0 "$1" 2>/dev/null; do sleep 0.5; done
                    "$2" stop "$3"' watchdog "$owner_pid" "$script" "$dir" \
      </dev/null >/dev/null 2>&1 &
  fi
  trap - ERR INT TERM
  echo "host=$dir user=signet dbname=signet"
}

stop() {
  local dir=${1:?stop needs the cluster directory}
  [[ $dir == /tmp/signet-pg.* ]] || die "$dir is not a private cluster"
  [[ -d $dir ]] || return 0
  if [[ -f $dir/data/postmaster.pid ]]; then
    as_owner "$(pg_bin)/pg_ctl" -D "$dir/data" -m immediate -w stop \
      >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

pause() {
  local dir=${1:?pause needs the cluster directory}
  [[ $dir == /tmp/signet-pg.* ]] || die "$dir is not a private cluster"
  as_owner "$(pg_bin)/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
}

resume() {
  local dir=${1:?resume needs the cluster directory}
  [[ $dir == /tmp/signet-pg.* ]] || die "$dir is not a private cluster"
  start_server "$dir"
}

run() {
  [[ $# -gt 0 ]] || die "run needs a command"
  local conninfo
  conninfo=$(start)
  cluster_dir=${conninfo#host=}
  cluster_dir=${cluster_dir%% *}
  trap 'stop "$cluster_dir"' EXIT
  SIGNET_DATABASE=$conninfo "$@"
}

case ${1:-} in
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  pause) shift; pause "$@" ;;
  resume) shift; resume "$@" ;;
  run) shift; run "$@" ;;
  *) die "usage: private_postgres.sh start [--owner-pid PID] | stop DIR | pause DIR | resume DIR | run COMMAND..." ;;
esac
