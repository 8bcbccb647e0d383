#!/bin/bash
# policy-tools: check the built default policies with stock SELinux tools.
#
#   tests/policy/policy-tools.sh BUILD_POLICY_DIR POLICY_SOURCE_DIR
#
# seinfo and sesearch (setools) open each binary policy that policy/build.mk
# produced and must find the facts the policy promises: the types, the
# booleans, the rules that make dom0 the manager and keep isolated guests
# apart, the transitions that label event channels and device-model targets,
# the object contexts and, for the MLS build, the lattice.  checkpolicy reads
# the binaries back (-b) for what setools cannot show (initial SID contexts,
# class and permission order), and must refuse deliberately broken copies of
# the source.  Each line is one PASS or FAIL; the status is 1 if any failed.

set -u

out=${1:?usage: policy-tools.sh BUILD_POLICY_DIR POLICY_SOURCE_DIR}
src=${2:?usage: policy-tools.sh BUILD_POLICY_DIR POLICY_SOURCE_DIR}

P30=$out/policy.30
P24=$out/policy.24
M30=$out/policy-mls.30
M24=$out/policy-mls.24

failures=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

pass() { echo "PASS: $1"; }
fail() {
	echo "FAIL: $1 ($2)"
	failures=$((failures + 1))
}

# expect_match DESC PATTERN COMMAND...: COMMAND succeeds and its output has a
# line matching the extended regular expression PATTERN.
expect_match() {
	local desc=$1 pattern=$2
	shift 2
	local output
	if ! output=$("$@" 2>&1); then
		fail "$desc" "'$*' exited with status $?"
	elif grep -Eq -- "$pattern" <<<"$output"; then
		pass "$desc"
	else
		fail "$desc" "no line matches /$pattern/ in output of '$*'"
	fi
}

# sesearch_cached ARGS...: sesearch ARGS, but each distinct query runs once.
# Loading the policy is most of the cost of a query, and many checks look
# at the same pair of types.
sesearch_cached() {
	local key
	key=$(printf '%s\n' "$@" | md5sum | cut -c1-16)
	if [ ! -e "$tmp/ss.$key.status" ]; then
		sesearch "$@" >"$tmp/ss.$key" 2>&1
		echo $? >"$tmp/ss.$key.status"
	fi
	cat "$tmp/ss.$key"
	return "$(cat "$tmp/ss.$key.status")"
}

# The rule checks take sesearch arguments.  They run the query without its
# -c CLASS and -p PERM options (so that checks on one pair of types share
# one query) and apply the class and permission to the rules it prints.
# sesearch matches a type also through the attributes that contain it, so
# the rules printed for a pair are all the rules that apply to it.
split_query() {
	q_args=()
	q_class='[a-z0-9_]+'
	q_perm=
	while [ $# -gt 0 ]; do
		case $1 in
		-c) q_class=$2; shift 2 ;;
		-p) q_perm=$2; shift 2 ;;
		*) q_args+=("$1"); shift ;;
		esac
	done
}

# rule_has_perm CLASS PERM: filter of rule lines of that class granting PERM.
rule_has_perm() {
	grep -E "^(allow|auditallow|dontaudit) [^ ]+ [^ ]+:$1 ([^;]*[{ ])?$2[ ;}]"
}

# expect_no_rule DESC SESEARCH-ARGS...: no rule matches the query.
expect_no_rule() {
	local desc=$1 output found
	shift
	split_query "$@"
	if ! output=$(sesearch_cached "${q_args[@]}"); then
		fail "$desc" "'sesearch ${q_args[*]}' failed"
		return
	fi
	if [ -n "$q_perm" ]; then
		found=$(rule_has_perm "$q_class" "$q_perm" <<<"$output" | head -1)
	else
		found=$(grep -E "^(allow|auditallow|dontaudit) [^ ]+ [^ ]+:$q_class " <<<"$output" | head -1)
	fi
	if [ -n "$found" ]; then
		fail "$desc" "unexpected rule: $found"
	else
		pass "$desc"
	fi
}

# expect_perms DESC PERMS SESEARCH-ARGS...: the rules of the query grant
# every permission in PERMS (space separated).
expect_perms() {
	local desc=$1 perms=$2 output missing=
	shift 2
	split_query "$@"
	if ! output=$(sesearch_cached "${q_args[@]}"); then
		fail "$desc" "'sesearch ${q_args[*]}' failed"
		return
	fi
	for p in $perms; do
		rule_has_perm "$q_class" "$p" <<<"$output" | grep -q . || missing="$missing $p"
	done
	if [ -n "$missing" ]; then
		fail "$desc" "missing:$missing"
	else
		pass "$desc"
	fi
}

# expect_refused DESC REASON FILE [CHECKPOLICY-FLAGS...]: checkpolicy must
# reject FILE with a non-zero status, and its message must match the extended
# regular expression REASON, so that a refusal for another cause (a syntax
# error from a badly planted line, say) does not count.
expect_refused() {
	local desc=$1 reason=$2 file=$3
	shift 3
	local output status
	output=$(checkpolicy -t Xen "$@" -c 30 -o "$tmp/refused.bin" "$file" 2>&1)
	status=$?
	if [ "$status" -eq 0 ]; then
		fail "$desc" "checkpolicy accepted it"
	elif ! grep -Eq -- "$reason" <<<"$output"; then
		fail "$desc" "status $status for another reason: $(grep -m1 -i 'error' <<<"$output")"
	else
		pass "$desc"
	fi
}

