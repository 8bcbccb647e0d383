/*
 * Test hooks of build/palisade-test.elf (never linked into palisade.elf).
 *
 *   test_mbi=nommap|emptymod|overlap|badsize|noend|badmmap
 *       Feed a corrupted copy of the real boot information to the same
 *       parser (mb2_parse), as a boot loader bug or a crafted image would.
 *   test_selfcheck=wx
 *       Add a writable and executable mapping before the self-checks: the
 *       W^X walker must find it and the boot must stop.
 *   test_fault=ud|pf|gp|de|stack|overflow|vcpu_overflow|panic
 *       Trigger a fault after the self-checks, a few calls deep, so the
 *       report's backtrace has known function names in it. vcpu_overflow
 *       recurses on a fresh vcpu stack (vcpu_stack_alloc) into its guard.
 *   test_domains=N
 *       Create and destroy N domains (domid 1) at dom0's teardown, once XSM
 *       runs and dom0 is gone: each
 *       must have its XSM blob from domain_create, and the heap must end
 *       where it began (a blob or slot not given back shows up here).
 *   test_smp=nosipi|madtsum|noflush|noflush-late
 *       SMP faults: the SIPIs are not sent (the APs never start), the
 *       MADT's checksum is taken as wrong (one CPU, said in the log), the
 *       TLB-flush IPI is acknowledged without flushing. noflush-late plants
 *       noflush only after the self-checks (which would stop the boot), so
 *       guests run with it: a guest's view of a shootdown can be tested.
 *   test_avc=ap
 *       Each AP, in its idle loop, looks up domU_t -> xen_t xen:writeconsole
 *       (allowed exactly while the boolean guest_writeconsole is true, in
 *       the default policy) through the inline front-cache check and the
 *       AVC, again and again, and checks every decision taken while the
 *       policy's sequence number stood still against the boolean's value;
 *       it passes a quiescent point between lookups. A wrong decision is
 *       one "test_avc: CPUn: wrong decision" line (the first few); dom0's
 *       teardown stops the APs and prints one summary line per AP.
 *   test_teardown=heap|leak
 *       At dom0's teardown, before the frames are counted: heap keeps 64 KiB
 *       of hypervisor heap (as a loaded policy does; not a leak), leak keeps
 *       one frame outside the heap (a real leak: exit status 9).
 */
#include <arch/idle.h>
#include <arch/smp.h>
#include <arch/time.h>
#include <asm/multiboot2.h>
#include <asm/paging.h>
#include <asm/setup.h>
#include <asm/smp.h>
#include <asm/traps.h>
#include <console.h>
#include <domain.h>
#include <flask/avc.h>
#include <flask/security.h>
#include <frame.h>
#include <heap.h>
#include <lib.h>
#include <xsm/flask/flask.h>
#include <xsm/xsm.h>

const char test_variant_name[] = " [test build]";

/* Returns the value of "name=" in cmdline (up to the next space) or NULL. */
static const char *find_option(const char *cmdline, const char *name, size_t *len)
{
	size_t nl = strlen(name);
	const char *p = cmdline;

	while (p && *p) {
		const char *end;

		while (*p == ' ') {
			p++;
		}
		end = strchr(p, ' ');
		if (!end) {
			end = p + strlen(p);
		}
		if ((size_t)(end - p) > nl && !strncmp(p, name, nl) && p[nl] == '=') {
			*len = end - p - nl - 1;
			return p + nl + 1;
		}
		p = end;
	}
	return NULL;
}

static bool option_is(const char *v, size_t len, const char *want)
{
	return v && strlen(want) == len && !strncmp(v, want, len);
}

static uint8_t crafted[64 * 1024] __attribute__((aligned(8)));

