#!/bin/sh
# run-fuzz.sh FUZZER SECONDS CORPUS_DIR ARTIFACT_DIR
# Runs the policy fuzzer for a bounded time and prints one PASS/FAIL line
# with the executions per second. Exit status 1 on any crash or leak.
set -u
fuzzer=$1
seconds=$2
corpus=$3
artifacts=$4
mkdir -p "$corpus" "$artifacts"
log=$artifacts/fuzz-policy.log
"$fuzzer" -max_total_time="$seconds" -max_len=65536 -timeout=20 -print_final_stats=1 \
	-dict="$(dirname "$0")/policy.dict" \
	-artifact_prefix="$artifacts/" "$corpus" >"$log" 2>&1
rc=$?
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
if [ "$rc" -eq 0 ]; then
	echo "PASS: fuzz-policy ran ${seconds}s: ${execs:-?} inputs (${rate:-?}/s, ${cov:-cov: ?}), no crash, no leak"
	exit 0
fi
echo "FAIL: fuzz-policy found a problem after ${execs:-?} inputs (status $rc; see $log and $artifacts/crash-*)"
grep -E 'ERROR|SUMMARY|runtime error' "$log" | head -5
exit 1
