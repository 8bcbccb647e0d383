/*
 * Exception and software-interrupt bounces beyond the basic set:
 *  - "int N" against the DPL of the virtual gate: DPL 3 and DPL 1 gates are
 *    reachable from guest kernel mode (the handler gets rip after the int),
 *    DPL 0 and missing gates turn into #GP with error code (N << 3) | 2 at
 *    the int instruction;
 *  - trap_info flags bit 2: events masked on entry, and restored by iret;
 *  - #PF on a write to the (read-only) bootstrap page tables: error code
 *    P|W without U, CR2 the address;
 *  - #NM after fpu_taskswitch(1), virtual TS cleared by the bounce;
 *  - ud2 "xen" followed by something other than cpuid stays a #UD;
 *  - syscall with TF set leaves the hypervisor standing and single-stepping
 *    goes on after it. (Intel CPUs raise the single-step trap on the first
 *    instruction of the syscall entry, in ring 0 on the guest's rsp, which
 *    is why #DB has its own IST stack; QEMU's TCG does not raise that trap,
 *    so here this only checks the guest-visible behaviour.)
 */
#include <public/errno.h>

#include "guest.h"

#define IRET_STUB_STR "hypercall_page + 23 * 32"

volatile uint64_t soft_rip, soft_cs, soft_count;
volatile uint32_t soft_mask;

/* Records the bounce frame and the event mask, then returns with iret. */
extern const char soft_entry[];
asm(".pushsection .text\n"
    ".globl soft_entry\n"
    "soft_entry:\n"
    "	pop %rcx\n"
    "	pop %r11\n"
    "	mov 0(%rsp), %rax\n"
    "	mov %rax, soft_rip(%rip)\n"
    "	mov 8(%rsp), %rax\n"
    "	mov %rax, soft_cs(%rip)\n"
    "	incq soft_count(%rip)\n"
    "	mov shared_info(%rip), %rax\n"
    "	movzbl 1(%rax), %eax\n"
    "	mov %eax, soft_mask(%rip)\n"
    "	pushq $0\n"
    "	jmp " IRET_STUB_STR "\n"
    ".popsection");

extern const char int80_after[], int82_after[], int84_after[], int81_site[], int83_site[];
extern const char nm_site[], udx_site[];

static __attribute__((noinline, noclone)) void do_int80(void *arg)
{
	asm volatile("int $0x80\n.globl int80_after\nint80_after: nop" ::: "rax", "memory");
}

static __attribute__((noinline, noclone)) void do_int82(void *arg)
{
	asm volatile("int $0x82\n.globl int82_after\nint82_after: nop" ::: "rax", "memory");
}

static __attribute__((noinline, noclone)) void do_int84(void *arg)
{
	asm volatile("int $0x84\n.globl int84_after\nint84_after: nop" ::: "rax", "memory");
}

static __attribute__((noinline, noclone)) void do_int81(void *arg)
{
	asm volatile(".globl int81_site\nint81_site: int $0x81" ::: "rax", "memory");
}

static __attribute__((noinline, noclone)) void do_int83(void *arg)
{
	asm volatile(".globl int83_site\nint83_site: int $0x83" ::: "rax", "memory");
}

static __attribute__((noinline, noclone)) void do_write(void *arg)
{
	*(volatile uint64_t *)arg = 0;
}

static __attribute__((noinline, noclone)) void do_fninit(void *arg)
{
	asm volatile(".globl nm_site\nnm_site: fninit" ::: "memory");
}

static __attribute__((noinline, noclone)) void do_udx(void *arg)
{
	asm volatile(".globl udx_site\nudx_site: .byte 0x0f, 0x0b, 0x78, 0x65, 0x6e, 0x90" ::
			 : "memory");
}

/*
 * syscall with TF set: the iret hypercall lands directly on the syscall
 * with TF on; afterwards the next instruction traps (#DB) to the guest, as
 * single-stepping goes on.
 */
