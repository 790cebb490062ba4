#!/usr/bin/env bash
# Lints the example workflows and every action.yml, as CI does (`npm run lint:workflows`):
#   1. actionlint (with shellcheck on every run: script) on workflows-examples/*.yml;
#   2. zizmor, regular persona, offline, on workflows-examples/ and every action.yml;
#   3. zizmor's auditor persona, but only its secrets-outside-env rule (a job that reads a secret
#      outside an `environment:`), on the same files.
# Any finding fails the run. Findings we chose to ignore are in .github/zizmor.yml, each with
# its reason. The tools are installed once into ~/.cache/mlflow-actions (see scripts/lint/).
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "lint-workflows: $*" >&2; }
# Each installer prints its binary's path on its last line of stdout.
actionlint="$(bash scripts/lint/install-actionlint.sh | tail -n 1)"
shellcheck="$(bash scripts/lint/install-shellcheck.sh | tail -n 1)"
zizmor="$(bash scripts/lint/install-zizmor.sh | tail -n 1)"
# actionlint finds shellcheck on PATH (and -shellcheck names it too, to be sure which one runs).
PATH="$(dirname "$shellcheck"):$PATH"
export PATH

mapfile -t workflows < <(git ls-files 'workflows-examples/*.yml')
mapfile -t actions < <(git ls-files 'action.yml' '*/action.yml')
config=.github/zizmor.yml
status=0

log "actionlint on ${#workflows[@]} workflows (shellcheck $("$shellcheck" --version | sed -n 's/^version: //p'))"
"$actionlint" -no-color -shellcheck "$shellcheck" "${workflows[@]}" || status=1

zizmor_args=(--quiet --offline --no-progress --color=never --config "$config")
log "zizmor (regular persona) on ${#workflows[@]} workflows and ${#actions[@]} actions"
"$zizmor" "${zizmor_args[@]}" --persona=regular "${workflows[@]}" "${actions[@]}" || status=1

log "zizmor (auditor persona, secrets-outside-env only)"
# zizmor cannot run one rule of a persona: run the auditor persona and keep that rule's findings.
"$zizmor" "${zizmor_args[@]}" --persona=auditor --format=json --no-exit-codes "${workflows[@]}" "${actions[@]}" |
  node scripts/lint/zizmor-rule.mjs secrets-outside-env || status=1

if [[ $status -ne 0 ]]; then
  log "FAILED: fix the findings above, or ignore one in $config with its reason"
else
  log "no findings"
fi
exit $status
