#!/usr/bin/env bash
# Installs what signet needs, builds it, and runs the whole test suite:
#   1. every Bazel test target (bazel test //...);
#   2. the token core's tests again against BoringSSL (--config=boringssl);
#   3. each fuzz target for a bounded time from its seed corpus;
#   4. a build inside an offline network namespace, proving the build
#      downloads nothing.
# Ends with one line "N passed, N failed[, N skipped]" counting one per test
# target of stages 1 and 2 and one per fuzz target and offline build, and
# exits non-zero when anything failed.
#
#   deploy/test.sh [--no-install] [--quick] [BAZEL_TEST_FLAG...]
#
# --quick runs stage 1 only. Other arguments go to `bazel test`.
set -uo pipefail

cd "$(dirname "$0")/.."

install=1
quick=0
bazel_flags=()
for arg in "$@"; do
  case $arg in
    --no-install) install=0 ;;
    --quick) quick=1 ;;
    *) bazel_flags+=("$arg") ;;
  esac
done

if [[ $install -eq 1 ]]; then
  deploy/install-deps.sh || exit 1
fi

passed=0
failed=0
skipped=0
log=$(mktemp /tmp/signet-test-log.XXXXXX)
trap 'rm -f "$log"' EXIT

# Runs `bazel test` and adds its per-target outcomes to the counts. Bazel's
# summary names each test target with its outcome, for example
#   //db:migrator_test        PASSED in 1.0s
#   //tests:signetd_test      (cached) FAILED in 3 out of 3 in 9.1s
bazel_stage() {
  bazel test --keep_going "${bazel_flags[@]}" "$@" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  local p f s
  read -r p f s < <(awk '
    /^\/\/[^ ]+ +(\(cached\) )?PASSED/ { p++ }
    /^\/\/[^ ]+ +(\(cached\) )?(FAILED|TIMEOUT|FLAKY|INCOMPLETE|NO STATUS)/ { f++ }
    /^\/\/[^ ]+ +(\(cached\) )?SKIPPED/ { s++ }
    END { print p + 0, f + 0, s + 0 }' "$log")
  # A build that failed before any test ran still counts as a failure.
  if [[ $status -ne 0 && $f -eq 0 ]]; then
    f=1
  fi
  # A target whose every test case skipped itself (the Wycheproof vectors
  # where ../shared is absent) counts as skipped, not passed, and says so.
  local label xml cases skips
  while read -r label; do
    xml=bazel-testlogs/${label#//}
    xml=${xml/://}/test.xml
    cases=$(grep -c '<testcase ' "$xml" 2>/dev/null)
    skips=$(grep -c '<testcase [^>]*result="skipped"' "$xml" 2>/dev/null)
    if [[ ${skips:-0} -gt 0 ]]; then
      echo "test: $label skipped $skips of $cases test cases (see its test.log)"
      if [[ $skips -eq $cases ]]; then
        p=$((p - 1))
        s=$((s + 1))
      fi
    fi
  done < <(awk '/^\/\/[^ ]+ +(\(cached\) )?PASSED/ { print $1 }' "$log")
  passed=$((passed + p))
  failed=$((failed + f))
  skipped=$((skipped + s))
}

# Runs one command that is one check.
check_stage() {
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
}

bazel_stage //...
if [[ $quick -eq 0 ]]; then
  bazel_stage --config=boringssl //jwt/...
  for target in token_verifier_fuzzer key_import_fuzzer; do
    check_stage deploy/fuzz.sh "${SIGNET_FUZZ_SECONDS:-60}" "$target"
  done
  check_stage deploy/offline-build.sh
fi

summary="$passed passed, $failed failed"
if [[ $skipped -gt 0 ]]; then
  summary+=", $skipped skipped"
fi
echo "$summary"
[[ $failed -eq 0 ]]
