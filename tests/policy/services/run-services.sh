#!/bin/sh
# run-services.sh DIR POLICY MLS_POLICY
# Runs test-services and test-avc-smp, then feeds the denial lines the AVC wrote to stock
# audit2allow and checks that it turns them into the expected allow rules.
set -u
dir=$1
policy=$2
mlspolicy=$3
failed=0
audit=$dir/avc-denials.log

if [ -f "$policy" ] && [ -f "$mlspolicy" ]; then
	"$dir/test-services" "$dir" "$audit" "$policy" "$mlspolicy" || failed=1
else
	echo "FAIL: default policies $policy and $mlspolicy were not built"
	"$dir/test-services" "$dir" "$audit" || failed=1
fi

# The AVC on many CPUs against libsepol: 3 reader CPUs, 100 policy loads and
# 100 boolean commits under ASan+UBSan, half as many under ThreadSanitizer.
for prog in "test-avc-smp 3 200" "test-avc-smp-tsan 3 100"; do
	set -- $prog
	"$dir/$1" "$dir" "$2" "$3"
	rc=$?
	if [ $rc -ne 0 ]; then
		echo "FAIL: avc-smp: $1 exited with status $rc (a failed check or a sanitizer report)"
		failed=1
	fi
done

# audit2allow: the denials for dom0 -> domU (domain) and domU -> dom0 (event).
out=$(audit2allow -p "$dir/svc-a.30" -i "$audit" 2>&1)
rc=$?
for want in 'allow dom0_t domU_t:domain { setvcpucontext transition };' \
	'allow domU_t dom0_t:event bind;'; do
	if [ $rc -eq 0 ] && printf '%s\n' "$out" | grep -qxF "$want"; then
		echo "PASS: audit2allow turns the AVC lines into: $want"
	else
		echo "FAIL: audit2allow turns the AVC lines into: $want (status $rc, output: $(printf '%s' "$out" | tr '\n' '|'))"
		failed=1
	fi
done
exit $failed
