#!/usr/bin/env bash
# Installs what signet needs, builds it, starts a private PostgreSQL in a
# temporary directory, and runs signetd on it in the foreground until Ctrl-C,
# listening on a unix socket and on TLS with a self-signed certificate. After
# a short signetctl tour it starts the example Greeter, protected by signet,
# and shows a call let in and, once the caller's key is disabled, refused.
# Everything it starts and writes is removed when it stops.
#
#   deploy/run-local.sh [--no-install] [--tls-port PORT] [--greeter-port PORT]
set -euo pipefail

cd "$(dirname "$0")/.."

install=1
tls_port=7443
greeter_port=7444
while [[ $# -gt 0 ]]; do
  case $1 in
    --no-install) install=0; shift ;;
    --tls-port) tls_port=${2:-}; shift $(($# > 1 ? 2 : 1)) ;;
    --greeter-port) greeter_port=${2:-}; shift $(($# > 1 ? 2 : 1)) ;;
    *) echo "run-local: unknown argument $1" >&2; exit 2 ;;
  esac
done
for port in "$tls_port" "$greeter_port"; do
  if [[ ! $port =~ ^[0-9]+$ ]] || ((port < 1 || port > 65535)); then
    echo "run-local: --tls-port and --greeter-port need a port from 1 to 65535" >&2
    exit 2
  fi
done
if [[ $tls_port -eq $greeter_port ]]; then
  echo "run-local: --tls-port and --greeter-port must differ" >&2
  exit 2
fi

step() { echo "run-local: $*"; }

if [[ $install -eq 1 ]]; then
  deploy/install-deps.sh
fi

step "building signetd, signetctl and the example Greeter"
bazel build -c opt --noshow_progress //server:signetd //client:signetctl \
  //examples:greeter_server //examples:greeter_client //examples:python_client
bin=$(bazel info -c opt bazel-bin 2>/dev/null)
signetd=$bin/server/signetd
signetctl=$bin/client/signetctl
greeter_server=$bin/examples/greeter_server
greeter_client=$bin/examples/greeter_client

run_dir=$(mktemp -d /tmp/signet-local.XXXXXX)
cluster_dir=""
signetd_pid=""
greeter_pid=""
cleanup() {
  for pid in $greeter_pid $signetd_pid; do
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
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
step "the example Greeter, protected by signet (examples/README.md):"
fail() {
  echo "run-local: the Greeter demo failed: $*" >&2
  exit 1
}
# The Greeter calls signetd's TokenVerifier (GetKey, WatchKeys) as an
# account of its own; the caller is another account, with an RS256 key so
# that Python's google-auth can sign with it too.
ctl accounts create greeter-server --display_name="Greeter server"
ctl keys create greeter-server --out="$run_dir/greeter-server.json"
ctl accounts create demo-caller --display_name="Greeter caller"
ctl keys create demo-caller --algorithm=RS256 --out="$run_dir/demo-caller.json"
greeter=localhost:$greeter_port
echo "  \$ greeter_server --listen=127.0.0.1:$greeter_port --signetd=$socket" \
  "--key_file=greeter-server.json --allow=demo-caller@signet.internal ..."
setpriv --pdeathsig TERM -- \
  "$greeter_server" --listen="127.0.0.1:$greeter_port" \
  --tls_cert="$run_dir/tls_cert.pem" --tls_key="$run_dir/tls_key.pem" \
  --signetd="$socket" --key_file="$run_dir/greeter-server.json" \
  --allow=demo-caller@signet.internal &
greeter_pid=$!
greet() {
  "$greeter_client" --target="$greeter" --ca="$run_dir/tls_cert.pem" "$@"
}
ready=0
for _ in $(seq 100); do
  if greet --open --timeout=1s >/dev/null 2>&1; then
    ready=1
    break
  fi
  kill -0 "$greeter_pid" 2>/dev/null || fail "greeter_server exited"
  sleep 0.1
done
[[ $ready -eq 1 ]] || fail "greeter_server did not answer within 10 s"

echo "  \$ greeter_client --target=$greeter --key_file=demo-caller.json --name=operator"
reply=$(greet --key_file="$run_dir/demo-caller.json" --name=operator) ||
  fail "SayHello as demo-caller exited with $?"
echo "    $reply"
[[ $reply == "Hello operator, from demo-caller@signet.internal" ]] ||
  fail "unexpected reply: $reply"

echo "  \$ python_client.py --target=$greeter --key_file=demo-caller.json --name=python"
reply=$(PYTHONPATH=$bin/examples /usr/bin/python3 examples/python_client.py \
  --target="$greeter" --ca="$run_dir/tls_cert.pem" \
  --key_file="$run_dir/demo-caller.json" --name=python \
  2>"$run_dir/python_client.err") || {
  code=$?
  cat "$run_dir/python_client.err" >&2
  fail "the Python client (google-auth) exited with $code"
}
echo "    $reply"
[[ $reply == "Hello python, from demo-caller@signet.internal" ]] ||
  fail "unexpected reply: $reply"

caller_key=$("$signetctl" --target="$socket" --key_file="$run_dir/root-admin.json" \
  keys list demo-caller --format=json | sed -n 's/.*"key_id": "\([0-9a-f]*\)".*/\1/p')
[[ -n $caller_key ]] || fail "cannot find demo-caller's key id"
ctl keys disable demo-caller "$caller_key"
# The change reaches the Greeter through WatchKeys, within moments.
echo "  \$ greeter_client --target=$greeter --key_file=demo-caller.json --name=operator"
code=0
for _ in $(seq 50); do
  code=0
  greet --key_file="$run_dir/demo-caller.json" --name=operator >/dev/null 2>&1 ||
    code=$?
  [[ $code -eq 16 ]] && break
  sleep 0.1
done
[[ $code -eq 16 ]] ||
  fail "the disabled key's call exited with $code, not 16 (UNAUTHENTICATED)"
greet --key_file="$run_dir/demo-caller.json" --name=operator 2>&1 |
  sed 's/^/    /' || true
echo "    (exit code $code: UNAUTHENTICATED)"

echo
step "signetd and the Greeter are up. Try the Greeter from another terminal:"
echo "  $greeter_client --target=$greeter --ca=$run_dir/tls_cert.pem --open"
echo
step "press Ctrl-C to stop signetd and the Greeter and remove the private PostgreSQL"
echo

# Ctrl-C reaches signetd and the Greeter too (same process group) and stops
# them gracefully.
trap '' INT
wait "$signetd_pid" || true
signetd_pid=""
wait "$greeter_pid" || true
greeter_pid=""
