#!/bin/sh
# /init of hv-linux's initramfs (tests/hv/linux/run-linux-dom0), run by
# Debian's static busybox in a Linux dom0 on Palisade. It loads the Xen
# device drivers, runs the userspace checks and prints one line per check,
#   dom0test: NAME: ok: DETAIL   or   dom0test: NAME: FAIL: WHY
# (our static programs print theirs in the same form, tests/hv/linux/
# report.h), then powers off.
#
# Kernel command line words the kernel does not know reach us as
# environment variables:
#   palisade_init=crash   exit at the end instead, so the kernel panics
#   palisade_inject=1     plant a fault under every check (smaller sizes):
#                         each must then report FAIL
#   palisade_cpus=N       the vcpus dom0 was given (dom0_max_vcpus=): all
#                         must be online, and the stress runs one worker on each
#
# Standard output goes to the kernel log, which reaches the hypervisor's
# console through console_io (earlyprintk=xen keep_bootcon).

export PATH=/bin
exec >/dev/kmsg 2>&1

inject=${palisade_inject:-}
iflag=
forks=1000
pipe_bytes=1048576
file_bytes=8388608
if [ -n "$inject" ]; then
	iflag=--inject
	forks=20
	pipe_bytes=65536
	file_bytes=1048576
fi
failed=0

# report NAME ok|FAIL DETAIL...
report() {
	name=$1
	verdict=$2
	shift 2
	[ "$verdict" = ok ] || failed=$((failed + 1))
	echo "dom0test: $name: $verdict: $*"
}

# Runs one of our programs, which reports for itself.
run() {
	"$@" || failed=$((failed + 1))
}

mount -t proc proc /proc
# "quiet" hides level 4, the default for unprefixed lines written to
# /dev/kmsg: make that level 2; and do not rate-limit those writes.
echo "4 2 1 7" >/proc/sys/kernel/printk
echo on >/proc/sys/kernel/printk_devkmsg
echo "palisade-init: userspace reached (busybox sh, pid $$)"

if mount -t sysfs sysfs /sys && mount -t devtmpfs devtmpfs /dev &&
	mount -t tmpfs -o size=64m tmpfs /tmp; then
	report mounts ok "proc, sysfs, devtmpfs on /dev, tmpfs on /tmp"
else
	report mounts FAIL "mount failed"
fi

# Xen's device drivers, in the order run-linux-dom0 wrote (dependencies
# first), from the same kernel package. The planted fault: a copy of
# xen-gntdev with its ELF magic overwritten, which the kernel must refuse.
while read -r file params; do
	ko=/lib/modules/$file.ko
	name=$(echo "$file" | tr - _)
	if [ -n "$inject" ] && [ "$file" = xen-gntdev ]; then
		cp "$ko" /tmp/bad.ko
		printf 'JUNK' | dd of=/tmp/bad.ko conv=notrunc 2>/dev/null
		ko=/tmp/bad.ko
	fi
	# shellcheck disable=SC2086 # params are words
	if out=$(insmod "$ko" $params 2>&1) && [ -d "/sys/module/$name" ]; then
		report "module-$name" ok "insmod $file.ko $params: /sys/module/$name"
	else
		report "module-$name" FAIL "insmod $file.ko $params: $out"
	fi
done </lib/modules/load.list

for dev in privcmd hypercall evtchn gntdev; do
	if [ -c "/dev/xen/$dev" ]; then
		report "dev-xen-$dev" ok "/dev/xen/$dev is a character device"
	else
		report "dev-xen-$dev" FAIL "no /dev/xen/$dev"
	fi
done

# Every vcpu the hypervisor gave dom0 was brought up by the kernel.
cpus=${palisade_cpus:-1}
want=0
[ "$cpus" -gt 1 ] && want="0-$((cpus - 1))"
[ -n "$inject" ] && want="0-$cpus"
online=$(cat /sys/devices/system/cpu/online)
if [ "$online" = "$want" ]; then
	report cpus-online ok "/sys/devices/system/cpu/online is $online ($cpus vcpus)"
else
	report cpus-online FAIL "/sys/devices/system/cpu/online is $online, want $want"
fi
# The kernel took the FIFO event-channel ABI the hypervisor offers (its
# message is KERN_INFO, so "quiet" keeps it off the console: read the log).
abi="Using FIFO-based ABI"
[ -n "$inject" ] && abi="Using 2-level ABI"
if dmesg | grep -q "xen:events: $abi"; then
	report evtchn-fifo ok "the kernel log says xen:events: $abi"
else
	report evtchn-fifo FAIL "no 'xen:events: $abi' in the kernel log: $(dmesg | grep -o 'xen:events: .*' | head -n 1)"
fi
run palisade-stress $iflag percpu "$cpus"

run palisade-stress $iflag forkexec "$forks" /bin/true

# Data through a pipeline of five processes must come out unchanged.
filter=cat
[ -n "$inject" ] && filter="tr \\000 \\377"
head -c "$pipe_bytes" /dev/urandom >/tmp/pipe.in
size=$(wc -c </tmp/pipe.in)
want=$(sha256sum </tmp/pipe.in)
# shellcheck disable=SC2086 # filter is a command and its arguments
got=$(cat /tmp/pipe.in | gzip -1 | gunzip | $filter | sha256sum)
if [ "$size" = "$pipe_bytes" ] && [ "$got" = "$want" ]; then
	report pipeline ok "$size random bytes through cat|gzip|gunzip|cat|sha256sum: ${got%% *}"
else
	report pipeline FAIL "$size bytes (want $pipe_bytes) through the pipeline: ${got%% *}, want ${want%% *}"
fi
rm -f /tmp/pipe.in

# Many small writes through a pipe, and a sum computed on the other side.
n=20000
want=$((n * (n + 1) / 2))
[ -n "$inject" ] && want=$((want + 1))
got=$(seq 1 $n | awk '{ s += $1 } END { print s }')
if [ "$got" = "$want" ]; then
	report pipe-sum ok "seq 1 $n | awk sums to $got"
else
	report pipe-sum FAIL "seq 1 $n | awk sums to $got, want $want"
fi

run palisade-stress $iflag cow
run palisade-stress $iflag mm

# A file in tmpfs: hashed twice, copied, the copy hashed and compared.
head -c "$file_bytes" /dev/urandom >/tmp/big
size=$(wc -c </tmp/big)
h1=$(sha256sum </tmp/big)
h2=$(sha256sum </tmp/big)
cp /tmp/big /tmp/big.copy
[ -n "$inject" ] && printf 'palisade-inject!' | dd of=/tmp/big.copy bs=1 seek=4096 conv=notrunc 2>/dev/null
h3=$(sha256sum </tmp/big.copy)
if [ "$size" = "$file_bytes" ] && [ "$h1" = "$h2" ] && [ "$h1" = "$h3" ] &&
	cmp -s /tmp/big /tmp/big.copy; then
	report tmpfs-file ok "$size bytes from /dev/urandom, sha256 twice and of a copy: ${h1%% *}"
else
	report tmpfs-file FAIL "size $size (want $file_bytes), sha256 ${h1%% *} ${h2%% *}, copy ${h3%% *}"
fi
rm -f /tmp/big /tmp/big.copy

run palisade-privcmd $iflag

if [ "$failed" = 0 ]; then
	report all ok "every check passed"
else
	report all FAIL "$failed steps failed"
fi

if [ "${palisade_init:-}" = crash ]; then
	echo "palisade-init: exiting to make the kernel panic"
	exit 1
fi
echo "palisade-init: powering off"
sync
poweroff -f
echo "palisade-init: poweroff -f returned"
exit 2
