/*
 * Debug registers of a PV guest, as Xen keeps them (pv/misc-hypercalls.c
 * set_debugreg, x86_emulate.c x86emul_read_dr/write_dr, traps.c do_debug):
 *
 *  - set_debugreg / get_debugreg: breakpoint addresses only where a guest
 *    may map (-EPERM for the hypervisor hole and non-canonical ones), the
 *    upper halves of DR6/DR7 refused (-EINVAL), their reserved bits
 *    forced, DR7.GD refused (-EPERM), an I/O breakpoint only with CR4.DE
 *    (-EPERM), DR4/DR5 aliases of DR6/DR7 unless CR4.DE (-ENODEV), no
 *    register 8 (-ENODEV);
 *  - mov to and from %dr0-7 in guest kernel mode: the same values and
 *    checks, #GP(0) for a refused write, #UD for a register that does not
 *    exist; in user mode #GP(0);
 *  - the registers work: an instruction breakpoint, a data breakpoint, a
 *    single step, each a #DB with DR6 readable through get_debugreg and
 *    mov from %dr6; a single step over an instruction the hypervisor
 *    emulates, and an I/O breakpoint on an emulated in (CR4.DE), end the
 *    same way;
 *  - a guest watchpoint on memory the hypervisor writes for it (a
 *    hypercall's output, a bounce frame) is no #DB for the guest and no
 *    fault of the hypervisor; a #DB whose own bounce frame is watched
 *    arrives intact (the hypervisor's #DB stack is not reused under it).
 */
#include <public/errno.h>
#include <public/physdev.h>

#include "guest.h"

#define HOLE_START 0xffff800000000000ULL
#define HOLE_LAST 0xffff87ffffffffffULL
#define ABOVE_HOLE 0xffff880000000000ULL
#define NONCANON 0x0000800000000000ULL
#define DR6_DEFAULT 0xffff0ff0ULL
#define DR6_BS (1ULL << 14)
#define DR7_DEFAULT 0x400ULL
#define DR7_GD (1ULL << 13)
#define DR7_L(n) (1ULL << (2 * (n)))
#define DR7_RW(n, rw) ((uint64_t)(rw) << (16 + 4 * (n)))
#define DR7_LEN(n, len) ((uint64_t)(len) << (18 + 4 * (n)))
#define RW_EXEC 0
#define RW_WRITE 1
#define RW_IO 2
#define LEN_8 2
#define CR4_DE (1ULL << 3)
#define TF (1ULL << 8)

static volatile uint64_t watched __attribute__((aligned(8)));
static char hv_buf[64] __attribute__((aligned(16)));
static uint64_t nested_stack[256] __attribute__((aligned(16)));
static uint64_t user_stack[256] __attribute__((aligned(16)));

/*
 * nested_go(top) runs an instruction breakpoint at nested_site on the
 * stack below top, whose top word the test watches; nested_db, its #DB
 * handler, only reads the frame (the runtime's handler would write the
 * watched word itself), then returns from nested_go.
 */
