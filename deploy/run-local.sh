#!/usr/bin/env bash
# Installs what signet needs, builds it, starts a private PostgreSQL in a
# temporary directory, and runs signetd on it in the foreground until Ctrl-C,
# listening on a unix socket and on TLS with a self-signed certificate.
# Everything it starts and writes is removed when it stops.
#
#   deploy/run-local.sh [--no-install] [--tls-port PORT]
set -euo pipefail

cd "$(dirname "$0")/.."

install=1
tls_port=7443
while [[ $# -gt 0 ]]; do
  case $1 in
    --no-install) install=0; shift ;;
    --tls-port) tls_port=${2:-}; shift $(($# > 1 ? 2 : 1)) ;;
    *) echo "run-local: unknown argument $1" >&2; exit 2 ;;
  esac
done
if [[ ! $tls_port =~ ^[0-9]+$ ]] || ((tls_port < 1 || tls_port > 65535)); then
  echo "run-local: --tls-port needs a port from 1 to 65535" >&2
  exit 2
fi

step() { echo "run-local: $*"; }

if [[ $install -eq 1 ]]; then
  deploy/install-deps.sh
fi

step "building signetd and signetctl"
bazel build -c opt --noshow_progress //server:signetd //client:signetctl
bin=$(bazel info -c opt bazel-bin 2>/dev/null)
signetd=$bin/server/signetd
signetctl=$bin/client/signetctl

run_dir=$(mktemp -d /tmp/signet-local.XXXXXX)
cluster_dir=""
signetd_pid=""
cleanup() {
  if [[ -n $signetd_pid ]] && kill -0 "$signetd_pid" 2>/dev/null; then
    kill -TERM "$signetd_pid" 2>/dev/null || true
    wait "$signetd_pid" 2>/dev/null || true
  fi
  [[ -z $cluster_dir ]] || deploy/private_postgres.sh stop "$cluster_dir"
  rm -rf "$run_dir"
}
trap cleanup EXIT

step "starting a private PostgreSQL"
database=$(deploy/private_postgres.sh start --owner-pid $$)
cluster_dir=${database#host=}
cluster_dir=${cluster_dir%% *}
"$signetd" migrate --database="$database"
step "bootstrapping the first admin account, root-admin"
"$signetd" bootstrap --database="$database" --account_id=root-admin \
  --key_file="$run_dir/root-admin.json"

step "making a self-signed TLS certificate for localhost"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
  -days 30 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 \
  -keyout "$run_dir/tls_key.pem" -out "$run_dir/tls_cert.pem" 2>/dev/null

socket=unix:$run_dir/signetd.sock
tls=127.0.0.1:$tls_port
# setpriv's death signal stops signetd even if this script is killed.
setpriv --pdeathsig TERM -- \
  "$signetd" --listen="$socket,$tls" --database="$database" \
  --tls_cert="$run_dir/tls_cert.pem" --tls_key="$run_dir/tls_key.pem" &
signetd_pid=$!

ready=0
for _ in $(seq 100); do
  if "$signetctl" --target="$socket" --timeout=1s health >/dev/null 2>&1; then
    ready=1
    break
  fi
  kill -0 "$signetd_pid" 2>/dev/null || { wait "$signetd_pid"; exit 1; }
  sleep 0.1
done
if [[ $ready -eq 0 ]]; then
  echo "run-local: signetd did not answer its health check within 10 s" >&2
  exit 1
fi

echo
step "signetd is up. Check it from another terminal:"
echo "  $signetctl --target=$socket health"
echo "  $signetctl --target=$tls --tls_ca=$run_dir/tls_cert.pem health"
echo "  psql '$database'"
echo "  the admin's key file: $run_dir/root-admin.json"
printf 'run-local: health over the unix socket: '
"$signetctl" --target="$socket" health
printf 'run-local: health over TLS: '
"$signetctl" --target="$tls" --tls_ca="$run_dir/tls_cert.pem" health
echo
step "a short tour with signetctl, as root-admin:"
ctl() {
  local shown=()
  for arg in "$@"; do
    # Tokens are long; show the start of one only.
    [[ ${#arg} -gt 60 ]] && arg="${arg:0:24}..."
    shown+=("$arg")
  done
  echo "  \$ signetctl ${shown[*]}"
  "$signetctl" --target="$socket" --key_file="$run_dir/root-admin.json" "$@" |
    sed 's/^/    /'
}
ctl accounts create demo-robot --display_name="Demo robot"
ctl keys create demo-robot --algorithm=ES256 --out="$run_dir/demo-robot.json"
ctl roles grant demo-robot viewer --scope=demo-robot
token=$("$signetctl" token print --key_file="$run_dir/demo-robot.json" \
  --audience=https://localhost/)
echo "  \$ signetctl token print --key_file=demo-robot.json --audience=https://localhost/"
echo "    ${token:0:40}..."
ctl token verify "$token" --audience=https://localhost/
key_id=$("$signetctl" --target="$socket" --key_file="$run_dir/root-admin.json" \
  keys list demo-robot --format=json | sed -n 's/.*"key_id": "\([0-9a-f]*\)".*/\1/p')
ctl keys disable demo-robot "$key_id"
sleep 0.5
ctl token verify "$token" --audience=https://localhost/ || true
echo
step "press Ctrl-C to stop signetd and remove the private PostgreSQL"
echo

# Ctrl-C reaches signetd too (same process group) and stops it gracefully.
trap '' INT
wait "$signetd_pid" || true
signetd_pid=""
