/*
 * Cross-CPU TLB shootdown seen by a guest: a page-table change made by
 * vcpu 0 must be seen by the domain's other vcpus, running at that moment
 * on other CPUs, as soon as the hypercall returns.
 *
 * vcpus 1..N-1 (the readers) read one page, the probe, through one
 * virtual address in a tight loop, so their CPUs' TLBs hold the
 * translation. Each round vcpu 0, having seen every reader read the old
 * content and every reader's runstate "running" (it runs too: they are on
 * other CPUs), first remaps the probe from frame A to frame B, then
 * removes the mapping. After the hypercall returns, a reader's next read
 * must give B's content (not A's: a stale translation), and after the
 * unmap it must fault: #PF on the probe's address, not-present, delivered
 * to that reader's own trap handler, cr2 in its own vcpu_info.
 *
 * The rounds rotate over the ways to change the entry. By Xen's contract
 * (public/xen.h) only these flush other vcpus' TLBs: update_va_mapping
 * with UVMF_ALL or UVMF_MULTI and a vcpu mask, and mmu_update followed by
 * MMUEXT_INVLPG_MULTI or MMUEXT_TLB_FLUSH_ALL. Palisade's own rule
 * (docs/design.md, "TLB shootdown for guests") is stronger: mmu_update and
 * update_va_mapping flush the domain's other dirty CPUs before returning
 * whatever the flags, so update_va_mapping with UVMF_NONE and a lone
 * mmu_update are tested too.
 *
 * Arguments: rounds=N (default 200).
 */
#include <public/errno.h>
#include <public/vcpu.h>

#include "guest.h"
#include "mm_util.h"
#include "vcpus.h"

#define MS 1000000ULL
#define WAIT_NS (10000 * MS)
#define AP_STACK 16384
#define MIN_READS 64 /* reads of the old content before vcpu 0 changes the entry */
#define MAGIC_A 0xa11ce0000000000aULL
#define MAGIC_B 0xb0b000000000000bULL

enum method {
	M_UVA_ALL,	    /* update_va_mapping, UVMF_INVLPG | UVMF_ALL */
	M_UVA_MULTI,	    /* update_va_mapping, UVMF_TLB_FLUSH | UVMF_MULTI, the readers' mask */
	M_MMU_INVLPG_MULTI, /* mmu_update, then MMUEXT_INVLPG_MULTI for the readers */
	M_MMU_FLUSH_ALL,    /* mmu_update, then MMUEXT_TLB_FLUSH_ALL */
	M_UVA_NONE,	    /* update_va_mapping, UVMF_NONE: Palisade's rule only */
	M_MMU_ALONE,	    /* mmu_update alone: Palisade's rule only */
	M_COUNT
};

static const char *const method_names[M_COUNT] = {
    "update_va_mapping UVMF_ALL",	"update_va_mapping UVMF_MULTI",
    "mmu_update + MMUEXT_INVLPG_MULTI", "mmu_update + MMUEXT_TLB_FLUSH_ALL",
    "update_va_mapping UVMF_NONE",	"mmu_update alone",
};

/* The step vcpu 0 announces; the readers follow it. */
static volatile struct {
	uint64_t step;	  /* 1, 2, ...: the change readers are to watch */
	uint64_t done;	  /* the step whose hypercall has returned */
	uint64_t old_val; /* what the probe reads before the change */
	uint64_t new_val; /* what it must read after, if mapped */
	bool unmap;	  /* the change removes the mapping: the read must fault */
} ctl;

/* Written by reader id about the step it watched, read by vcpu 0. */
static volatile struct {
	uint64_t reading; /* the step for which it has read old_val MIN_READS times */
	uint64_t acked;	  /* the step whose outcome below is complete */
	uint64_t value;	  /* the first read after "done" (if it did not fault) */
	uint64_t odd;	  /* a value that was neither old nor new (0: none) */
	bool faulted;
	struct trap_record rec;
	uint64_t reads;
} rd[VCPUS_MAX];