static uint8_t *find_tag(uint32_t total, uint32_t type)
{
	uint32_t off = 8;

	while (off + 8 <= total) {
		uint32_t t, s;

		memcpy(&t, crafted + off, 4);
		memcpy(&s, crafted + off + 4, 4);
		if (t == type) {
			return crafted + off;
		}
		if (t == MB2_TAG_END || s < 8 || s > total - off) {
			return NULL;
		}
		off = ALIGN_UP(off + s, 8U);
	}
	return NULL;
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

int test_hook_boot_info(const void *info, size_t size, paddr_t info_pa, struct boot_info *bi,
			char *err, size_t errlen)
{
	const char *v;
	size_t len;
	uint32_t total = size;
	uint8_t *tag;

	v = find_option(bi->cmdline, "test_mbi", &len);
	if (!v) {
		return 0;
	}
	if (size > sizeof(crafted)) {
		snprintf(err, errlen, "test_mbi: boot information too large to copy");
		return -1;
	}
	memcpy(crafted, info, size);
	if (option_is(v, len, "nommap")) {
		tag = find_tag(total, MB2_TAG_MMAP);
		if (tag) {
			/* An unknown tag type: the parser must skip it and then miss the map. */
			put32(tag, 0x7fff);
		}
	} else if (option_is(v, len, "emptymod") || option_is(v, len, "overlap")) {
		tag = find_tag(total, MB2_TAG_MODULE);
		if (!tag) {
			snprintf(err, errlen, "test_mbi: needs a module");
			return -1;
		}
		if (option_is(v, len, "emptymod")) {
			memcpy(tag + 12, tag + 8, 4);
		} else {
			put32(tag + 8, (uint32_t)image_phys_start() + 0x1000);
			put32(tag + 12, (uint32_t)image_phys_start() + 0x3000);
		}
	} else if (option_is(v, len, "badsize")) {
		/* The first tag claims to run past the end of the information. */
		put32(crafted + 12, total);
	} else if (option_is(v, len, "noend")) {
		total -= 8;
		put32(crafted, total);
	} else if (option_is(v, len, "badmmap")) {
		tag = find_tag(total, MB2_TAG_MMAP);
		if (tag) {
			put32(tag + 8, 4);
		}
	} else {
		pr_warn("test_mbi: unknown value, ignored\n");
		return 0;
	}
	pr_info("test_mbi: parsing a crafted copy of the boot information\n");
	return mb2_parse(crafted, total, info_pa, image_phys_start(), image_phys_end(), bi, err,
			 errlen);
}

void test_hook_pre_selfcheck(const char *cmdline)
{
	const char *v;
	size_t len;

	v = find_option(cmdline, "test_selfcheck", &len);
	if (option_is(v, len, "wx")) {
		/* Fixmap slot 1 is unused; the frame is the image's first, harmless to alias. */
		fixmap_map(1, image_phys_start(), PTE_W);
		pr_info("test_selfcheck: added a writable+executable mapping\n");
	} else if (v) {
		pr_warn("test_selfcheck: unknown value, ignored\n");
	}
}

/*
 * Each trigger sits a few noinline calls deep: the fault report must name
 * test_fault_trigger, test_fault_middle and test_hook_late in order.
 */
static volatile int zero;
static volatile int *volatile bad_ptr = (volatile int *)0x10;

static int __attribute__((noinline)) smash_stack(const char *src, size_t n)
{
	volatile char buf[16];
	size_t i;

	for (i = 0; i < n; i++) {
		buf[i] = src[i];
	}
	return buf[0];
}

static unsigned long __attribute__((noinline)) recurse_forever(unsigned long depth)
{
	volatile char pad[256];

	pad[0] = (char)depth;
	if (depth == ~0UL) {
		return 0;
	}
	return recurse_forever(depth + 1) + pad[0];
}

static int __attribute__((noinline)) test_fault_trigger(const char *v, size_t len)
{
	static const char junk[64] = "0123456789abcdef0123456789abcdef0123456789abcdef012345";

	if (option_is(v, len, "ud")) {
		__asm__ volatile("ud2");
	} else if (option_is(v, len, "pf")) {
		/* Through a volatile pointer: the compiler must not see the constant. */
		return *bad_ptr;
	} else if (option_is(v, len, "gp")) {
		return *(volatile int *)((uintptr_t)bad_ptr | 0x8000000000000000UL);
	} else if (option_is(v, len, "de")) {
		uint32_t a = 100, d = 0, z = zero;

		/* In asm: the compiler may turn a C division by a constant-ish value into compares.
		 */
		__asm__ volatile("divl %2" : "+a"(a), "+d"(d) : "r"(z));
		return a;
	} else if (option_is(v, len, "stack")) {
		return smash_stack(junk, 48 + zero);
	} else if (option_is(v, len, "overflow")) {
		return (int)recurse_forever(zero);
	} else if (option_is(v, len, "vcpu_overflow")) {
		char *stack = vcpu_stack_alloc();

		if (!stack) {
			pr_err("test_fault: no vcpu stack\n");
			return 0;
		}
		pr_info("test_fault: recursing on the vcpu stack %p-%p\n", stack,
			stack + STACK_SIZE);
		__asm__ volatile("mov %0, %%rsp\n\t"
				 "xor %%edi, %%edi\n\t"
				 "call *%1"
				 :
				 : "r"(stack + STACK_SIZE), "r"(recurse_forever)
				 : "memory");
		__builtin_unreachable();
	} else if (option_is(v, len, "panic")) {
		panic("test_fault=panic requested\n");
	}
	pr_warn("test_fault: unknown value, no fault triggered\n");
	return 0;
}

static int __attribute__((noinline)) test_fault_middle(const char *v, size_t len)
{
	int r = test_fault_trigger(v, len);

	/* Keeps this frame from being a tail call. */
	return r + zero;
}

static const char *late_cmdline;
/* test_avc=ap: set by test_hook_late, read by the APs' idle loops. */
static volatile bool avc_test_on, avc_test_stop;

static void test_domains(const char *v, size_t len)
{
	struct heap_stats before, after;
	unsigned long n = 0, i, no_blob = 0;
	size_t k;

	for (k = 0; k < len && v[k] >= '0' && v[k] <= '9'; k++) {
		n = n * 10 + (unsigned long)(v[k] - '0');
	}
	heap_get_stats(&before);
	for (i = 0; i < n; i++) {
		struct domain *d = domain_create(1, false);

		if (!d) {
			pr_err("test_domains: domain_create failed at %lu\n", i);
			return;
		}
		if (!d->ssid) {
			no_blob++;
		}
		domain_destroy(d);
	}
	heap_get_stats(&after);
	pr_info("test_domains: %lu created and destroyed, %lu without a blob, heap %llu -> %llu "
		"blocks, %llu -> %llu pages\n",
		n, no_blob, (unsigned long long)before.allocations,
		(unsigned long long)after.allocations, (unsigned long long)before.pages,
		(unsigned long long)after.pages);
}

void test_hook_late(const char *cmdline)
{
	const char *v;
	size_t len;

	late_cmdline = cmdline;

	v = find_option(cmdline, "test_smp", &len);
	if (option_is(v, len, "noflush-late")) {
		pr_info("test_smp: the TLB-flush IPI no longer flushes\n");
		__atomic_fetch_or(&smp_test_faults, SMP_TEST_NOFLUSH, __ATOMIC_SEQ_CST);
	}

	v = find_option(cmdline, "test_avc", &len);
	if (option_is(v, len, "ap")) {
		/* The APs find it at their next tick. */
		avc_test_on = true;
	} else if (v) {
		pr_warn("test_avc: unknown value, ignored\n");
	}
	v = find_option(cmdline, "test_fault", &len);
	if (v) {
		pr_info("test_fault: triggering %.*s\n", (int)len, v);
		test_fault_middle(v, len);
		pr_err("test_fault: the fault did not happen\n");
	}
}

/* test_avc=ap: the APs' lookup loops. */
struct avc_ap {
	uint64_t checked, during_change, wrong;
	bool done; /* release-stored by the AP once it left its loop */
};
static struct avc_ap avc_ap[NR_CPUS];

static bool ap_decide(unsigned int cpu)
{
	const uint32_t perm = FP(xen, writeconsole);
	struct av_decision avd;

	if (avc_front_quiet(&avc_cpus[cpu], FLASK_ISID_DOMU, FLASK_ISID_XEN, SECCLASS_xen, perm)) {
		avc_count_fast_hit(cpu);
		return true;
	}
	return avc_has_perm_noaudit(FLASK_ISID_DOMU, FLASK_ISID_XEN, SECCLASS_xen, perm, &avd) == 0;
}

static void avc_ap_loop(unsigned int cpu)
{
	struct avc_ap *st = &avc_ap[cpu];
	int b = -1;
	uint32_t b_seq = 0;

	pr_info("test_avc: CPU%u: checking domU_t -> xen_t xen:writeconsole against "
		"guest_writeconsole\n",
		cpu);
	/*
	 * Interrupts on, as in a hypercall: a TLB-shootdown IPI from a CPU
	 * that holds a lock this AP spins on must still be answered.
	 */
	arch_irq_enable();
	while (!avc_test_stop) {
		for (unsigned int i = 0; i < 64; i++) {
			uint32_t s1 = security_seqno(), s2;
			int cur = -1, pending;
			bool allowed;

			if (b < 0 || b_seq != s1) {
				b = security_find_bool("guest_writeconsole");
				b_seq = s1;
			}
			if (b < 0 || security_get_bool_value(b, &cur, &pending)) {
				cur = -1;
			}
			allowed = ap_decide(cpu);
			s2 = security_seqno();
			if (s1 != s2 || cur < 0) {
				/* The state changed during the lookup: either answer was right at
				 * some instant. */
				st->during_change++;
				continue;
			}
			st->checked++;
			if (allowed != (cur == 1) && st->wrong++ < 3) {
				pr_err("test_avc: CPU%u: wrong decision: %s while "
				       "guest_writeconsole is %d "
				       "(seqno %u)\n",
				       cpu, allowed ? "allowed" : "denied", cur, s1);
			}
		}
		/* Between lookups: the quiescent point of this AP. */
		xsm_cpu_quiescent();
	}
	arch_irq_disable();
	__atomic_store_n(&st->done, true, __ATOMIC_RELEASE);
}

void test_hook_ap_idle(void)
{
	unsigned int cpu = arch_cpu_id();

	if (avc_test_on && !avc_test_stop && cpu < NR_CPUS && !avc_ap[cpu].done) {
		avc_ap_loop(cpu);
	}
}

static void avc_test_report(void)
{
	unsigned int cpu, n = arch_nr_cpus();
	struct avc_cache_stats st = {0};
	uint64_t t0, mine, checked, during, wrong;
	bool done, agree;

	avc_test_stop = true;
	for (cpu = 1; cpu < n; cpu++) {
		/*
		 * An AP sees the flag within 64 lookups, but its QEMU thread may
		 * wait for a host core: 10 s. A stuck one is said below.
		 */
		t0 = arch_now_ns();
		while (!(done = __atomic_load_n(&avc_ap[cpu].done, __ATOMIC_ACQUIRE)) &&
		       arch_now_ns() - t0 < 10000000000ULL) {
			arch_cpu_relax();
		}
		/* Its counts and its statistics, read once and after it stopped. */
		checked = avc_ap[cpu].checked;
		during = avc_ap[cpu].during_change;
		wrong = avc_ap[cpu].wrong;
		mine = checked + during;
		/* The loop is this AP's only AVC user: its statistics count exactly its lookups. */
		agree = done && avc_get_cpu_stats(cpu, &st) == 0 && st.lookups == mine &&
			st.hits + st.misses == st.lookups;
		pr_info(
		    "test_avc: CPU%u: %s%llu decisions checked, %llu during a change, %llu wrong; "
		    "stats %s (%llu lookups, %llu hits, %llu misses)\n",
		    cpu, done ? "" : "still running, ", (unsigned long long)checked,
		    (unsigned long long)during, (unsigned long long)wrong,
		    agree ? "agree" : "DISAGREE", (unsigned long long)st.lookups,
		    (unsigned long long)st.hits, (unsigned long long)st.misses);
	}
}

void test_hook_dom0_teardown(void)
{
	const char *v;
	size_t len;

	if (avc_test_on) {
		avc_test_report();
	}

	v = late_cmdline ? find_option(late_cmdline, "test_domains", &len) : NULL;
	if (v) {
		test_domains(v, len);
	}
	v = late_cmdline ? find_option(late_cmdline, "test_teardown", &len) : NULL;
	if (option_is(v, len, "heap")) {
		pr_info("test_teardown: the heap keeps %p\n", xmalloc(64 * 1024));
	} else if (option_is(v, len, "leak")) {
		pr_info("test_teardown: frame %#llx kept\n",
			(unsigned long long)mfn_x(frame_alloc(DOMID_XEN)));
	}
}

unsigned int test_hook_smp(const char *cmdline)
{
	size_t len;
	const char *v = find_option(cmdline, "test_smp", &len);

	if (!v) {
		return 0;
	}
	if (option_is(v, len, "nosipi")) {
		return SMP_TEST_NOSIPI;
	}
	if (option_is(v, len, "madtsum")) {
		return SMP_TEST_MADTSUM;
	}
	if (option_is(v, len, "noflush")) {
		return SMP_TEST_NOFLUSH;
	}
	if (option_is(v, len, "noflush-late")) {
		return 0; /* test_hook_late plants it */
	}
	pr_warn("test_smp=%.*s: unknown, nothing planted\n", (int)len, v);
	return 0;
}
