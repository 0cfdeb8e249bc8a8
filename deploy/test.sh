#!/usr/bin/env bash
# Installs what signet needs, builds it, and runs the whole test suite:
# every Bazel test target, then a build inside an offline network namespace
# that proves the build downloads nothing. Ends with one line
#   N passed, N failed[, N skipped]
# counting one per test target (and one for the offline build), and exits
# non-zero when anything failed.
#
#   deploy/test.sh [--no-install] [--skip-offline-build] [BAZEL_TEST_FLAG...]
set -uo pipefail

cd "$(dirname "$0")/.."

install=1
offline_build=1
bazel_flags=()
for arg in "$@"; do
  case $arg in
    --no-install) install=0 ;;
    --skip-offline-build) offline_build=0 ;;
    *) bazel_flags+=("$arg") ;;
  esac
done

if [[ $install -eq 1 ]]; then
  deploy/install-deps.sh || exit 1
fi

log=$(mktemp /tmp/signet-test-log.XXXXXX)
trap 'rm -f "$log"' EXIT

bazel test --keep_going "${bazel_flags[@]}" //... 2>&1 | tee "$log"
bazel_status=${PIPESTATUS[0]}

# Bazel's summary names each test target with its outcome, for example
#   //db:migrator_test        PASSED in 1.0s
#   //tests:signetd_test      (cached) FAILED in 3 out of 3 in 9.1s
read -r passed failed skipped < <(awk '
  /^\/\/[^ ]+ +(\(cached\) )?PASSED/ { passed++ }
  /^\/\/[^ ]+ +(\(cached\) )?(FAILED|TIMEOUT|FLAKY|INCOMPLETE|NO STATUS)/ { failed++ }
  /^\/\/[^ ]+ +(\(cached\) )?SKIPPED/ { skipped++ }
  END { print passed + 0, failed + 0, skipped + 0 }' "$log")

# A build that failed before running any test still counts as a failure.
if [[ $bazel_status -ne 0 && $failed -eq 0 ]]; then
  failed=1
fi

if [[ $offline_build -eq 1 ]]; then
  if deploy/offline-build.sh; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
fi

summary="$passed passed, $failed failed"
if [[ $skipped -gt 0 ]]; then
  summary+=", $skipped skipped"
fi
echo "$summary"
[[ $failed -eq 0 ]]