static uint8_t ap_stack[VCPUS_MAX][AP_STACK] __attribute__((aligned(16)));
static uint64_t probe_page[512] __attribute__((aligned(4096)));
static uint64_t page_a[512] __attribute__((aligned(4096)));
static uint64_t page_b[512] __attribute__((aligned(4096)));
static uint64_t readers_mask __attribute__((aligned(8)));
static struct vcpu_guest_context ctx;
static unsigned int nr_vcpus;

void reader_main(unsigned int id);

/* Reads the probe until the step's hypercall has returned, then once more: that read counts. */
static void read_loop(void *arg)
{
	unsigned int id = vcpu_self();
	uint64_t step = (uint64_t)(uintptr_t)arg, reads = 0, done, v;
	volatile uint64_t *probe = probe_page;

	for (;;) {
		done = __atomic_load_n(&ctl.done, __ATOMIC_ACQUIRE);
		/* The read below must not be done before the load of "done". */
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		v = *probe;
		if (done == step) {
			rd[id].value = v;
			return;
		}
		if (v == ctl.old_val) {
			if (++reads == MIN_READS) {
				__atomic_store_n(&rd[id].reading, step, __ATOMIC_RELEASE);
			}
		} else if (v != ctl.new_val && !rd[id].odd) {
			rd[id].odd = v; /* neither frame's content */
		}
		rd[id].reads++;
	}
}

/* A reader vcpu, from its first instruction. */
void reader_main(unsigned int id)
{
	uint64_t step = 0;
	struct trap_record rec;

	shared_info->vcpu_info[id].evtchn_upcall_mask = 1;
	for (;;) {
		while (__atomic_load_n(&ctl.step, __ATOMIC_ACQUIRE) == step) {
			asm volatile("pause");
		}
		step = ctl.step;
		rd[id].odd = 0;
		rd[id].value = 0;
		rd[id].faulted = trap_catch(TRAP_PF, read_loop, (void *)(uintptr_t)step, &rec);
		if (rd[id].faulted) {
			rd[id].rec = rec;
			/* A fault before "done" (the entry gone while the call runs) still says it
			 * is gone. */
		}
		__atomic_store_n(&rd[id].acked, step, __ATOMIC_RELEASE);
	}
}

/* Spins (vcpu 0 must stay on its CPU: the readers' progress is the point) until *v == want. */
static bool wait_for(volatile uint64_t *v, uint64_t want)
{
	uint64_t deadline = vcpu_time_ns(0) + WAIT_NS;

	while (__atomic_load_n(v, __ATOMIC_ACQUIRE) != want) {
		if (vcpu_time_ns(0) > deadline) {
			return false;
		}
		asm volatile("pause");
	}
	return true;
}

static long mmu_set(uint64_t pte)
{
	struct mmu_update u = {.ptr = l1e_maddr((uint64_t)probe_page) | MMU_NORMAL_PT_UPDATE,
			       .val = pte};

	return hypercall_mmu_update(&u, 1, NULL, DOMID_SELF);
}

