#!/usr/bin/env bash
# Builds the fuzz targets with libFuzzer, AddressSanitizer and
# UndefinedBehaviorSanitizer (clang-14), and runs each for a bounded time,
# starting from its checked-in seed corpus. New inputs go to a temporary
# directory; a crash or leak fails the run and leaves the input that caused
# it in /tmp/signet-fuzz-artifacts/.
#
#   deploy/fuzz.sh [SECONDS_PER_TARGET [TARGET...]]   (default 60, all)
set -euo pipefail

cd "$(dirname "$0")/.."
seconds=${1:-60}
if [[ ! $seconds =~ ^[0-9]+$ ]]; then
  echo "fuzz: SECONDS_PER_TARGET must be a whole number, not $seconds" >&2
  exit 2
fi
# Each fuzz target with the folder of its seed corpus under jwt/fuzz/corpus.
all_targets=(token_verifier_fuzzer:token key_import_fuzzer:key)
targets=()
for entry in "${all_targets[@]}"; do
  if [[ $# -le 1 ]] || [[ " ${*:2} " == *" ${entry%%:*} "* ]]; then
    targets+=("$entry")
  fi
done
if [[ ${#targets[@]} -eq 0 ]]; then
  echo "fuzz: no fuzz target named ${*:2}" >&2
  exit 2
fi

labels=()
for entry in "${targets[@]}"; do
  labels+=("//jwt/fuzz:${entry%%:*}")
done
if ! bazel build --config=fuzz --noshow_progress "${labels[@]}"; then
  echo "fuzz: build failed" >&2
  exit 1
fi
bin=$(bazel info --config=fuzz bazel-bin 2>/dev/null)

artifacts=/tmp/signet-fuzz-artifacts
mkdir -p "$artifacts"
failed=0
work=""
trap '[[ -z $work ]] || rm -rf "$work" "$work.log"' EXIT
for entry in "${targets[@]}"; do
  target=${entry%%:*}
  corpus=jwt/fuzz/corpus/${entry##*:}
  work=$(mktemp -d /tmp/signet-fuzz.XXXXXX)
  echo "fuzz: $target for ${seconds}s"
  if "$bin/jwt/fuzz/$target" -max_total_time="$seconds" -rss_limit_mb=2048 \
      -artifact_prefix="$artifacts/$target-" -print_final_stats=1 \
      "$work" "$corpus" >"$work.log" 2>&1; then
    echo "fuzz: $target passed: $(grep -m1 -o 'Done [0-9]* runs' "$work.log")"
  else
    tail -n 40 "$work.log"
    echo "fuzz: $target FAILED; inputs in $artifacts"
    failed=1
  fi
  rm -rf "$work" "$work.log"
done
exit $failed
