#!/usr/bin/env bash
# The long proof run (issue 7, parts 1 and 2): the crash torture and the network-fault suites of
# tests/proof with many rounds, and every Hypothesis test there with the "long" profile.
#
#   bash scripts/proof.sh                      # 200 rounds per scenario: about an hour on 2 cores
#   DTTS_PROOF_ROUNDS=50 bash scripts/proof.sh # shorter
#   DTTS_PROOF_SEED=123456 DTTS_PROOF_ROUNDS=1 bash scripts/proof.sh -k mid_sync   # replay one round
#
# Each round prints "proof <scenario>: round N seed S"; a failure names its seed, and DTTS_PROOF_SEED=S
# makes the first round of every scenario use S (the workload, faults and kill moments are replayed; the
# scheduling of the processes is not). Extra arguments go to pytest. CI runs the same tests with a few
# rounds (bash scripts/test.sh), so this script is for before a release or after touching the store,
# the sync engine, the hub's submissions or the USB backup and restore.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  echo "proof: no .venv yet; run 'bash scripts/test.sh --co -q' once to make it" >&2
  exit 2
fi
export DTTS_PROOF_ROUNDS="${DTTS_PROOF_ROUNDS:-200}"
export HYPOTHESIS_PROFILE="${HYPOTHESIS_PROFILE:-long}"
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
echo "proof: DTTS_PROOF_ROUNDS=$DTTS_PROOF_ROUNDS HYPOTHESIS_PROFILE=$HYPOTHESIS_PROFILE ${DTTS_PROOF_SEED:+DTTS_PROOF_SEED=$DTTS_PROOF_SEED}"
# -s: the per-round seed lines are the replay instructions; no per-test timeout (a scenario runs all its rounds)
exec .venv/bin/python -m pytest tests/proof -s -q -p no:cacheprovider --timeout=0 "$@"
