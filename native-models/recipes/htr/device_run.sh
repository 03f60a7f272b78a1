#!/usr/bin/env bash
# The prepared script for the `device` tool's GPU machine; see device_run.py and README.md.
#   bash native-models/recipes/htr/device_run.sh --minutes 7 [--mode scratch] [--synthetic-minutes M] [--ab]
# Picks a python3 that has torch ($PYTHON, else python3, else Debian's /usr/bin/python3).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
py="${PYTHON:-}"
if [ -z "$py" ]; then
  for cand in python3 /usr/bin/python3; do
    if command -v "$cand" >/dev/null 2>&1 && "$cand" -c 'import torch' >/dev/null 2>&1; then py="$cand"; break; fi
  done
fi
[ -n "$py" ] || { echo "device_run.sh: no python3 with torch" >&2; exit 2; }
exec env PYTHONUNBUFFERED=1 "$py" "$here/device_run.py" --python "$(command -v "$py")" "$@"
