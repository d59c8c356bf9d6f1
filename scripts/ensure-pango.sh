#!/usr/bin/env bash
# Makes sure the Pango text libraries that WeasyPrint needs (statements as PDF) are on this
# machine, installing Debian's packages when they are missing.
set -euo pipefail

python=${1:-.venv/bin/python}
if "$python" -c "import weasyprint" >/dev/null 2>&1; then exit 0; fi

echo "Pango not found: installing Debian's Pango libraries for PDF statements..."
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
  libharfbuzz-subset0 fonts-dejavu-core
