/*
 * The trap table and the C half of exception handling: report what
 * nobody expected, resume a trap_catch() when its vector arrives.
 */
#include <lib.h>

#include "console.h"
#include "hypercall.h"
#include "report.h"
#include "runtime.h"
#include "traps.h"
#include "vcpus.h"

/* The saved context of the running trap_catch (traps_entry.S fills it). */
struct trap_jmp {
	uint64_t rsp, rbx, rbp, r12, r13, r14, r15;
};

bool trap_catch_enter(struct trap_jmp *j, void (*fn)(void *), void *arg);
extern const char trap_catch_landing[];

/* clang-format off */
/* (vector, DPL) of every handler in the trap table. */
#define TRAP_ENTRIES(X) \
	X(0, 0) X(1, 0) X(3, 3) X(4, 3) X(5, 0) X(6, 0) X(7, 0) X(8, 0) X(10, 0) X(11, 0) \
	X(12, 0) X(13, 0) X(14, 0) X(16, 0) X(17, 0) X(18, 0) X(19, 0) X(20, 0) X(21, 0)

#define DECLARE_ENTRY(vec, dpl) extern const char trap_entry_##vec[];
TRAP_ENTRIES(DECLARE_ENTRY)

/*
 * #BP and #OF may be raised with int3/into by the kernel itself (which
 * runs in ring 3), so their DPL is 3 as in Linux; others only by the CPU.
 * Every entry masks event upcalls, like an interrupt gate clears IF.
 */
