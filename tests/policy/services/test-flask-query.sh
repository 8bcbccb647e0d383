#!/bin/bash
# test-flask-query.sh FLASK_QUERY DIR
# flask-query's command-line behaviour: exit status and messages on bad
# usage and bad policies, and the answer to every kind of good and bad query
# line, in order. DIR holds svc-a.30 and svc-mls.30 (tests/policy/services).
set -u
fq=$1
dir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1 ($2)"; failed=1; }

# expect_exit DESC STATUS STDERR_REGEX -- ARGS... (stdin from /dev/null)
expect_exit() {
	local desc=$1 want=$2 re=$3
	shift 4
	"$fq" "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
	local rc=$?
	if [ $rc -ne "$want" ]; then
		fail "$desc" "status $rc, want $want; stderr: $(head -c 300 "$tmp/err")"
	elif ! grep -Eq "$re" "$tmp/err"; then
		fail "$desc" "stderr '$(head -c 300 "$tmp/err")' does not match /$re/"
	elif [ -s "$tmp/out" ]; then
		fail "$desc" "unexpected output on stdout"
	elif [ "$want" -eq 2 ] && [ "$(wc -l <"$tmp/err")" -ne 1 ] && ! grep -q usage "$tmp/err"; then
		fail "$desc" "the reason is not one line"
	else
		pass "$desc"
	fi
}

# expect_answers DESC POLICY: stdin = queries, then "----", then the expected answers
expect_answers() {
	local desc=$1 policy=$2
	awk -v q="$tmp/q" -v a="$tmp/want" '/^----$/ { sep = 1; next } { print > (sep ? a : q) }'
	"$fq" "$policy" <"$tmp/q" >"$tmp/got" 2>"$tmp/err"
	local rc=$?
	if [ $rc -ne 0 ]; then
		fail "$desc" "status $rc: $(head -c 300 "$tmp/err")"
	elif ! diff -u "$tmp/want" "$tmp/got" >"$tmp/diff"; then
		fail "$desc" "answers differ: $(tr '\n' '|' <"$tmp/diff" | head -c 800)"
	else
		pass "$desc"
	fi
}

expect_exit "no argument: usage, status 2" 2 '^usage: flask-query' --
expect_exit "two arguments: usage, status 2" 2 '^usage: flask-query' -- "$dir/svc-a.30" extra
expect_exit "missing policy file: status 2 naming the file" 2 \
	"^flask-query: $tmp/nope.30: No such file or directory\$" -- "$tmp/nope.30"
expect_exit "a directory as policy: status 2 naming the problem" 2 \
	"^flask-query: $tmp: Is a directory\$" -- "$tmp"
head -c 1000 "$dir/svc-a.30" >"$tmp/trunc.30"
expect_exit "truncated policy: status 2, reason with the offset" 2 \
	"^flask-query: $tmp/trunc.30: .*offset [0-9]+" -- "$tmp/trunc.30"
printf 'this is not a policy\n' >"$tmp/text.30"
expect_exit "not a policy: status 2, reason names the magic" 2 \
	"^flask-query: $tmp/text.30: .*magic.*offset 0" -- "$tmp/text.30"
: >"$tmp/empty.30"
expect_exit "empty file: status 2 with a reason" 2 "^flask-query: $tmp/empty.30: .+" -- "$tmp/empty.30"

# Xen 4.17 has 13 initial SIDs; a policy with one fewer (no domDM) or one
# more (a spare after domDM) is refused by count. checkpolicy accepts both,
# so the refusal is flask-query's own.
src=tests/policy/services/svc-a.conf
sed '/^sid domDM/d' "$src" >"$tmp/isid12.conf"
sed -e 's/^sid domDM$/&\nsid spare/' \
	-e 's/^sid domDM \(.*\)$/&\nsid spare \1/' "$src" >"$tmp/isid14.conf"
for n in 12 14; do
	if ! checkpolicy -t Xen -c 30 -o "$tmp/isid$n.30" "$tmp/isid$n.conf" >"$tmp/cp.log" 2>&1; then
		fail "checkpolicy builds svc-a with $n initial SIDs" "$(tail -1 "$tmp/cp.log")"
		continue
	fi
	expect_exit "a policy with $n initial SIDs: status 2, the reason names both counts" 2 \
		"^flask-query: $tmp/isid$n.30: policy declares $n initial SIDs, Xen 4.17 has 13\$" \
		-- "$tmp/isid$n.30"
