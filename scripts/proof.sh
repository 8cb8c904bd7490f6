#!/usr/bin/env bash
# The long proof run (issue 7, parts 1 and 2): the crash torture and the network-fault suites of
# tests/proof with many rounds, and every Hypothesis test there with the "long" profile.
#
#   bash scripts/proof.sh                      # 200 rounds per scenario
#   DTTS_PROOF_ROUNDS=50 bash scripts/proof.sh # shorter
#   DTTS_PROOF_SEED=123456 DTTS_PROOF_ROUNDS=200 bash scripts/proof.sh -k mid_sync   # replay a run
#
# Each round prints "proof <scenario>: round N seed S (replay: DTTS_PROOF_SEED=B DTTS_PROOF_ROUNDS=R)"
# and a failure names its round's seed; the printed DTTS_PROOF_SEED/DTTS_PROOF_ROUNDS replay the run's
# workload, faults and kill moments (not the scheduling of the processes, so a kill lands near the same
# point). Extra arguments go to pytest. CI runs the same tests with a few rounds (bash scripts/test.sh);
# this script is for before a release, or after touching the store, the sync engine, the hub's
# submissions or the USB backup and restore. The crash and fault suites take about 40 minutes at 200
# rounds on the 2-core machine; the Hypothesis tests of tests/proof add their own time.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  echo "proof: no .venv yet; run 'bash scripts/test.sh --co -q' once to make it" >&2
  exit 2
fi
export DTTS_PROOF_ROUNDS="${DTTS_PROOF_ROUNDS:-200}"
export HYPOTHESIS_PROFILE="${HYPOTHESIS_PROFILE:-long}"
export DTTS_SCHEMATHESIS_EXAMPLES="${DTTS_SCHEMATHESIS_EXAMPLES:-300}"
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
echo "proof: DTTS_PROOF_ROUNDS=$DTTS_PROOF_ROUNDS HYPOTHESIS_PROFILE=$HYPOTHESIS_PROFILE ${DTTS_PROOF_SEED:+DTTS_PROOF_SEED=$DTTS_PROOF_SEED}"
# -s: the per-round seed lines are the replay instructions; no per-test timeout (a scenario runs all its rounds)
exec .venv/bin/python -m pytest tests/proof -s -q -p no:cacheprovider --timeout=0 "$@"
