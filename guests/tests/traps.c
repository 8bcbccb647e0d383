/*
 * Exceptions as a PV kernel takes them: each probe raises one exception at
 * a known instruction; the bounced frame must name the right vector, error
 * code, instruction pointer (the faulting instruction, or the next one for
 * the int3 trap) and, for #PF, the address in vcpu_info.arch.cr2. After
 * each one the guest must carry on: the way back is the iret hypercall.
 * Finally iret itself: returning to a ud2 elsewhere, on another stack, with
 * chosen rax, rcx and r11, must fault there with exactly that state.
 */
#include "guest.h"

/* Labels on the exact instructions, so the expected rip is known. */
extern const char ud_site[], bp_after[], de_site[], gp_site[], pf_ro_site[], pf_np_site[];

/* The iret probe's destination, outside any C function. */
extern const char iret_site[];
asm(".pushsection .text\n.globl iret_site\niret_site: ud2\n.popsection");

static const uint64_t read_only_word = 0x1234;
static uint64_t iret_stack[32] __attribute__((aligned(16)));
static struct iret_context iret_ctx;
#define UNMAPPED_ADDR 0x18UL

static __attribute__((noinline, noclone)) void probe_ud(void *arg)
{
	asm volatile(".globl ud_site\nud_site: ud2" ::: "memory");
}

static __attribute__((noinline, noclone)) void probe_bp(void *arg)
{
	asm volatile("int3\n.globl bp_after\nbp_after: nop" ::: "memory");
}

static __attribute__((noinline, noclone)) void probe_de(void *arg)
{
	asm volatile("xor %%edx, %%edx\n\t"
		     "mov $1, %%eax\n\t"
		     "xor %%ecx, %%ecx\n"
		     ".globl de_site\nde_site: div %%ecx" ::
			 : "rax", "rcx", "rdx", "memory");
}

/* A non-canonical address: #GP(0), not #PF. */
static __attribute__((noinline, noclone)) void probe_gp(void *arg)
{
	asm volatile("movabs $0x8000000000000000, %%rax\n"
		     ".globl gp_site\ngp_site: mov (%%rax), %%rax" ::
			 : "rax", "memory");
}

static __attribute__((noinline, noclone)) void probe_pf_write(void *arg)
{
	asm volatile(".globl pf_ro_site\npf_ro_site: movq $1, (%0)" ::"r"(arg) : "memory");
}

static __attribute__((noinline, noclone)) void probe_pf_read(void *arg)
{
	asm volatile(".globl pf_np_site\npf_np_site: mov (%0), %%rax" ::"r"(arg) : "rax", "memory");
}

static __attribute__((noinline, noclone)) void probe_iret(void *arg)
{
	hypercall_iret(&iret_ctx);
}

static __attribute__((noinline, noclone)) void probe_nothing(void *arg)
{
	*(volatile int *)arg = 1;
}

static uint64_t addr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/* Runs one probe; returns whether it was caught, with the frame in *rec. */
static bool expect(unsigned int vector, void (*probe)(void *), void *arg, const char *what,
		   struct trap_record *rec)
{
	memset(rec, 0, sizeof(*rec));
	if (!test_check(trap_catch(vector, probe, arg, rec), "%s raises %s", what,
			trap_name(vector))) {
		return false;
	}
	gprintf("caught %s from %s: error 0x%llx rip 0x%llx cs 0x%llx rsp 0x%llx cr2 0x%llx\n",
		trap_name(rec->vector), what, (unsigned long long)rec->error_code,
		(unsigned long long)rec->rip, (unsigned long long)rec->cs,
		(unsigned long long)rec->rsp, (unsigned long long)rec->cr2);
	test_check(rec->vector == vector, "%s: vector %u", what, rec->vector);
	/* Kernel mode shows as the flat kernel code selector with RPL 0. */
	test_check((rec->cs & 0xffff) == (FLAT_KERNEL_CS & ~3U),
		   "%s: frame cs 0x%llx is FLAT_KERNEL_CS with RPL 0", what,
		   (unsigned long long)rec->cs);
	return true;
}