uint64_t nested_ksp;
volatile uint64_t nested_rip, nested_cs, nested_rsp, nested_rax;
void bp_target(void), nested_go(uint64_t top), nested_db(void);
void step_over_nop(void *arg), step_over_emulated(void *arg), user_mov_dr7(void);
extern const char nested_site[], step_after_nop[], step_after_cr0[];
asm(".pushsection .text\n"
    ".globl bp_target, nested_go, nested_site, nested_db, step_over_nop, step_after_nop\n"
    ".globl step_over_emulated, step_after_cr0, user_mov_dr7\n"
    "bp_target:\n"
    "	ret\n"
    "nested_go:\n"
    "	push %rbx\n	push %rbp\n	push %r12\n	push %r13\n	push %r14\n	push %r15\n"
    "	mov %rsp, nested_ksp(%rip)\n"
    "	mov %rdi, %rsp\n"
    "	mov $0x5a5a5a5a, %eax\n"
    "nested_site:\n"
    "	nop\n"
    "	ud2\n"
    "nested_db:\n"
    "	mov %rax, nested_rax(%rip)\n"
    "	mov 16(%rsp), %rax\n	mov %rax, nested_rip(%rip)\n"
    "	mov 24(%rsp), %rax\n	mov %rax, nested_cs(%rip)\n"
    "	mov 40(%rsp), %rax\n	mov %rax, nested_rsp(%rip)\n"
    "	mov nested_ksp(%rip), %rsp\n"
    "	pop %r15\n	pop %r14\n	pop %r13\n	pop %r12\n	pop %rbp\n	pop %rbx\n"
    "	ret\n"
    /* TF on from popf: the instruction after popf traps once it is done. */
    "step_over_nop:\n"
    "	pushfq\n"
    "	orq $0x100, (%rsp)\n"
    "	popfq\n"
    "	nop\n"
    "step_after_nop:\n"
    "	ud2\n"
    "step_over_emulated:\n"
    "	pushfq\n"
    "	orq $0x100, (%rsp)\n"
    "	popfq\n"
    "	mov %cr0, %rax\n"
    "step_after_cr0:\n"
    "	ud2\n"
    "user_mov_dr7:\n"
    "	mov %dr7, %rax\n"
    "	ud2\n"
    ".popsection");

static long setdr(unsigned int reg, uint64_t val)
{
	return HYPERCALL2(__HYPERVISOR_set_debugreg, reg, val);
}

static long getdr(unsigned int reg)
{
	return HYPERCALL1(__HYPERVISOR_get_debugreg, reg);
}

static uint64_t mov_from_dr6(void)
{
	uint64_t v;

	asm volatile("mov %%dr6, %0" : "=r"(v));
	return v;
}

static void mov_to_dr0(uint64_t v)
{
	asm volatile("mov %0, %%dr0" : : "r"(v));
}

static void mov_to_dr7(uint64_t v)
{
	asm volatile("mov %0, %%dr7" : : "r"(v));
}