done

D=system_u:system_r:dom0_t
U=system_u:system_r:domU_t
expect_answers "good queries answered in order" "$dir/svc-a.30" <<EOF2
# a comment, then an empty line and an indented comment: no answers

   # indented
av $D $U domain
av $U $D domain
av $U $U event
create $D $U domain
create $D $U event
member $D guest_u:vm_r:domU_t event
relabel $D $U resource
valid system_u:vm_r:domU_t
valid guest_u:system_r:domU_t
av $U $D event
bool gate 1
av $U $D event
bool gate 0
av $U $D event
----
allowed=create,getdomaininfo,pause auditallow=pause auditdeny=create,getdomaininfo,pause,setvcpucontext,transition
allowed= auditallow= auditdeny=create,pause,setvcpucontext,transition
allowed=bind,create,send auditallow= auditdeny=bind,create,send,status
system_u:vm_r:newdom_t
system_u:object_r:domU_t
guest_u:object_r:evchn_t
system_u:object_r:nic_t
valid
invalid
allowed=status auditallow= auditdeny=bind,create,send,status
ok
allowed=send auditallow= auditdeny=bind,create,send,status
ok
allowed=status auditallow= auditdeny=bind,create,send,status
EOF2

long=$(head -c 5000 /dev/zero | tr '\0' 'x')
expect_answers "each bad line gets one error and the next line is answered" "$dir/svc-a.30" <<EOF2
av nobody_u:system_r:domU_t $U domain
av $U system_u:system_r:nobody_t domain
av $D $U nosuchclass
create $D $U nosuchclass
create sys2_u:system_r:dom0_t $U domain
relabel bad $U resource
member $D bad event
frobnicate $D $U domain
av $D $U
av $D $U domain extra
a b c d e f
valid
bool nosuchbool 1
bool gate 2
bool gate
valid $long
valid $U
----
error: invalid source context
error: invalid target context
error: unknown class
error: unknown class
error: no valid context results
error: invalid source context
error: invalid target context
error: unknown query or wrong number of words
error: unknown query or wrong number of words
error: unknown query or wrong number of words
error: too many words
error: unknown query or wrong number of words
error: unknown boolean
error: boolean value must be 0 or 1
error: unknown query or wrong number of words
error: line too long
valid
EOF2

M=system_u:system_r:dom0_t:s0-s2:c0.c5
expect_answers "MLS answers: ranges, category runs, range_transition" "$dir/svc-mls.30" <<EOF2
create $M system_u:system_r:domU_t:s0 domain
create system_u:system_r:dom0_t:s0:c0,c1,c2,c4-s2:c0.c5 system_u:system_r:domU_t:s0 event
valid system_u:system_r:domU_t:s2:c6
valid system_u:system_r:domU_t:s0-s2:c0.c3,c5
av system_u:system_r:domU_t:s0-s1 system_u:system_r:domU_t:s0 event
av system_u:system_r:domU_t:s0 system_u:system_r:domU_t:s0-s1 event
----
system_u:system_r:newdom_t:s1:c1-s2:c1.c3
system_u:object_r:evchn_t:s0:c0.c2,c4
invalid
valid
allowed=send auditallow= auditdeny=bind,send
allowed= auditallow= auditdeny=bind,send
EOF2

# Answers to a large batch come back complete and in order.
for i in $(seq 1 500); do
	echo "valid $U"
	echo "valid guest_u:system_r:domU_t"
done >"$tmp/batch"
"$fq" "$dir/svc-a.30" <"$tmp/batch" >"$tmp/batch.out" 2>&1
if [ "$(wc -l <"$tmp/batch.out")" -eq 1000 ] &&
	[ "$(awk 'NR % 2 == 1 && $0 != "valid" || NR % 2 == 0 && $0 != "invalid"' "$tmp/batch.out" | wc -l)" -eq 0 ]; then
	pass "1000 queries, 1000 answers in order"
else
	fail "1000 queries, 1000 answers in order" "$(head -c 200 "$tmp/batch.out")"
fi
exit $failed