extern const char tf_syscall[], tf_after[], tf_db[];
uint64_t tf_ksp;
volatile uint64_t tf_rip, tf_flags;
long tf_enter(struct iret_context *ctx);
asm(".pushsection .text\n"
    ".globl tf_syscall, tf_after, tf_enter, tf_db\n"
    "tf_syscall: syscall\n"
    "	nop\n"
    "tf_after: nop\n"
    "	ud2\n"
    /* tf_enter(ctx): iret into the context; returns 1 from the #DB entry. */
    "tf_enter:\n"
    "	push %rbx\n	push %rbp\n	push %r12\n	push %r13\n	push %r14\n	push %r15\n"
    "	mov %rsp, tf_ksp(%rip)\n"
    "	jmp hypercall_iret\n"
    /* #DB entry: rcx, r11, rip, cs, rflags, rsp, ss (TF already cleared for us). */
    "tf_db:\n"
    "	mov 16(%rsp), %rax\n	mov %rax, tf_rip(%rip)\n"
    "	mov 32(%rsp), %rax\n	mov %rax, tf_flags(%rip)\n"
    "	mov tf_ksp(%rip), %rsp\n"
    "	pop %r15\n	pop %r14\n	pop %r13\n	pop %r12\n	pop %rbp\n	pop %rbx\n"
    "	mov $1, %eax\n"
    "	ret\n"
    ".popsection");
static struct iret_context tf_ctx;
static uint64_t tf_stack[256] __attribute__((aligned(16)));

