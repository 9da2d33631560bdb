#!/usr/bin/env bash
# Regenerate a review's outputs in a temporary copy and compare them with the committed
# outputs/: tables, figures and reference lists must be byte-identical. Exit 1 (listing
# the files that differ) when outputs/ is out of date, so CI keeps the repository current.
#
#   scripts/check_outputs_current.sh [PROJECT_DIR]      (default: the repository root)
#
# Executed notebooks (outputs/**/notebooks/) are regenerated too but not compared: their
# text can carry kernel messages that differ between machines.
set -euo pipefail

project="$(cd "${1:-$(dirname "$0")/..}" && pwd)"
if [ -x "$project/.venv/bin/reviewbench" ]; then
  reviewbench="$project/.venv/bin/reviewbench"
else
  reviewbench="${REVIEWBENCH:-reviewbench}"
fi
compared=(tables figures references)

if [ ! -d "$project/outputs" ] || [ -z "$(ls -A "$project/outputs" 2>/dev/null)" ]; then
  echo "check_outputs_current: $project/outputs is empty; run \`reviewbench run\` and commit outputs/ first" >&2
  exit 1
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
tar -C "$project" --exclude=./.venv --exclude=./.git --exclude=./outputs --exclude=./.cache \
    --exclude=./.pytest_cache --exclude=./.hypothesis -cf - . | tar -C "$tmp" -xf -
mkdir -p "$tmp/outputs"

"$reviewbench" run --project "$tmp" --no-html >"$tmp/.run.log" 2>&1 || {
  cat "$tmp/.run.log" >&2
  echo "check_outputs_current: reviewbench run failed on a fresh copy" >&2
  exit 1
}

status=0
for sub in "${compared[@]}"; do
  if [ -d "$project/outputs/$sub" ] || [ -d "$tmp/outputs/$sub" ]; then
    if ! diff -rq "$project/outputs/$sub" "$tmp/outputs/$sub" >"$tmp/.diff" 2>&1; then
      sed -e "s#$tmp/#regenerated: #g" -e "s#$project/#committed: #g" "$tmp/.diff" >&2
      status=1
    fi
  fi
done
if [ "$status" -ne 0 ]; then
  echo "check_outputs_current: outputs/ is out of date; run \`reviewbench run\` and commit outputs/" >&2
  exit 1
fi
echo "check_outputs_current: outputs/{$(IFS=,; echo "${compared[*]}")} are current"