void guest_main(struct start_info *si)
{
	struct trap_record rec;
	volatile int touched = 0;
	/* Lives across every catch: a bad resume would corrupt it. */
	uint64_t canary = 0x5a5a0000c3c3ffffULL ^ addr(si);

	struct trap_record kernel_frame;
	bool have_kernel_frame;

	have_kernel_frame = expect(TRAP_UD, probe_ud, NULL, "ud2", &rec);
	if (have_kernel_frame) {
		kernel_frame = rec;
		test_check(rec.rip == addr(ud_site), "#UD rip 0x%llx is the ud2 at 0x%llx",
			   (unsigned long long)rec.rip, (unsigned long long)addr(ud_site));
	}
	if (expect(TRAP_BP, probe_bp, NULL, "int3", &rec)) {
		test_check(rec.rip == addr(bp_after), "#BP rip 0x%llx is after the int3 (0x%llx)",
			   (unsigned long long)rec.rip, (unsigned long long)addr(bp_after));
	}
	if (expect(TRAP_DE, probe_de, NULL, "div by zero", &rec)) {
		test_check(rec.rip == addr(de_site), "#DE rip is the div");
	}
	if (expect(TRAP_GP, probe_gp, NULL, "non-canonical read", &rec)) {
		test_check(rec.rip == addr(gp_site), "#GP rip is the load");
		test_check(rec.error_code == 0, "#GP error code 0x%llx is 0",
			   (unsigned long long)rec.error_code);
	}
	if (expect(TRAP_PF, probe_pf_write, (void *)&read_only_word, "write to read-only data",
		   &rec)) {
		test_check(rec.rip == addr(pf_ro_site), "#PF (write) rip is the store");
		/* present | write, and not user: the guest kernel was running. */
		test_check((rec.error_code & 7) == 3,
			   "#PF (write) error code 0x%llx has P|W, not U",
			   (unsigned long long)rec.error_code);
		test_check(rec.cr2_valid && rec.cr2 == addr(&read_only_word),
			   "#PF (write) cr2 0x%llx is the word at 0x%llx",
			   (unsigned long long)rec.cr2, (unsigned long long)addr(&read_only_word));
	}
	if (expect(TRAP_PF, probe_pf_read, (void *)UNMAPPED_ADDR, "read of an unmapped page",
		   &rec)) {
		test_check(rec.rip == addr(pf_np_site), "#PF (read) rip is the load");
		test_check((rec.error_code & 7) == 0, "#PF (read) error code 0x%llx has no P, W, U",
			   (unsigned long long)rec.error_code);
		test_check(rec.cr2_valid && rec.cr2 == UNMAPPED_ADDR, "#PF (read) cr2 0x%llx",
			   (unsigned long long)rec.cr2);
	}
	/* cs, rflags and ss as the hypervisor presents guest kernel mode. */
	if (have_kernel_frame) {
		iret_ctx = (struct iret_context){
		    .rax = 0x1111aaaa,
		    .r11 = 0x2222bbbb,
		    .rcx = 0x3333cccc,
		    .flags = 0,
		    .rip = addr(iret_site),
		    .cs = kernel_frame.cs,
		    .rflags = kernel_frame.rflags,
		    .rsp = addr(&iret_stack[24]),
		    .ss = kernel_frame.ss,
		};
		if (expect(TRAP_UD, probe_iret, NULL, "iret to a ud2", &rec)) {
			test_check(
			    rec.rip == addr(iret_site), "iret went to rip 0x%llx (want 0x%llx)",
			    (unsigned long long)rec.rip, (unsigned long long)addr(iret_site));
			test_check(rec.rsp == addr(&iret_stack[24]),
				   "iret set rsp 0x%llx (want 0x%llx)", (unsigned long long)rec.rsp,
				   (unsigned long long)addr(&iret_stack[24]));
			test_check(rec.rax == 0x1111aaaa && rec.rcx == 0x3333cccc &&
				       rec.r11 == 0x2222bbbb,
				   "iret restored rax 0x%llx rcx 0x%llx r11 0x%llx",
				   (unsigned long long)rec.rax, (unsigned long long)rec.rcx,
				   (unsigned long long)rec.r11);
		}
	}
	test_check(read_only_word == 0x1234, "the read-only word was not written");
	test_check(!trap_catch(TRAP_GP, probe_nothing, (void *)&touched, &rec) && touched == 1,
		   "a probe that does not fault runs to its end and is not reported");
	test_check(canary == (0x5a5a0000c3c3ffffULL ^ addr(si)),
		   "state held across the catches is intact");
	if (shared_info) {
		test_check(shared_info->vcpu_info[0].evtchn_upcall_mask == 1,
			   "event upcalls are still masked");
	}
	test_finish();
}