static long ext(unsigned int cmd)
{
	struct mmuext_op op = {.cmd = cmd};

	op.arg1.linear_addr = (uint64_t)probe_page;
	op.arg2.vcpumask = (uint64_t)(uintptr_t)&readers_mask;
	return hypercall_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

/* Sets the probe's entry to pte the way method m does; 0 or the failing call's error. */
static long change(enum method m, uint64_t pte)
{
	uint64_t va = (uint64_t)probe_page;
	long rc;

	switch (m) {
	case M_UVA_ALL:
		return hypercall_update_va_mapping(va, pte, UVMF_INVLPG | UVMF_ALL);
	case M_UVA_MULTI:
		return hypercall_update_va_mapping(
		    va, pte, UVMF_TLB_FLUSH | UVMF_MULTI | (uint64_t)(uintptr_t)&readers_mask);
	case M_MMU_INVLPG_MULTI:
		rc = mmu_set(pte);
		return rc ? rc : ext(MMUEXT_INVLPG_MULTI);
	case M_MMU_FLUSH_ALL:
		rc = mmu_set(pte);
		return rc ? rc : ext(MMUEXT_TLB_FLUSH_ALL);
	case M_UVA_NONE:
		return hypercall_update_va_mapping(va, pte, UVMF_NONE);
	default:
		return mmu_set(pte);
	}
}

static struct {
	unsigned int rounds, stale_remap, stale_unmap, wrong_fault, odd;
} tally[M_COUNT];
static unsigned int not_running, first_reports;

/* One failure line per kind is enough to say what went wrong; the tally says how often. */
static void first(const char *fmt, unsigned int id, uint64_t step, enum method m, uint64_t a)
{
	if (first_reports++ < 8) {
		gprintf("tlb_shootdown: FAIL step %llu (%s), vcpu %u: ", (unsigned long long)step,
			method_names[m], id);
		gprintf(fmt, (unsigned long long)a);
		gprintf("\n");
	}
}

/*
 * Step: the readers read old_val through the probe; vcpu 0 changes the
 * entry to pte (new_val's frame, or 0) with method m; then each reader's
 * next read is checked. False if a reader stopped answering or read wrong.
 */
static bool step(uint64_t s, enum method m, uint64_t pte, uint64_t old_val, uint64_t new_val)
{
	struct vcpu_runstate_info ri;
	unsigned int id;
	long rc;

	ctl.old_val = old_val;
	ctl.new_val = new_val;
	ctl.unmap = !pte;
	__atomic_store_n(&ctl.step, s, __ATOMIC_RELEASE);
	for (id = 1; id < nr_vcpus; id++) {
		if (!wait_for(&rd[id].reading, s)) {
			test_check(false,
				   "step %llu: vcpu %u never read the old content (%llu reads)",
				   (unsigned long long)s, id, (unsigned long long)rd[id].reads);
			return false;
		}
		/* vcpu 0 runs, so a reader found running is on another CPU right now. */
		rc = hypercall_vcpu_op(VCPUOP_get_runstate_info, id, &ri);
		if (rc || ri.state != RUNSTATE_running) {
			not_running++;
		}
	}
	rc = change(m, pte);
	__atomic_store_n(&ctl.done, s, __ATOMIC_RELEASE);
	test_check(rc == 0, "step %llu: %s to pte 0x%llx (%ld)", (unsigned long long)s,
		   method_names[m], (unsigned long long)pte, rc);
	for (id = 1; id < nr_vcpus; id++) {
		if (!wait_for(&rd[id].acked, s)) {
			test_check(false, "step %llu: vcpu %u never finished its read",
				   (unsigned long long)s, id);
			return false;
		}
		if (rd[id].odd) {
			tally[m].odd++;
			first("read 0x%llx, neither frame's content", id, s, m, rd[id].odd);
		}
		if (pte && rd[id].faulted) {
			tally[m].wrong_fault++;
			first("faulted at cr2 0x%llx on a mapped page", id, s, m, rd[id].rec.cr2);
		} else if (pte && rd[id].value != new_val) {
			tally[m].stale_remap++;
			first("read 0x%llx through the remapped address: the old frame (stale TLB)",
			      id, s, m, rd[id].value);
		} else if (!pte && !rd[id].faulted) {
			tally[m].stale_unmap++;
			first("read 0x%llx through the removed mapping (stale TLB)", id, s, m,
			      rd[id].value);
		} else if (!pte && (rd[id].rec.vector != TRAP_PF || !rd[id].rec.cr2_valid ||
				    rd[id].rec.cr2 != (uint64_t)probe_page ||
				    (rd[id].rec.error_code & 1))) {
			tally[m].wrong_fault++;
			first("wrong fault: cr2 0x%llx (want the probe, not-present)", id, s, m,
			      rd[id].rec.cr2);
		}
	}
	/* A stale reader stays stale: the next step would only wait for it in vain. */
	return first_reports == 0;
}

static unsigned int arg_rounds(const char *cmd)
{
	const char *p;
	unsigned int n = 0;

	for (p = cmd; *p; p++) {
		if (!strncmp(p, "rounds=", 7)) {
			for (p += 7; *p >= '0' && *p <= '9' && n < 100000; p++) {
				n = n * 10 + (unsigned int)(*p - '0');
			}
			return n;
		}
	}
	return 200;
}

static void bring_up(void)
{
	unsigned int id;
	long rc;

	for (id = 1; id < nr_vcpus; id++) {
		vcpu_context(&ctx, id, reader_main, ap_stack[id], AP_STACK);
		rc = hypercall_vcpu_op(VCPUOP_initialise, id, &ctx);
		if (rc == 0) {
			rc = hypercall_vcpu_op(VCPUOP_up, id, NULL);
		}
		if (rc) {
			test_report(TEST_ERROR, "cannot start vcpu %u (%ld)", id, rc);
		}
		readers_mask |= 1ULL << id;
	}
}

void guest_main(struct start_info *si)
{
	uint64_t va = (uint64_t)probe_page, own_pte, s = 0;
	unsigned int rounds = arg_rounds((const char *)si->cmd_line), r, stale = 0, wrong = 0;
	enum method m;
	long rc;

	gprintf("tlb_shootdown: a page remapped, then unmapped, by vcpu 0 while the others read "
		"it\n");
	if (!shared_info || !mm_util_init()) {
		test_report(TEST_ERROR, "no shared_info or bootstrap region");
	}
	if (rounds == 0) {
		test_report(TEST_ERROR, "rounds= needs a count of 1..99999");
	}
	for (nr_vcpus = 1; nr_vcpus < VCPUS_MAX; nr_vcpus++) {
		if (hypercall_vcpu_op(VCPUOP_is_up, nr_vcpus, NULL) < 0) {
			break;
		}
	}
	if (nr_vcpus < 2 || hypercall_vcpu_op(VCPUOP_is_up, nr_vcpus, NULL) >= 0) {
		test_report(TEST_ERROR, "needs 2..%u vcpus (boot key vcpus=)", VCPUS_MAX);
	}
	gprintf("tlb_shootdown: %u vcpus, %u rounds\n", nr_vcpus, rounds);
	own_pte = l1e_of(va);
	bring_up();

	for (r = 0; r < rounds; r++) {
		m = (enum method)(r % M_COUNT);
		tally[m].rounds++;
		/* Fresh content each round: a stale read of an earlier round shows too. */
		page_a[0] = MAGIC_A ^ r;
		page_b[0] = MAGIC_B ^ r;
		/* Nobody reads the probe now: the readers wait for the next step. */
		rc = hypercall_update_va_mapping(va, pte_rw(va_to_mfn((uint64_t)page_a)),
						 UVMF_INVLPG);
		if (rc) {
			test_report(TEST_ERROR, "round %u: cannot map frame A at the probe (%ld)",
				    r, rc);
		}
		if (!step(++s, m, pte_rw(va_to_mfn((uint64_t)page_b)), MAGIC_A ^ r, MAGIC_B ^ r) ||
		    !step(++s, m, 0, MAGIC_B ^ r, MAGIC_B ^ r)) {
			break;
		}
	}
	rc = hypercall_update_va_mapping(va, own_pte, UVMF_INVLPG | UVMF_ALL);
	test_check(rc == 0, "the probe's own frame mapped back (%ld)", rc);

	for (m = 0; m < M_COUNT; m++) {
		gprintf("tlb_shootdown: %s: %u rounds, %u stale after remap, %u stale after unmap, "
			"%u wrong faults, %u odd reads\n",
			method_names[m], tally[m].rounds, tally[m].stale_remap,
			tally[m].stale_unmap, tally[m].wrong_fault, tally[m].odd);
		stale += tally[m].stale_remap + tally[m].stale_unmap;
		wrong += tally[m].wrong_fault + tally[m].odd;
	}
	for (r = 1; r < nr_vcpus; r++) {
		gprintf("tlb_shootdown: vcpu %u read the probe %llu times\n", r,
			(unsigned long long)rd[r].reads);
	}
	test_check(stale == 0,
		   "no reader used a stale translation after the hypercall returned "
		   "(%u stale reads in %llu steps)",
		   stale, (unsigned long long)s);
	test_check(wrong == 0, "every fault was a not-present #PF at the probe (%u wrong)", wrong);
	test_check(not_running == 0,
		   "every reader was running (on another CPU) when vcpu 0 changed the entry (%u "
		   "times not)",
		   not_running);
	if (!stale && !wrong) {
		test_check(s == 2ULL * rounds, "all %u rounds ran (%llu steps)", rounds,
			   (unsigned long long)s);
	}
	test_finish();
}