static uint64_t a(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static void soft_ok(void (*fn)(void *), const char *after, const char *what, uint32_t want_mask)
{
	struct trap_record rec;
	uint64_t before = soft_count;

	soft_rip = soft_cs = 0;
	soft_mask = 0xff;
	if (!test_check(!trap_catch(TRAP_GP, fn, NULL, &rec), "%s is delivered, not #GP", what)) {
		return;
	}
	test_check(soft_count == before + 1, "%s reached its handler once", what);
	test_check(soft_rip == a(after), "%s: frame rip 0x%llx is after the int (0x%llx)", what,
		   (unsigned long long)soft_rip, (unsigned long long)a(after));
	test_check((soft_cs & 3) == 0 && (soft_cs & 0xffff) == (FLAT_KERNEL_CS & ~3U),
		   "%s: frame cs 0x%llx shows kernel mode", what, (unsigned long long)soft_cs);
	test_check(soft_mask == want_mask, "%s: event mask in the handler %u, want %u", what,
		   soft_mask, want_mask);
	test_check(shared_info->vcpu_info[0].evtchn_upcall_mask == 0,
		   "%s: iret restored the event mask to 0", what);
}

static void soft_gp(void (*fn)(void *), const char *site, unsigned int n, const char *what)
{
	struct trap_record rec;
	uint64_t before = soft_count;

	if (!test_check(trap_catch(TRAP_GP, fn, NULL, &rec), "%s raises #GP", what)) {
		return;
	}
	test_check(rec.error_code == ((n << 3) | 2), "%s: #GP error 0x%llx, want 0x%x", what,
		   (unsigned long long)rec.error_code, (n << 3) | 2);
	test_check(rec.rip == a(site), "%s: #GP at the int instruction", what);
	test_check(soft_count == before, "%s: its handler did not run", what);
}

void guest_main(struct start_info *si)
{
	const struct trap_info extra[] = {
	    {.vector = 0x80, .flags = 3, .cs = FLAT_KERNEL_CS, .address = a(soft_entry)},
	    {.vector = 0x81, .flags = 0, .cs = FLAT_KERNEL_CS, .address = a(soft_entry)},
	    {.vector = 0x82, .flags = 1, .cs = FLAT_KERNEL_CS, .address = a(soft_entry)},
	    {.vector = 0x84,
	     .flags = 3 | TI_MASK_EVENTS,
	     .cs = FLAT_KERNEL_CS,
	     .address = a(soft_entry)},
	    {0},
	};
	struct trap_record rec;
	long rc;

	gprintf("exec_exc: int N and DPL, event masking, #PF, #NM, #UD\n");
	if (!shared_info) {
		test_report(TEST_ERROR, "no shared_info mapping");
	}
	rc = hypercall_set_trap_table(extra);
	test_check(rc == 0, "set_trap_table adds entries (%ld)", rc);
	/* Events on: the mask seen by the handlers tells whether flag bit 2 worked. */
	shared_info->vcpu_info[0].evtchn_upcall_mask = 0;

	soft_ok(do_int80, int80_after, "int $0x80 (DPL 3)", 0);
	soft_ok(do_int82, int82_after, "int $0x82 (DPL 1, guest kernel)", 0);
	soft_ok(do_int84, int84_after, "int $0x84 (DPL 3, masks events)", 1);
	soft_gp(do_int81, int81_site, 0x81, "int $0x81 (DPL 0)");
	soft_gp(do_int83, int83_site, 0x83, "int $0x83 (no gate)");
	shared_info->vcpu_info[0].evtchn_upcall_mask = 1;

	if (test_check(trap_catch(TRAP_PF, do_write, (void *)si->pt_base, &rec),
		       "a write to the bootstrap page tables raises #PF")) {
		test_check((rec.error_code & 7) == 3, "#PF error 0x%llx is P|W without U",
			   (unsigned long long)rec.error_code);
		test_check(rec.cr2_valid && rec.cr2 == si->pt_base, "#PF cr2 0x%llx is pt_base",
			   (unsigned long long)rec.cr2);
	}

	rc = HYPERCALL1(__HYPERVISOR_fpu_taskswitch, 1);
	test_check(rc == 0, "fpu_taskswitch(1) (%ld)", rc);
	if (test_check(trap_catch(TRAP_NM, do_fninit, NULL, &rec), "fninit with TS set: #NM")) {
		test_check(rec.rip == a(nm_site), "#NM at the fninit");
	}
	test_check(!trap_catch(TRAP_NM, do_fninit, NULL, &rec),
		   "after the #NM bounce TS is clear: fninit runs");
	rc = HYPERCALL1(__HYPERVISOR_fpu_taskswitch, 1);
	rc |= HYPERCALL1(__HYPERVISOR_fpu_taskswitch, 0);
	test_check(rc == 0 && !trap_catch(TRAP_NM, do_fninit, NULL, &rec),
		   "fpu_taskswitch(1) then (0): no #NM");

	tf_ctx = (struct iret_context){
	    .rax = __HYPERVISOR_xen_version,
	    .rip = a(tf_syscall),
	    .cs = FLAT_KERNEL_CS & ~3U,
	    .rflags = 0x302, /* IF | TF */
	    .rsp = a(&tf_stack[200]),
	    .ss = FLAT_KERNEL_SS,
	};
	{
		const struct trap_info db_entry[] = {
		    {.vector = 1, .cs = FLAT_KERNEL_CS, .address = a(tf_db)},
		    {0},
		};

		hypercall_set_trap_table(db_entry);
		rc = tf_enter(&tf_ctx);
		traps_init();
		test_check(rc == 1 && tf_rip == a(tf_after),
			   "single-stepping through a syscall: the hypervisor survives, #DB at "
			   "0x%llx after the next instruction (want 0x%llx)",
			   (unsigned long long)tf_rip, (unsigned long long)a(tf_after));
		test_check(tf_flags & 0x100, "the #DB frame shows TF (rflags 0x%llx)",
			   (unsigned long long)tf_flags);
	}

	if (test_check(trap_catch(TRAP_UD, do_udx, NULL, &rec),
		       "ud2 \"xen\" + nop is not emulated: #UD")) {
		test_check(rec.rip == a(udx_site), "#UD at the prefix");
	}
	test_finish();
}