#define TABLE_ENTRY(vec, dpl) \
	{ .vector = (vec), .flags = (dpl) | TI_MASK_EVENTS, .cs = FLAT_KERNEL_CS, \
	  .address = (uint64_t)(uintptr_t)trap_entry_##vec },
static const struct trap_info trap_table[] = {
	TRAP_ENTRIES(TABLE_ENTRY)
	{ 0, 0, 0, 0 } /* the end */
};

static const char *const vector_names[TRAP_NR_VECTORS] = {
	[TRAP_DE] = "#DE", [TRAP_DB] = "#DB", [TRAP_NMI] = "NMI", [TRAP_BP] = "#BP",
	[TRAP_OF] = "#OF", [TRAP_BR] = "#BR", [TRAP_UD] = "#UD", [TRAP_NM] = "#NM",
	[TRAP_DF] = "#DF", [TRAP_TS] = "#TS", [TRAP_NP] = "#NP", [TRAP_SS] = "#SS",
	[TRAP_GP] = "#GP", [TRAP_PF] = "#PF", [TRAP_MF] = "#MF", [TRAP_AC] = "#AC",
	[TRAP_MC] = "#MC", [TRAP_XM] = "#XM", [TRAP_VE] = "#VE", [TRAP_CP] = "#CP",
};
/* clang-format on */

static struct {
	bool armed;
	unsigned int vector;
	struct trap_jmp *jmp;
	struct trap_record rec;
	unsigned int depth;
} catchers[VCPUS_MAX]; /* one per vcpu: each runs its own trap_catch */

long traps_init(void)
{
	return hypercall_set_trap_table(trap_table);
}

void traps_fill_context(struct trap_info ctxt[256])
{
	const struct trap_info *t;

	for (t = trap_table; t->address; t++) {
		ctxt[t->vector] = *t;
	}
}

const char *trap_name(unsigned int vector)
{
	if (vector < TRAP_NR_VECTORS && vector_names[vector]) {
		return vector_names[vector];
	}
	return "#??";
}

static void record(const struct trap_frame *f, struct trap_record *rec)
{
	rec->vector = (unsigned int)f->vector;
	rec->error_code = f->error_code;
	rec->rip = f->rip;
	rec->cs = f->cs;
	rec->rflags = f->rflags;
	rec->rsp = f->rsp;
	rec->ss = f->ss;
	rec->rax = f->rax;
	rec->rcx = f->rcx;
	rec->r11 = f->r11;
	rec->cr2_valid = shared_info != NULL;
	/* The hypervisor writes cr2 into the faulting vcpu's own vcpu_info. */
	rec->cr2 = shared_info ? shared_info->vcpu_info[vcpu_self()].arch.cr2 : 0;
}

static void print_record(const char *what, const struct trap_record *rec)
{
	gprintf("%s: vector %u (%s) error 0x%llx rip 0x%llx cs 0x%llx rflags 0x%llx rsp 0x%llx "
		"ss 0x%llx",
		what, rec->vector, trap_name(rec->vector), (unsigned long long)rec->error_code,
		(unsigned long long)rec->rip, (unsigned long long)rec->cs,
		(unsigned long long)rec->rflags, (unsigned long long)rec->rsp,
		(unsigned long long)rec->ss);
	if (rec->vector == TRAP_PF) {
		if (rec->cr2_valid) {
			gprintf(" cr2 0x%llx", (unsigned long long)rec->cr2);
		} else {
			gprintf(" cr2 unknown (shared_info not mapped)");
		}
	}
	gprintf("\n");
}

void trap_handle(struct trap_frame *f)
{
	struct trap_record rec;
	typeof(&catchers[0]) catcher = &catchers[vcpu_self()];

	record(f, &rec);
	if (++catcher->depth > 1) {
		/* A fault while handling a fault: report as little as possible. */
		print_record("nested exception", &rec);
		test_report(TEST_ERROR, "exception inside the exception handler");
	}

	if (catcher->armed && rec.vector == catcher->vector) {
		struct trap_jmp *j = catcher->jmp;

		catcher->rec = rec;
		catcher->armed = false;
		/*
		 * Resume as if trap_catch_enter had returned 1, in 64-bit code
		 * whatever mode faulted (32-bit code has its own selector), and
		 * in kernel mode (RPL 0 to the iret) even if user mode faulted:
		 * the bounce already switched to kernel mode, as trap_catch ran.
		 * The stack is trap_catch's, so is its selector (the faulting
		 * frame's may be the very thing that faulted), and the flags are
		 * a function return's: no single-stepping, DF clear.
		 */
		f->rip = (uint64_t)(uintptr_t)trap_catch_landing;
		f->cs = FLAT_KERNEL_CS & ~3ULL;
		f->ss = FLAT_KERNEL_SS;
		f->rflags &= ~((1ULL << 8) | (1ULL << 10));
		f->rsp = j->rsp;
		f->rbx = j->rbx;
		f->rbp = j->rbp;
		f->r12 = j->r12;
		f->r13 = j->r13;
		f->r14 = j->r14;
		f->r15 = j->r15;
		f->rax = 1;
		catcher->depth--;
		return;
	}

	if (catcher->armed) {
		print_record("wrong exception", &rec);
		test_report(TEST_FAILURE, "expected %s, got %s at rip 0x%llx",
			    trap_name(catcher->vector), trap_name(rec.vector),
			    (unsigned long long)rec.rip);
	}
	print_record("unexpected exception", &rec);
	test_report(TEST_ERROR, "unexpected %s at rip 0x%llx", trap_name(rec.vector),
		    (unsigned long long)rec.rip);
}

bool trap_catch(unsigned int vector, void (*fn)(void *), void *arg, struct trap_record *rec)
{
	typeof(&catchers[0]) catcher = &catchers[vcpu_self()];
	struct trap_jmp j;
	bool caught;

	catcher->vector = vector;
	catcher->jmp = &j;
	memset(&catcher->rec, 0, sizeof(catcher->rec));
	/* The compiler must not sink the arming below the call. */
	asm volatile("" ::: "memory");
	catcher->armed = true;
	caught = trap_catch_enter(&j, fn, arg);
	catcher->armed = false;
	asm volatile("" ::: "memory");
	if (caught && rec) {
		*rec = catcher->rec;
	}
	return caught;
}

void callback_unexpected(unsigned int kind)
{
	test_report(TEST_ERROR, "unexpected %s callback (events are masked in test guests)",
		    kind == 0 ? "event" : "failsafe");
}