# plant RULE CONF OUT: copy CONF to OUT with RULE in its type enforcement
# part (just before the role declarations).
plant() {
	sed "/^role system_r;\$/i $1" "$2" >"$3"
	grep -qxF -- "$1" "$3"
}

for f in "$P30" "$P24" "$M30" "$M24" "$out/policy.conf" "$out/policy-mls.conf"; do
	if [ ! -s "$f" ]; then
		fail "built policy file $f exists" "missing or empty; run make policy"
		exit 1
	fi
done

################################################################################
# Every binary opens in setools with the expected version and MLS state.

# Each seinfo run loads the policy again, so what several checks read is
# asked once and kept in $tmp.
for spec in "$P30 30 disabled" "$P24 24 disabled" "$M30 30 enabled" "$M24 24 enabled"; do
	set -- $spec
	name=$(basename "$1")
	if ! seinfo "$1" >"$tmp/stats.$name" 2>&1; then
		fail "seinfo reads $name" "$(tail -1 "$tmp/stats.$name")"
		continue
	fi
	expect_match "seinfo reads $name: version $2, MLS $3" \
		"^Policy Version: +$2 \(MLS $3\)" cat "$tmp/stats.$name"
	expect_match "seinfo reads $name: target platform is xen" \
		"^Target Policy: +xen" cat "$tmp/stats.$name"
done

################################################################################
# Types, attributes, booleans.

required_types="xen_t xenboot_t domio_t domxen_t security_t unlabeled_t irq_t
	ioport_t iomem_t device_t dom0_t dom0_t_channel domU_t domU_t_self
	domU_t_channel domU_t_target isolated_domU_t isolated_domU_t_self
	isolated_domU_t_channel prot_domU_t prot_domU_t_self prot_domU_t_channel
	nomigrate_t nomigrate_t_self nomigrate_t_channel nomigrate_t_building
	dm_dom_t dm_dom_t_self dm_dom_t_channel nic_dev_t uart_dev_t"
for pol in "$P30" "$P24" "$M30" "$M24"; do
	if ! types=$(seinfo "$pol" -t 2>&1); then
		fail "seinfo -t lists types of $(basename "$pol")" "seinfo failed"
		continue
	fi
	missing=
	for t in $required_types; do
		grep -Eq "^ +$t\$" <<<"$types" || missing="$missing $t"
	done
	if [ -n "$missing" ]; then
		fail "seinfo -t lists every required type in $(basename "$pol")" "missing:$missing"
	else
		pass "seinfo -t lists every required type in $(basename "$pol")"
	fi
done

# One seinfo run each for the components of the two policies.
seinfo "$P30" -x -a -b -u -r --typebounds --constrain --validatetrans >"$tmp/comp30" 2>&1 ||
	fail "seinfo lists the components of policy.30" "$(tail -1 "$tmp/comp30")"
seinfo "$M30" -x -b -u --sensitivity --category --constrain >"$tmp/compmls" 2>&1 ||
	fail "seinfo lists the components of policy-mls.30" "$(tail -1 "$tmp/compmls")"

# attr_members FILE ATTR: the types seinfo -x -a lists under ATTR.
attr_members() {
	awk -v a="attribute $2;" '
		/^   [a-z]/ { inside = ($0 == "   " a) ; next }
		/^\t/ && inside { sub(/^\t/, ""); print }
		/^$/ { inside = 0 }' "$1"
}

for a in domain_type domain_self_type domain_target_type event_type resource_type xen_type mls_priv; do
	expect_match "attribute $a exists" "^   attribute $a;\$" cat "$tmp/comp30"
done
expect_match "domU_t_self carries domain_self_type" "^domU_t_self\$" \
	attr_members "$tmp/comp30" domain_self_type
expect_match "domU_t_target carries domain_target_type" "^domU_t_target\$" \
	attr_members "$tmp/comp30" domain_target_type
expect_match "dom0_t and its channels are MLS-trusted" "^dom0_t_channel\$" \
	attr_members "$tmp/comp30" mls_priv
if attr_members "$tmp/comp30" mls_priv | grep -Eq '^(domU|isolated|prot|nomigrate|dm_dom)'; then
	fail "no guest type is MLS-trusted" "$(attr_members "$tmp/comp30" mls_priv | tr '\n' ' ')"
else
	pass "no guest type is MLS-trusted"
fi

expect_match "boolean prot_doms_locked exists, default false" \
	"bool prot_doms_locked false;" cat "$tmp/comp30"
expect_match "boolean guest_writeconsole exists, default true" \
	"bool guest_writeconsole true;" cat "$tmp/comp30"
expect_match "MLS build has the same booleans" \
	"bool prot_doms_locked false;" cat "$tmp/compmls"

expect_match "user system_u has role system_r" "user system_u roles system_r;" cat "$tmp/comp30"
expect_match "role system_r holds dom0_t" "role system_r types \{.* dom0_t " cat "$tmp/comp30"
if grep -E "role system_r types \{.* (security_t|domU_t_channel|nic_dev_t) " "$tmp/comp30" >/dev/null; then
	fail "role system_r holds no object type" "found one"