static uint64_t rd_cr4(void)
{
	uint64_t v;

	asm volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static void wr_cr4(uint64_t v)
{
	asm volatile("mov %0, %%cr4" : : "r"(v));
}

static void p_mov_dr0_hole(void *arg)
{
	mov_to_dr0(HOLE_START);
}

static void p_mov_dr7_gd(void *arg)
{
	mov_to_dr7(DR7_DEFAULT | DR7_GD);
}

static void p_mov_from_dr4(void *arg)
{
	uint64_t v;

	asm volatile("mov %%dr4, %0" : "=r"(v));
}

static void p_mov_from_dr8(void *arg)
{
	/* mov %dr8, %rax: REX.R names a debug register that does not exist. */
	asm volatile(".byte 0x44, 0x0f, 0x21, 0xc0" ::: "rax");
}

static void p_user_mov_dr7(void *arg)
{
	user_enter(gva(user_mov_dr7), FLAT_USER_CS, gva(&user_stack[256]), 0x2);
}

static void p_call(void *fn)
{
	((void (*)(void))fn)();
}

static void p_write_watched(void *arg)
{
	watched = 0x1234;
}

static void p_in80(void *arg)
{
	uint8_t v;

	asm volatile("inb $0x80, %0" : "=a"(v));
}

static void dr_reset(void)
{
	setdr(7, DR7_DEFAULT);
	setdr(6, 0);
}

static void test_hypercalls(void)
{
	test_check(setdr(0, 0x1000) == 0 && getdr(0) == 0x1000, "DR0 0x1000 set and read back");
	test_check(setdr(1, ABOVE_HOLE) == 0 && (uint64_t)getdr(1) == ABOVE_HOLE,
		   "DR1 right above the hypervisor hole");
	test_check(setdr(2, ~0ULL) == 0 && (uint64_t)getdr(2) == ~0ULL, "DR2 at the top");
	test_check(setdr(3, (1ULL << 47) - 1) == 0, "DR3 at the top of the lower half");
	test_check(setdr(0, HOLE_START) == -XEN_EPERM, "DR0 at the hole's start: -EPERM");
	test_check(setdr(0, HOLE_LAST) == -XEN_EPERM, "DR0 at the hole's end: -EPERM");
	test_check(setdr(3, NONCANON) == -XEN_EPERM, "DR3 non-canonical: -EPERM");
	test_check(getdr(0) == 0x1000, "a refused DR0 leaves the old value (0x%lx)", getdr(0));

	test_check(setdr(6, 1ULL << 32) == -XEN_EINVAL, "DR6 upper half: -EINVAL");
	test_check(setdr(6, 0) == 0 && (uint64_t)getdr(6) == DR6_DEFAULT,
		   "DR6 0 reads as its fixed bits (0x%lx)", getdr(6));
	test_check(setdr(6, 0x100f) == 0 && (uint64_t)getdr(6) == (DR6_DEFAULT | 0xf),
		   "DR6 keeps B0-B3, bit 12 reads 0 (0x%lx)", getdr(6));
	test_check(getdr(4) == getdr(6), "DR4 reads as DR6 without CR4.DE");
	test_check(setdr(4, 0) == 0 && (uint64_t)getdr(6) == DR6_DEFAULT,
		   "DR4 writes DR6 without CR4.DE");

	test_check(setdr(7, 1ULL << 32) == -XEN_EINVAL, "DR7 upper half: -EINVAL");
	test_check(setdr(7, DR7_GD) == -XEN_EPERM, "DR7.GD: -EPERM");
	test_check(setdr(7, 0xd800) == 0 && (uint64_t)getdr(7) == DR7_DEFAULT,
		   "DR7 reserved bits forced (0x%lx)", getdr(7));
	test_check(setdr(7, DR7_L(0) | DR7_RW(0, RW_IO)) == -XEN_EPERM,
		   "an I/O breakpoint without CR4.DE: -EPERM");
	test_check(setdr(5, DR7_L(1)) == 0 && (uint64_t)getdr(7) == (DR7_DEFAULT | DR7_L(1)),
		   "DR5 writes DR7 without CR4.DE");
	test_check(getdr(5) == getdr(7), "DR5 reads as DR7 without CR4.DE");
	test_check(setdr(8, 0) == -XEN_ENODEV && getdr(8) == -XEN_ENODEV, "DR8: -ENODEV");
	test_check(setdr(~0U, 0) == -XEN_ENODEV, "register -1: -ENODEV");

	wr_cr4(rd_cr4() | CR4_DE);
	test_check(rd_cr4() & CR4_DE, "CR4.DE is the guest's to set");
	test_check(getdr(4) == -XEN_ENODEV && setdr(5, 0) == -XEN_ENODEV,
		   "DR4/DR5 with CR4.DE: -ENODEV");
	test_check(setdr(7, DR7_L(0) | DR7_RW(0, RW_IO)) == 0 &&
		       (uint64_t)getdr(7) == (DR7_DEFAULT | DR7_L(0) | DR7_RW(0, RW_IO)),
		   "an I/O breakpoint with CR4.DE, read back (0x%lx)", getdr(7));
	wr_cr4(rd_cr4() & ~CR4_DE);
	dr_reset();
}

static void test_mov(void)
{
	struct trap_record rec;
	uint64_t v;

	mov_to_dr0(0x2000);
	asm volatile("mov %%dr0, %0" : "=r"(v));
	test_check(v == 0x2000 && getdr(0) == 0x2000, "mov to and from %%dr0 (0x%llx)",
		   (unsigned long long)v);
	if (test_check(trap_catch(TRAP_GP, p_mov_dr0_hole, NULL, &rec),
		       "mov of a hole address to %%dr0: #GP")) {
		test_check(rec.error_code == 0 && getdr(0) == 0x2000, "#GP(0), %%dr0 unchanged");
	}
	if (test_check(trap_catch(TRAP_GP, p_mov_dr7_gd, NULL, &rec), "mov of GD to %%dr7: #GP")) {
		test_check(rec.error_code == 0, "#GP(0)");
	}
	setdr(6, 0x1);
	test_check(mov_from_dr6() == (DR6_DEFAULT | 1) && (uint64_t)getdr(6) == mov_from_dr6(),
		   "mov from %%dr6 is what get_debugreg says (0x%llx)",
		   (unsigned long long)mov_from_dr6());
	wr_cr4(rd_cr4() | CR4_DE);
	test_check(trap_catch(TRAP_UD, p_mov_from_dr4, NULL, &rec),
		   "mov from %%dr4 with CR4.DE: #UD");
	wr_cr4(rd_cr4() & ~CR4_DE);
	test_check(trap_catch(TRAP_UD, p_mov_from_dr8, NULL, &rec), "mov from %%dr8: #UD");
	if (test_check(trap_catch(TRAP_GP, p_user_mov_dr7, NULL, &rec),
		       "mov from %%dr7 in user mode: #GP")) {
		test_check(rec.rip == gva(user_mov_dr7) && rec.error_code == 0 && (rec.cs & 3) == 3,
			   "user mode: #GP(0) at the mov (rip 0x%llx)",
			   (unsigned long long)rec.rip);
	}
	shared_info->vcpu_info[0].evtchn_upcall_mask = 1;
	dr_reset();
	setdr(0, 0);
}

static void test_breakpoints(void)
{
	const struct trap_info nested_entry[] = {
	    {.vector = TRAP_DB,
	     .flags = TI_MASK_EVENTS,
	     .cs = FLAT_KERNEL_CS,
	     .address = gva(nested_db)},
	    {0},
	};
	struct trap_record rec;
	long rc;

	/* An instruction breakpoint, set with mov as a kernel does. */
	mov_to_dr0(gva(bp_target));
	mov_to_dr7(DR7_DEFAULT | DR7_L(0) | DR7_RW(0, RW_EXEC));
	if (test_check(trap_catch(TRAP_DB, p_call, (void *)bp_target, &rec),
		       "instruction breakpoint: #DB")) {
		test_check(rec.rip == gva(bp_target),
			   "instruction breakpoint: at bp_target (0x%llx)",
			   (unsigned long long)rec.rip);
		test_check(getdr(6) & 1, "instruction breakpoint: DR6.B0 (0x%lx)", getdr(6));
		test_check(mov_from_dr6() & 1, "instruction breakpoint: mov from %%dr6 shows B0");
	}
	dr_reset();

	/* A data breakpoint. */
	setdr(1, gva(&watched));
	setdr(7, DR7_DEFAULT | DR7_L(1) | DR7_RW(1, RW_WRITE) | DR7_LEN(1, LEN_8));
	if (test_check(trap_catch(TRAP_DB, p_write_watched, NULL, &rec), "data breakpoint: #DB")) {
		test_check(watched == 0x1234, "data breakpoint: a trap, the write was done");
		test_check((getdr(6) & 0xf) == 2, "data breakpoint: DR6.B1 alone (0x%lx)",
			   getdr(6));
	}

	/* The hypervisor writing the watched memory for the guest: no #DB for the guest. */
	setdr(6, 0);
	setdr(1, gva(hv_buf));
	rc = hypercall_xen_version(XENVER_extraversion, hv_buf);
	test_check(rc == 0 && hv_buf[0] != 0,
		   "a hypercall writing a watched buffer completes (%ld, \"%s\")", rc, hv_buf);
	test_check((getdr(6) & 0xf) == 0, "and raises no #DB for the guest (DR6 0x%lx)", getdr(6));

	/* A #DB whose own bounce frame lands on a watched word (the frame's ss slot). */
	setdr(0, gva(nested_site));
	setdr(1, gva(&nested_stack[256]) - 8);
	setdr(7, DR7_DEFAULT | DR7_L(0) | DR7_L(1) | DR7_RW(1, RW_WRITE) | DR7_LEN(1, LEN_8));
	rc = hypercall_set_trap_table(nested_entry);
	if (rc) {
		test_report(TEST_ERROR, "set_trap_table for the nested #DB failed: %ld", rc);
	}
	nested_rip = nested_cs = nested_rsp = nested_rax = 0;
	nested_go(gva(&nested_stack[256]));
	dr_reset();
	rc = traps_init();
	test_check(rc == 0, "runtime trap table back (%ld)", rc);
	test_check(nested_rip == gva(nested_site) && nested_rsp == gva(&nested_stack[256]),
		   "breakpoint with a watched bounce frame: frame rip 0x%llx rsp 0x%llx",
		   (unsigned long long)nested_rip, (unsigned long long)nested_rsp);
	test_check(nested_rax == 0x5a5a5a5a && (nested_cs & 0xffff) == (FLAT_KERNEL_CS & ~3),
		   "breakpoint with a watched bounce frame: rax 0x%llx cs 0x%llx",
		   (unsigned long long)nested_rax, (unsigned long long)nested_cs);
	dr_reset();
	setdr(0, 0);
	setdr(1, 0);
}

static void test_single_step(void)
{
	struct trap_record rec;

	if (test_check(trap_catch(TRAP_DB, step_over_nop, NULL, &rec), "single step: #DB")) {
		test_check(rec.rip == gva(step_after_nop), "single step: after the nop (0x%llx)",
			   (unsigned long long)rec.rip);
		test_check(getdr(6) & DR6_BS, "single step: DR6.BS (0x%lx)", getdr(6));
	}
	setdr(6, 0);
	if (test_check(trap_catch(TRAP_DB, step_over_emulated, NULL, &rec),
		       "single step over an emulated mov from %%cr0: #DB")) {
		test_check(rec.rip == gva(step_after_cr0),
			   "single step over the emulation: right after it (0x%llx)",
			   (unsigned long long)rec.rip);
		test_check(getdr(6) & DR6_BS, "single step over the emulation: DR6.BS (0x%lx)",
			   getdr(6));
	}
	setdr(6, 0);
}

static void test_io_breakpoint(void)
{
	struct physdev_set_iopl iopl = {.iopl = 1};
	struct trap_record rec;

	HYPERCALL2(__HYPERVISOR_physdev_op, PHYSDEVOP_set_iopl, &iopl);
	wr_cr4(rd_cr4() | CR4_DE);
	setdr(0, 0x80);
	setdr(7, DR7_DEFAULT | DR7_L(0) | DR7_RW(0, RW_IO));
	if (test_check(trap_catch(TRAP_DB, p_in80, NULL, &rec),
		       "I/O breakpoint on port 0x80: #DB")) {
		test_check((getdr(6) & 0xf) == 1, "I/O breakpoint: DR6.B0 (0x%lx)", getdr(6));
	}
	setdr(6, 0);
	/* Xen matches I/O breakpoints only while CR4.DE is on. */
	wr_cr4(rd_cr4() & ~CR4_DE);
	test_check(!trap_catch(TRAP_DB, p_in80, NULL, &rec), "no I/O breakpoint without CR4.DE");
	iopl.iopl = 0;
	HYPERCALL2(__HYPERVISOR_physdev_op, PHYSDEVOP_set_iopl, &iopl);
	dr_reset();
	setdr(0, 0);
}

void guest_main(struct start_info *si)
{
	gprintf("exec_debugreg: set_debugreg, get_debugreg, mov %%drN, #DB\n");
	if (!shared_info) {
		test_report(TEST_ERROR, "no shared_info mapping");
	}
	user_mode_init();
	test_hypercalls();
	test_mov();
	test_breakpoints();
	test_single_step();
	test_io_breakpoint();
	test_finish();
}
