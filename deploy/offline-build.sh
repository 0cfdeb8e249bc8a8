#!/usr/bin/env bash
# Builds every target inside a network namespace with no network, from an
# empty output base, to prove that the build downloads nothing. Needs root
# (or user namespaces) for `unshare -n`.
#
#   deploy/offline-build.sh [TARGET...]   (default: every package)
set -euo pipefail

cd "$(dirname "$0")/.."
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
  # Not //...: that would wander into the bazel-* links of the ordinary
  # output base, which this build does not own.
  for dir in */; do
    [[ $dir != bazel-* && -n $(find "$dir" -name BUILD.bazel -print -quit) ]] &&
      targets+=("//${dir%/}/...")
  done
fi
output_base=$(mktemp -d /tmp/signet-offline-build.XXXXXX)

trap 'rm -rf "$output_base"' EXIT

echo "offline-build: building ${targets[*]} with no network"
# Bazel's client reaches its server over loopback, which a new network
# namespace has down.
# The server is shut down from inside the namespace too: outside it, the
# client could not reach it.
if unshare -n bash -c '
    ip link set lo up &&
    bazel --output_base="$1" build --noshow_progress --symlink_prefix=/ "${@:2}"
    status=$?
    bazel --output_base="$1" shutdown
    exit $status' \
    _ "$output_base" "${targets[@]}"; then
  echo "offline-build: passed"
else
  echo "offline-build: FAILED offline (see the output above: a download, or"
  echo "  any other build error)"
  exit 1
fi