else
	pass "role system_r holds no object type"
fi

################################################################################
# Classes and permissions: Xen's names in Xen's order.  The reference lists are
# written here, independently of policy/flask/, so a slip in either shows.

cat >"$tmp/xen-classes" <<'EOF'
class xen { settime tbufcontrol readconsole clearconsole perfcontrol mtrr_add mtrr_del mtrr_read microcode physinfo quirk writeconsole readapic writeapic kexec firmware sleep frequency getidle debug getcpuinfo heap pm_op mca_op lockprof cpupool_op hypfs_op getscheduler setscheduler }
class xen2 { resource_op psr_cmt_op psr_alloc get_symbol pmu_ctrl pmu_use get_cpu_featureset livepatch_op coverage_op get_dom0_console }
class domain { setvcpucontext pause unpause resume create transition max_vcpus destroy setaffinity getaffinity getscheduler getdomaininfo getvcpuinfo getvcpucontext setdomainmaxmem setdomainhandle setdebugging hypercall settime set_target shutdown setaddrsize getaddrsize trigger getpodtarget setpodtarget set_misc_info set_virq_handler getpagingmempool setpagingmempool }
class domain2 { relabelfrom relabelto relabelself make_priv_for set_as_target set_cpu_policy gettsc settsc setscheduler setclaim cacheflush create_hardware_domain set_vnumainfo get_vnumainfo psr_cmt_op vm_event soft_reset mem_access mem_paging mem_sharing psr_alloc resource_map get_cpu_policy vuart_op dt_overlay set_llc_colors get_domain_state }
class hvm { sethvmc gethvmc setparam getparam bind_irq hvmctl mem_sharing audit_p2m share_mem altp2mhvm altp2mhvm_op dm }
class mmu { map_read map_write pageinfo adjust stat updatemp physmap pinpage memorymap remote_remap mmuext_op exchange target_hack }
class resource { add remove use use_iommu use_iommu_nointremap use_noiommu add_irq remove_irq add_ioport remove_ioport add_iomem remove_iomem stat_device add_device remove_device plug unplug setup }
class shadow { disable enable logdirty }
class event { bind send status create reset }
class grant { map_read map_write unmap transfer setup copy query }
class security { compute_av compute_create compute_member check_context load_policy compute_relabel setenforce setbool setsecparam add_ocontext del_ocontext }
class version { xen_extraversion xen_compile_info xen_capabilities xen_changeset xen_pagesize xen_guest_handle xen_commandline xen_build_id }
class argo { enable register_single_source register_any_source send }
EOF

# checkpolicy -b -F writes the binary back as policy language, classes and
# permissions in value order.
for pol in "$P30" "$M30"; do
	conf=$tmp/$(basename "$pol").conf
	flags=
	[ "$pol" = "$M30" ] && flags=-M
	if checkpolicy -b $flags -F -o "$conf" "$pol" >"$tmp/rt.log" 2>&1; then
		pass "checkpolicy -b reads $(basename "$pol") back"
	else
		fail "checkpolicy -b reads $(basename "$pol") back" "$(tail -1 "$tmp/rt.log")"
		continue
	fi
	grep -E '^class [a-z0-9_]+ \{' "$conf" >"$tmp/got-classes"
	if diff -q "$tmp/xen-classes" "$tmp/got-classes" >/dev/null; then
		pass "$(basename "$pol"): classes and permissions in Xen's order"
	else
		fail "$(basename "$pol"): classes and permissions in Xen's order" \
			"$(diff "$tmp/xen-classes" "$tmp/got-classes" | grep '^[<>]' | head -2 | tr '\n' ' ')"
	fi
	# A binary keeps initial SIDs by number only; checkpolicy names them from
	# libsepol's table, which predates Xen 4.17's xenboot (SID 1 shows as
	# "xen", SID 13 as UNKNOWN13). So the numbering is checked by context:
	# the Nth "sid NAME CONTEXT" line is SID N.
	grep -E '^sid [A-Za-z0-9_]+ ' "$conf" | awk '{split($3, c, ":"); print c[3]}' |
		tr '\n' ' ' >"$tmp/sids"
	if [ "$(cat "$tmp/sids")" = "xenboot_t xen_t dom0_t domio_t domxen_t unlabeled_t security_t ioport_t iomem_t irq_t device_t domU_t dm_dom_t " ]; then
		pass "$(basename "$pol"): initial SIDs 1..13 in Xen 4.17's order, by their types"
	else
		fail "$(basename "$pol"): initial SIDs 1..13 in Xen 4.17's order, by their types" \
			"got: $(cat "$tmp/sids")"
	fi
done

# Contexts of the initial SIDs, read back by number (see above): the Nth
# sid line of the round trip is SID N, whatever name libsepol gives it.
conf=$tmp/policy.30.conf
n=0
for pair in "xenboot system_u:system_r:xenboot_t" "xen system_u:system_r:xen_t" \
	"dom0 system_u:system_r:dom0_t" \
	"domio system_u:system_r:domio_t" "domxen system_u:system_r:domxen_t" \
	"unlabeled system_u:system_r:unlabeled_t" "security system_u:object_r:security_t" \
	"ioport system_u:object_r:ioport_t" "iomem system_u:object_r:iomem_t" \
	"irq system_u:object_r:irq_t" "device system_u:object_r:device_t" \
	"domU system_u:system_r:domU_t" "domDM system_u:system_r:dm_dom_t"; do
	set -- $pair
	n=$((n + 1))
	got=$(grep -E '^sid [A-Za-z0-9_]+ ' "$conf" 2>/dev/null | sed -n "${n}p" | cut -d' ' -f3-)
	if [ "$got" = "$2" ]; then
		pass "initial SID $n ($1) is $2"
	else
		fail "initial SID $n ($1) is $2" "${got:-no context}"
	fi
