#!/usr/bin/env bash
# Makes sure PostgreSQL's server binaries are on this machine for the test suite, installing
# Debian's `postgresql` package when they are missing. The suite starts its own throwaway server.
set -euo pipefail

bindir=$(pg_config --bindir 2>/dev/null || true)
if [ -n "$bindir" ] && [ -x "$bindir/initdb" ] && [ -x "$bindir/pg_ctl" ]; then exit 0; fi
for candidate in /usr/lib/postgresql/*/bin; do
  if [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ]; then exit 0; fi
done

echo "PostgreSQL server not found: installing Debian's postgresql package for the tests..."
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends postgresql
