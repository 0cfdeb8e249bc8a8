#!/usr/bin/env bash
# Runs a fuzz target (built without libFuzzer) over its seed corpus.
# Usage: replay_corpus.sh TARGET CORPUS_DIR
set -euo pipefail
"$1" "$2"/*