done
expect_match "MLS: initial SID dom0 spans the lattice" \
	'^sid [A-Za-z0-9_]+ system_u:system_r:dom0_t:s0 - s3:c0\.c15$' cat "$tmp/policy-mls.30.conf"
expect_match "MLS: initial SID security sits at system high" \
	'^sid [A-Za-z0-9_]+ system_u:object_r:security_t:s3:c0\.c15( - s3:c0\.c15)?$' cat "$tmp/policy-mls.30.conf"

################################################################################
# dom0: the manager.

expect_perms "dom0_t loads policy, sets enforcing mode and booleans" \
	"load_policy setenforce setbool check_context" \
	"$P30" -A -s dom0_t -t security_t -c security
expect_perms "MLS build: dom0_t administers the security server too" \
	"load_policy setenforce setbool" "$M24" -A -s dom0_t -t security_t -c security
expect_match "auditallow dom0_t setenforce" "^auditallow dom0_t security_t:security .*setenforce" \
	sesearch "$P30" --auditallow -s dom0_t -t security_t
expect_perms "dom0_t reads and clears the hypervisor console" "readconsole clearconsole" \
	"$P30" -A -s dom0_t -t xen_t -c xen
expect_perms "dom0_t creates and builds domU_t domains" \
	"create max_vcpus setvcpucontext hypercall getdomaininfo" \
	"$P30" -A -s dom0_t -t domU_t -c domain
expect_perms "dom0_t pauses, unpauses, destroys domU_t domains" "pause unpause destroy shutdown" \
	"$P30" -A -s dom0_t -t domU_t -c domain
expect_perms "dom0_t maps domU_t memory (build, save)" "map_read map_write" \
	"$P30" -A -s dom0_t -t domU_t -c mmu
expect_perms "dom0_t shares grants with domU_t" "map_read map_write unmap copy" \
	"$P30" -A -s dom0_t -t domU_t -c grant
expect_perms "dom0_t opens event channels to domU_t" "create send status" \
	"$P30" -A -s dom0_t -t dom0_t_channel -c event
expect_perms "dom0_t channel ends bind to domU_t" "bind" \
	"$P30" -A -s dom0_t_channel -t domU_t -c event

missing=
out30=$(sesearch_cached "$P30" -A -s dom0_t -t domU_t)
for c in domain domain2 hvm mmu grant event shadow; do
	grep -Eq "^allow [^ ]+ [^ ]+:$c " <<<"$out30" || missing="$missing $c"
done
if [ -z "$missing" ]; then
	pass "dom0_t manages domU_t in every domain-related class"
else
	fail "dom0_t manages domU_t in every domain-related class" "no rule in:$missing"
fi
expect_perms "dom0_t resets the event channels of domU_t" "reset" \
	"$P30" -A -s dom0_t -t domU_t -c event

expect_no_rule "domU_t cannot load policy or set enforcing" \
	"$P30" -A -s domU_t -t security_t -c security
expect_no_rule "domU_t cannot read the hypervisor console" \
	"$P30" -A -s domU_t -t xen_t -c xen -p readconsole
expect_no_rule "guests are not given the hypervisor command line" \
	"$P30" -A -s domU_t -t xen_t -c version -p xen_commandline
expect_match "its denial is not audited" "^dontaudit domain_type xen_t:version xen_commandline" \
	sesearch "$P30" --dontaudit -s domU_t -t xen_t -c version
expect_match "guest console writes depend on guest_writeconsole" \
	'writeconsole.*\[ guest_writeconsole \]:True' sesearch "$P30" -A -s domU_t -t xen_t -c xen

################################################################################
# Guests: who may talk to whom.

expect_perms "domU_t guests talk to each other by event channel" "bind" \
	"$P30" -A -s domU_t_channel -t domU_t -c event
expect_perms "domU_t guests map each other's grants" "map_read map_write" \
	"$P30" -A -s domU_t -t domU_t -c grant
expect_no_rule "domU_t has no event rule on isolated_domU_t" \
	"$P30" -A -s domU_t -t isolated_domU_t -c event
expect_no_rule "domU_t channel ends cannot bind to isolated_domU_t" \
	"$P30" -A -s domU_t_channel -t isolated_domU_t -c event
expect_no_rule "isolated_domU_t channel ends cannot bind to domU_t" \
	"$P30" -A -s isolated_domU_t_channel -t domU_t -c event
expect_no_rule "domU_t cannot map isolated_domU_t grants" \
	"$P30" -A -s domU_t -t isolated_domU_t -c grant
expect_no_rule "isolated_domU_t cannot map domU_t grants" \
	"$P30" -A -s isolated_domU_t -t domU_t -c grant
expect_perms "isolated_domU_t talks to dom0_t" "bind" \
	"$P30" -A -s isolated_domU_t_channel -t dom0_t -c event
