#!/usr/bin/env bash
# Installs everything signet needs to build, test and run on Debian 12, from
# Debian's own packages. Runs apt-get as root (through sudo when not root).
set -euo pipefail

packages=(
  # Build
  bazel-bootstrap bazel-rules-java g++ clang-14 libclang-rt-14-dev
  protobuf-compiler protobuf-compiler-grpc grpc-proto
  # Libraries
  libgrpc++-dev libprotobuf-dev libabsl-dev libpqxx-dev libpq-dev libssl-dev
  libspdlog-dev libfmt-dev nlohmann-json3-dev
  # Tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev libjwt-dev libcpp-jwt-dev
  android-libboringssl-dev clang-format
  # Third-party clients of the example Greeter (tests, run-local)
  python3-grpcio python3-google-auth python3-protobuf
  # Running: the store, certificates, the private cluster's helpers
  postgresql openssl util-linux iproute2 procps
)

sudo=()
if [[ $EUID -ne 0 ]]; then
  sudo=(sudo)
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null |
      grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps: all ${#packages[@]} packages are installed"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
