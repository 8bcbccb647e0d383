/*
 * runtime_init: what every test guest needs before its own code runs.
 * Failures that make any verdict meaningless end the test with ERROR;
 * those only some tests depend on are printed and leave a NULL behind.
 */
#include <lib.h>
#include <public/vcpu.h>

#include "console.h"
#include "hypercall.h"
#include "report.h"
#include "runtime.h"
#include "traps.h"

struct start_info *start_info;
struct shared_info *shared_info;

/* A page of our image whose mapping is replaced by the shared_info frame. */
static uint8_t shared_info_window[4096]
    __attribute__((aligned(4096), section(".bss.page_aligned")));

extern const char event_callback_entry[], failsafe_callback_entry[];

static long register_callback(uint16_t type, const void *entry)
{
	struct callback_register cb = {
	    .type = type,
	    .flags = CALLBACKF_mask_events,
	    .address = (uint64_t)(uintptr_t)entry,
	};

	return hypercall_callback_op(CALLBACKOP_register, &cb);
}

static long map_shared_info(struct start_info *si)
{
	/* The hypervisor sets the user bit itself: a PV kernel runs in ring 3. */
	uint64_t pte = (si->shared_info & XEN_PTE_ADDR_MASK) | _PAGE_PRESENT | _PAGE_RW |
		       _PAGE_ACCESSED | _PAGE_DIRTY;
	long rc =
	    hypercall_update_va_mapping((uint64_t)(uintptr_t)shared_info_window, pte, UVMF_INVLPG);

	if (rc == 0) {
		shared_info = (struct shared_info *)shared_info_window;
	}
	return rc;
}

void runtime_init(struct start_info *si)
{
	long rc;

	start_info = si;
	/*
	 * Without stubs every hypercall is a bare "ret": nothing can be
	 * printed and no shutdown requested. Spin; the harness times out.
	 */
	if (!hypercall_page_filled()) {
		for (;;) {
			asm volatile("pause");
		}
	}
	if (strncmp(si->magic, XEN_START_INFO_MAGIC, sizeof(XEN_START_INFO_MAGIC) - 1) != 0) {
		test_report(TEST_ERROR, "start_info magic is \"%.32s\", not \"%s...\"", si->magic,
			    XEN_START_INFO_MAGIC);
	}
	rc = traps_init();
	if (rc) {
		test_report(TEST_ERROR, "set_trap_table failed: %ld", rc);
	}
	rc = map_shared_info(si);
	if (rc) {
		gprintf("runtime: mapping shared_info (maddr 0x%llx) failed: %ld\n",
			(unsigned long long)si->shared_info, rc);
	}
	rc = register_callback(CALLBACKTYPE_event, event_callback_entry);
	if (rc == 0) {
		rc = register_callback(CALLBACKTYPE_failsafe, failsafe_callback_entry);
	}
	if (rc) {
		gprintf("runtime: registering callbacks failed: %ld\n", rc);
	}
}

void guest_main_returned(void)
{
	test_report(TEST_ERROR, "guest_main returned without a verdict");
}

uint64_t runtime_runnable_ns(void)
{
	struct vcpu_runstate_info ri;

	if (hypercall_vcpu_op(VCPUOP_get_runstate_info, 0, &ri)) {
		test_report(TEST_ERROR, "VCPUOP_get_runstate_info failed");
	}
	return ri.time[RUNSTATE_runnable];
}

uint64_t runtime_system_time(const volatile struct vcpu_time_info *t)
{
	uint64_t tsc, delta, sys, stamp;
	uint32_t ver, lo, hi, mul;
	int8_t shift;

	do {
		ver = t->version;
		asm volatile("" ::: "memory");
		sys = t->system_time;
		stamp = t->tsc_timestamp;
		mul = t->tsc_to_system_mul;
		shift = t->tsc_shift;
		asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
		asm volatile("" ::: "memory");
	} while ((ver & 1) || ver != t->version);
	tsc = (uint64_t)hi << 32 | lo;
	delta = tsc > stamp ? tsc - stamp : 0;
	delta = shift >= 0 ? delta << shift : delta >> -shift;
	return sys + (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

bool runtime_has_word(const char *s, const char *w)
{
	size_t n = strlen(w);
	const char *p;

	for (p = s; *p; p++) {
		if ((p == s || p[-1] == ' ') && strncmp(p, w, n) == 0 &&
		    (p[n] == '\0' || p[n] == ' ')) {
			return true;
		}
	}
	return false;
}