expect_match "isolated_domU_t binds to dom0_t and itself only" \
	"^allow isolated_domU_t_channel (dom0_t|isolated_domU_t_self):event bind;\$" \
	sesearch "$P30" -A -s isolated_domU_t_channel -c event -p bind
if n=$(sesearch "$P30" -A -s isolated_domU_t_channel -c event -p bind 2>/dev/null | grep -c '^allow'); [ "$n" = 2 ]; then
	pass "isolated_domU_t channel ends have exactly two bind rules"
else
	fail "isolated_domU_t channel ends have exactly two bind rules" "found ${n:-none}"
fi

# Event channel labels come from type transitions.
expect_match "domU_t channel ends toward dom0_t are domU_t_channel" \
	"^type_transition domU_t dom0_t:event domU_t_channel;" \
	sesearch "$P30" -T -s domU_t -t dom0_t -c event
expect_match "dom0_t channel ends toward domU_t are dom0_t_channel" \
	"^type_transition dom0_t domU_t:event dom0_t_channel;" \
	sesearch "$P30" -T -s dom0_t -t domU_t -c event
expect_match "domU_t acting on itself sees domU_t_self" \
	"^type_transition domU_t domU_t:domain domU_t_self;" \
	sesearch "$P30" -T -s domU_t -t domU_t -c domain
expect_perms "domU_t maps its own memory through domU_t_self" "map_read map_write" \
	"$P30" -A -s domU_t -t domU_t_self -c mmu

################################################################################
# prot_domU_t: creation gated by prot_doms_locked.

expect_match "dom0_t creates prot_domU_t only while prot_doms_locked is false" \
	'create.*\[ prot_doms_locked \]:False' sesearch "$P30" -A -s dom0_t -t prot_domU_t -c domain -p create
if sesearch "$P30" -A -s dom0_t -t prot_domU_t -c domain -p create 2>/dev/null |
	grep '^allow' | grep -vq 'prot_doms_locked'; then
	fail "no unconditional rule lets dom0_t create prot_domU_t" "found one"
else
	pass "no unconditional rule lets dom0_t create prot_domU_t"
fi

################################################################################
# nomigrate_t: built under nomigrate_t_building, then out of reach of dom0.

expect_perms "dom0_t maps memory of nomigrate_t_building while building" "map_read map_write" \
	"$P30" -A -s dom0_t -t nomigrate_t_building -c mmu
expect_perms "dom0_t relabels from nomigrate_t_building" "relabelfrom" \
	"$P30" -A -s dom0_t -t nomigrate_t_building -c domain2
expect_perms "dom0_t relabels to nomigrate_t" "relabelto" \
	"$P30" -A -s dom0_t -t nomigrate_t -c domain2
expect_perms "nomigrate_t_building may become nomigrate_t" "transition" \
	"$P30" -A -s nomigrate_t_building -t nomigrate_t -c domain
expect_no_rule "dom0_t cannot map nomigrate_t memory" \
	"$P30" -A -s dom0_t -t nomigrate_t -c mmu
expect_no_rule "dom0_t cannot save nomigrate_t state" \
	"$P30" -A -s dom0_t -t nomigrate_t -c domain -p getvcpucontext
expect_perms "dom0_t still manages nomigrate_t" "pause unpause destroy" \
	"$P30" -A -s dom0_t -t nomigrate_t -c domain

################################################################################
# dm_dom_t: device model of a domU_t guest through domU_t_target.

expect_match "a device model acting on domU_t sees domU_t_target" \
	"^type_transition domU_t dm_dom_t:domain domU_t_target;" \
	sesearch "$P30" -T -s domU_t -t dm_dom_t -c domain
expect_match "event channel ends of domU_t_target are domU_t_channel" \
	"^type_transition domU_t_target dm_dom_t:event domU_t_channel;" \
	sesearch "$P30" -T -s domU_t_target -t dm_dom_t -c event
expect_perms "dm_dom_t becomes device model of domU_t" "set_target" \
	"$P30" -A -s dm_dom_t -t domU_t -c domain
expect_perms "dom0_t makes dm_dom_t a device model" "make_priv_for" \
	"$P30" -A -s dom0_t -t dm_dom_t -c domain2
expect_perms "dom0_t makes domU_t a device-model target" "set_as_target" \
	"$P30" -A -s dom0_t -t domU_t -c domain2
expect_perms "dm_dom_t maps its guest memory through domU_t_target" "map_read map_write target_hack" \
	"$P30" -A -s dm_dom_t -t domU_t_target -c mmu
expect_no_rule "dm_dom_t cannot map domU_t memory without the target label" \
	"$P30" -A -s dm_dom_t -t domU_t -c mmu
expect_match "domU_t_target is bounded by domU_t" "typebounds domU_t domU_t_target;" \
	cat "$tmp/comp30"

################################################################################
# Hardware: object contexts and who may use what.

# seinfo 4.4.1 prints nothing for --pirqcon and friends (it compares the
# target platform with a string), so the object contexts are read from the
# checkpolicy round trip above, where they appear in policy language.
expect_match "pirqcon labels IRQ 11 nic_dev_t" "^pirqcon 11 system_u:object_r:nic_dev_t\$" \
	cat "$tmp/policy.30.conf"
expect_match "ioportcon labels COM1 uart_dev_t" "^ioportcon 0x3f8-0x3ff system_u:object_r:uart_dev_t\$" \
	cat "$tmp/policy.30.conf"
expect_match "iomemcon labels the NIC BAR" "^iomemcon 0xfebc0-0xfebdf system_u:object_r:nic_dev_t\$" \
	cat "$tmp/policy.30.conf"
expect_match "pcidevicecon labels 00:03.0" "^pcidevicecon 0x18 system_u:object_r:nic_dev_t\$" \
	cat "$tmp/policy.30.conf"
expect_match "devicetreecon labels a device-tree node" \
	'^devicetreecon "/soc/ethernet@ff0e0000" system_u:object_r:nic_dev_t$' cat "$tmp/policy.30.conf"
expect_match "MLS object contexts carry a level" "^pirqcon 11 system_u:object_r:nic_dev_t:s0( - s0)?\$" \
	cat "$tmp/policy-mls.30.conf"
expect_match "seinfo counts the object contexts" \
	"Devicetreecon: +1\$" cat "$tmp/stats.policy.30"
expect_perms "dom0_t assigns the NIC" "add_device add_irq add_iomem" \
	"$P30" -A -s dom0_t -t nic_dev_t -c resource
expect_perms "domU_t uses the NIC behind an interrupt-remapping IOMMU" "use use_iommu" \
	"$P30" -A -s domU_t -t nic_dev_t -c resource
expect_no_rule "domU_t may not use the NIC without an IOMMU" \
	"$P30" -A -s domU_t -t nic_dev_t -c resource -p use_noiommu
expect_no_rule "no rule reaches the hypervisor console UART" "$P30" -A -t uart_dev_t
expect_no_rule "nothing is allowed on unlabeled_t" "$P30" -A -t unlabeled_t
expect_no_rule "unlabeled_t is allowed nothing" "$P30" -A -s unlabeled_t

################################################################################
# Constraints.

expect_match "relabels keep user and role" "constrain domain transition \(u1 == u2 and \( r1 == r2 \)\)" \
	cat "$tmp/comp30"
expect_match "validatetrans on domain" "^ +validatetrans domain " cat "$tmp/comp30"

################################################################################
# MLS.

expect_match "MLS policy has 4 sensitivities, 16 categories" "^ +Sensitivities: +4 +Categories: +16" \
	cat "$tmp/stats.policy-mls.30"
expect_match "MLS version 24 has the same lattice" "^ +Sensitivities: +4 +Categories: +16" \
	cat "$tmp/stats.policy-mls.24"
expect_match "non-MLS policy has no lattice" "^ +Sensitivities: +0 +Categories: +0" \
	cat "$tmp/stats.policy.30"
sens=$(sed -n 's/^   sensitivity \(s[0-9]*\);$/\1/p' "$tmp/compmls" | tr '\n' ' ')
if [ "$sens" = "s0 s1 s2 s3 " ]; then
	pass "sensitivities are s0..s3"
else
	fail "sensitivities are s0..s3" "got: $sens"
fi
cats=$(grep -cE '^   category c([0-9]|1[0-5]);$' "$tmp/compmls")
if [ "$cats" = 16 ]; then
	pass "categories are c0..c15"
else
	fail "categories are c0..c15" "got $cats"
fi
expect_match "system_u ranges over the whole lattice" \
	"user system_u roles system_r level s0 range s0 - s3:c0.c15;" cat "$tmp/compmls"
expect_match "mlsconstrain: creating a domain needs dominance" \
	"mlsconstrain domain create \(h1 dom h2\)" cat "$tmp/compmls"
expect_match "mlsconstrain: event channel ends bind at equal levels" \
	"mlsconstrain event bind \(l1 == l2 " cat "$tmp/compmls"
expect_match "mlsconstrain: grant read mapping needs the mapper to dominate" \
	"mlsconstrain grant map_read \(l1 dom l2 " cat "$tmp/compmls"
expect_match "mlsconstrain: policy load needs system high" \
	"mlsconstrain security .*load_policy.*\(h1 dom h2\)" cat "$tmp/compmls"
if grep -q mlsconstrain "$tmp/comp30"; then
	fail "non-MLS policy has no mlsconstrain" "found one"
else
	pass "non-MLS policy has no mlsconstrain"
fi

################################################################################
# Decisions.  checkpolicy -d answers security-server calls on a binary policy
# with libsepol; here it shows that the rules and constraints above add up to
# the intended decisions, booleans and MLS levels included.

# sepol_run FLAGS POLICY ANSWERS...: one checkpolicy -d session, fed one
# answer per line (contexts therefore without spaces: s0-s3, not s0 - s3).
sepol_run() {
	local flags=$1 pol=$2
	shift 2
	printf '%s\n' "$@" q | checkpolicy -b $flags -d "$pol" 2>&1
}

# sepol_av FLAGS POLICY SCON TCON CLASS [BOOL VALUE]: the permissions allowed
# from SCON to TCON in CLASS, after setting BOOL to VALUE if given.  SIDs are
# handed out in order, so a first session learns the SIDs of the contexts and
# a second one, repeating the same steps, asks the question.
sepol_av() {
	local flags=$1 pol=$2 scon=$3 tcon=$4 class=$5
	shift 5
	local sids pre
	sids=($(sepol_run "$flags" "$pol" 2 "$scon" 2 "$tcon" | sed -n 's/^sid \([0-9]*\)$/\1/p'))
	[ "${#sids[@]}" -eq 2 ] || return 1
	pre=(2 "$scon" 2 "$tcon")
	[ $# -eq 2 ] && pre+=(h "$1" "$2")
	sepol_run "$flags" "$pol" "${pre[@]}" 0 "${sids[0]}" "${sids[1]}" "$class" |
		sed -n 's/^allowed {\(.*\)}$/\1 /p' | grep .
}

# expect_av DESC ALLOWED DENIED FLAGS POLICY SCON TCON CLASS [BOOL VALUE]
expect_av() {
	local desc=$1 want=$2 refuse=$3 got bad=
	shift 3
	if ! got=$(sepol_av "$@"); then
		fail "$desc" "checkpolicy -d gave no answer for $3 -> $4 ($5)"
		return
	fi
	for p in $want; do
		grep -q " $p " <<<"$got" || bad="$bad -$p"
	done
	for p in $refuse; do
		grep -q " $p " <<<"$got" && bad="$bad +$p"
	done
	if [ -n "$bad" ]; then
		fail "$desc" "wrong:$bad (allowed:$got)"
	else
		pass "$desc"
	fi
}

# sepol_create FLAGS POLICY SCON TCON CLASS: the context of a new object
# (transition_sid), e.g. an event channel end.
sepol_create() {
	local flags=$1 pol=$2 scon=$3 tcon=$4 class=$5 sids new
	sids=($(sepol_run "$flags" "$pol" 2 "$scon" 2 "$tcon" | sed -n 's/^sid \([0-9]*\)$/\1/p'))
	[ "${#sids[@]}" -eq 2 ] || return 1
	new=$(sepol_run "$flags" "$pol" 2 "$scon" 2 "$tcon" 3 "${sids[0]}" "${sids[1]}" "$class" |
		sed -n 's/^sid \([0-9]*\)$/\1/p' | tail -1)
	[ -n "$new" ] || return 1
	sepol_run "$flags" "$pol" 2 "$scon" 2 "$tcon" 3 "${sids[0]}" "${sids[1]}" "$class" 1 "$new" |
		sed -n 's/^scontext //p'
}

expect_create() {
	local desc=$1 want=$2 got
	shift 2
	got=$(sepol_create "$@")
	if [ "$got" = "$want" ]; then
		pass "$desc"
	else
		fail "$desc" "got '${got:-nothing}'"
	fi
}

u=system_u:system_r
expect_av "decision: dom0 may create prot_domU_t while unlocked" "create" "" \
	"" "$P30" $u:dom0_t $u:prot_domU_t domain
expect_av "decision: after prot_doms_locked=1 dom0 can no longer create prot_domU_t" \
	"destroy pause" "create" "" "$P30" $u:dom0_t $u:prot_domU_t domain prot_doms_locked 1
expect_av "decision: guest_writeconsole=0 takes console writes from guests" "" "writeconsole" \
	"" "$P30" $u:domU_t $u:xen_t xen guest_writeconsole 0
expect_av "decision: guests write to the console by default" "writeconsole" "readconsole" \
	"" "$P30" $u:domU_t $u:xen_t xen
expect_av "decision: domU_t channel ends do not bind to isolated_domU_t" "" "bind" \
	"" "$P30" system_u:object_r:domU_t_channel $u:isolated_domU_t event
expect_av "decision: dom0 maps no nomigrate_t memory" "" "map_read map_write" \
	"" "$P30" $u:dom0_t $u:nomigrate_t mmu
expect_create "decision: a domU_t end toward dom0 is labelled domU_t_channel" \
	system_u:object_r:domU_t_channel "" "$P30" $u:domU_t $u:dom0_t event

expect_av "MLS decision: s2 guest maps an s1 grant for reading, not writing" \
	"map_read" "map_write copy" -M "$M30" $u:domU_t:s2 $u:domU_t:s1 grant
expect_av "MLS decision: s1 guest cannot map an s2 grant" "" "map_read map_write" \
	-M "$M30" $u:domU_t:s1 $u:domU_t:s2 grant
expect_av "MLS decision: incomparable categories share no grant" "" "map_read" \
	-M "$M30" $u:domU_t:s1:c1 $u:domU_t:s1:c2 grant
expect_av "MLS decision: equal levels share grants both ways" "map_read map_write copy" "" \
	-M "$M30" $u:domU_t:s1:c1 $u:domU_t:s1:c1 grant
expect_av "MLS decision: an s1 end does not bind to an s2 guest" "" "bind" \
	-M "$M30" system_u:object_r:domU_t_channel:s1 $u:domU_t:s2 event
expect_av "MLS decision: an s1 end binds to an s1 guest" "bind" "" \
	-M "$M30" system_u:object_r:domU_t_channel:s1 $u:domU_t:s1 event
expect_av "MLS decision: an s1 end binds to dom0" "bind" "" \
	-M "$M30" system_u:object_r:domU_t_channel:s1 $u:dom0_t:s0-s3:c0.c15 event
expect_create "MLS decision: a channel end takes the level of its owner" \
	system_u:object_r:domU_t_channel:s1 -M "$M30" $u:domU_t:s1 $u:dom0_t:s0-s3:c0.c15 event
expect_av "MLS decision: dom0 cleared to system high loads policy" "load_policy setenforce" "" \
	-M "$M30" $u:dom0_t:s0-s3:c0.c15 system_u:object_r:security_t:s3:c0.c15 security
expect_av "MLS decision: dom0 cleared below system high cannot load policy" \
	"compute_av" "load_policy setenforce setbool" \
	-M "$M30" $u:dom0_t:s0-s2:c0.c15 system_u:object_r:security_t:s3:c0.c15 security
expect_av "MLS decision: dom0 creates a guest within its clearance" "create" "" \
	-M "$M30" $u:dom0_t:s0-s3:c0.c15 $u:domU_t:s2 domain
expect_av "MLS decision: dom0 cannot create a guest above its clearance" "" "create" \
	-M "$M30" $u:dom0_t:s0-s1:c0.c15 $u:domU_t:s2 domain
expect_av "MLS decision: a device model serves a guest of its own level" "set_target" "" \
	-M "$M30" $u:dm_dom_t:s1 $u:domU_t:s1 domain
expect_av "MLS decision: a device model cannot serve a guest of another level" "" "set_target" \
	-M "$M30" $u:dm_dom_t:s1 $u:domU_t:s2 domain

################################################################################
# checkpolicy refuses broken sources.

# A harmless rule planted the same way compiles: the place is right, so the
# refusals below are for the planted fault.
if plant 'allow dom0_t xen_t:xen settime;' "$out/policy.conf" "$tmp/good.conf" &&
	checkpolicy -t Xen -c 30 -o "$tmp/good.bin" "$tmp/good.conf" >"$tmp/good.log" 2>&1; then
	pass "a planted harmless rule compiles"
else
	fail "a planted harmless rule compiles" "$(grep -m1 -i error "$tmp/good.log")"
fi

# refuse_planted DESC REASON RULE
refuse_planted() {
	if plant "$3" "$out/policy.conf" "$tmp/planted.conf"; then
		expect_refused "$1" "$2" "$tmp/planted.conf"
	else
		fail "$1" "could not plant the rule"
	fi
}
refuse_planted "checkpolicy refuses a rule on an undeclared type" \
	"unknown type no_such_t" 'allow dom0_t no_such_t:domain create;'
refuse_planted "checkpolicy refuses a permission outside its class" \
	"permission load_policy is not defined for class xen" 'allow dom0_t xen_t:xen load_policy;'
refuse_planted "checkpolicy refuses a rule beyond typebounds" \
	"domU_t_target exceeds bounds of parent domU_t" 'allow domU_t_target security_t:security compute_av;'
refuse_planted "neverallow: no domU may set the enforcing mode" \
	"neverallow .* violated by allow domU_t security_t:security" 'allow domU_t security_t:security setenforce;'
refuse_planted "neverallow: no one maps a running nomigrate_t guest" \
	"neverallow .* violated by allow dom0_t nomigrate_t:mmu" 'allow dom0_t nomigrate_t:mmu map_read;'
refuse_planted "neverallow: domU_t channels never reach isolated_domU_t" \
	"neverallow .* violated by allow domU_t_channel isolated_domU_t:event" \
	'allow domU_t_channel isolated_domU_t:event bind;'
refuse_planted "neverallow: isolated_domU_t maps no grant of domU_t" \
	"neverallow .* violated by allow isolated_domU_t domU_t:grant" \
	'allow isolated_domU_t domU_t:grant map_read;'

# A context outside the lattice in the MLS build.
sed 's/^sid domU \(.*\):s0$/sid domU \1:s7/' "$out/policy-mls.conf" >"$tmp/badlevel.conf"
if grep -q '^sid domU .*:s7$' "$tmp/badlevel.conf"; then
	expect_refused "checkpolicy -M refuses a context at an undefined level" \
		"Sensitivity s7 is not defined" "$tmp/badlevel.conf" -M
else
	fail "checkpolicy -M refuses a context at an undefined level" "could not plant the bad level"
fi

# A broken copy of the source tree: a module that uses a type nobody declares.
cp -r "$src" "$tmp/src"
echo 'domain_comms(dom0_t, ghost_t)' >>"$tmp/src/modules/domU.te"
files=$(sed -n 's/^\t\$(POLICY_DIR)\/\([^ ]*\).*/\1/p' "$src/build.mk")
if [ -z "$files" ]; then
	fail "checkpolicy refuses a broken copy of the source tree" "no source list in build.mk"
else
	(cd "$tmp/src" && m4 $files) >"$tmp/broken-src.conf" 2>"$tmp/m4.log"
	expect_refused "checkpolicy refuses a broken copy of the source tree" \
		"unknown type ghost_t" "$tmp/broken-src.conf"
	# and the unbroken copy, built the same way, is accepted
	(cd "$src" && m4 $files) >"$tmp/good-src.conf" 2>>"$tmp/m4.log"
	if checkpolicy -t Xen -c 30 -o "$tmp/good.bin" "$tmp/good-src.conf" >"$tmp/good.log" 2>&1; then
		pass "the same build of the intact source is accepted"
	else
		fail "the same build of the intact source is accepted" "$(tail -1 "$tmp/good.log")"
	fi
fi

[ "$failures" -eq 0 ]
