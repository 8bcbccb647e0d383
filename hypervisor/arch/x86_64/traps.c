/*
 * Exception and interrupt dispatch, the fatal fault report and panic.
 *
 * An exception raised by a guest (ring 3) goes to the PV code, which
 * bounces, emulates or crashes the domain (pv/traps.c). In the hypervisor
 * only these are expected and recovered: a guest pointer faulting inside
 * copy_{from,to}_guest (-EFAULT), a bad guest frame on the exit iretq
 * (handed to the guest), and #DB left by the guest (the single-step trap
 * of a syscall or sysenter made with TF set, a guest watchpoint hit by a
 * guest copy: pv/debugreg.c). Any other
 * is fatal: the report goes through printk (so it is in the console ring
 * too), then the machine stops with EXIT_FAULT.
 */
#include <arch/power.h>
#include <asm/cpu.h>
#include <asm/frame_asm.h>
#include <asm/layout.h>
#include <asm/paging.h>
#include <asm/pv.h>
#include <asm/serial.h>
#include <asm/smp.h>
#include <asm/traps.h>
#include <console.h>
#include <lib.h>
#include <symbols.h>
#include <xsm/xsm.h>

static const char *const exception_names[32] = {
    [0] = "#DE divide error",
    [1] = "#DB debug",
    [2] = "NMI",
    [3] = "#BP breakpoint",
    [4] = "#OF overflow",
    [5] = "#BR bound range exceeded",
    [6] = "#UD invalid opcode",
    [7] = "#NM device not available",
    [8] = "#DF double fault",
    [9] = "coprocessor segment overrun",
    [10] = "#TS invalid TSS",
    [11] = "#NP segment not present",
    [12] = "#SS stack-segment fault",
    [13] = "#GP general protection",
    [14] = "#PF page fault",
    [16] = "#MF x87 floating-point error",
    [17] = "#AC alignment check",
    [18] = "#MC machine check",
    [19] = "#XM SIMD floating-point exception",
    [20] = "#VE virtualization exception",
    [21] = "#CP control protection",
    [28] = "#HV hypervisor injection",
    [29] = "#VC VMM communication",
    [30] = "#SX security exception",
};

BUILD_BUG_ON(sizeof(struct cpu_regs) != CPU_REGS_SIZE);
BUILD_BUG_ON(offsetof(struct cpu_regs, cs) != CPU_REGS_CS);

/* Set while a report is being printed: a fault inside it must not recurse. */
static int in_fatal;

static const char *vector_name(uint64_t v)
{
	if (v < 32 && exception_names[v]) {
		return exception_names[v];
	}
	if (v < 32) {
		return "reserved exception";
	}
	if (v == TIMER_VECTOR) {
		return "APIC timer";
	}
	if (v == SPURIOUS_VECTOR) {
		return "APIC spurious";
	}
	if (v >= IPI_RESCHEDULE_VECTOR && v <= IPI_TLB_FLUSH_VECTOR) {
		return "IPI";
	}
	return "external interrupt";
}

/*
 * A return address is looked up one byte earlier: after a call to a
 * noreturn function it points just past the caller's end.
 */
static void print_symbol(const char *prefix, uint64_t addr, bool is_return)
{
	uint64_t off = 0, look = addr - (is_return ? 1 : 0);
	const char *name = NULL;

	if (look >= (uint64_t)__text_start && look < (uint64_t)__text_end) {
		name = symbols_lookup(look, &off);
		off += is_return ? 1 : 0;
	}

	if (name) {
		pr_err("%s[<%016llx>] %s+0x%llx\n", prefix, (unsigned long long)addr, name,
		       (unsigned long long)off);
	} else {
		pr_err("%s[<%016llx>] ?\n", prefix, (unsigned long long)addr);
	}
}

/*
 * Follows saved frame pointers while they stay inside one known stack,
 * move upwards and are aligned, so a corrupt chain ends the walk instead
 * of faulting.
 */
void show_backtrace(uint64_t rip, uint64_t rbp, bool rip_is_return)
{
	const struct stack_range *st = cpu_find_stack(rbp);
	unsigned int depth, repeats = 0;
	uint64_t prev = rip;

	pr_err("Backtrace:\n");
	print_symbol("  ", rip, rip_is_return);
	for (depth = 0; depth < 64 && rbp; depth++) {
		const uint64_t *frame = (const uint64_t *)rbp;
		uint64_t next;

		if (!st || (rbp & 7) || rbp < st->lo || rbp + 16 > st->hi) {
			break;
		}
		if (frame[1] == 0) {
			break;
		}
		/* Recursion (e.g. a stack overflow) would fill the report with one line. */
		if (frame[1] == prev) {
			repeats++;
		} else {
			if (repeats) {
				pr_err("  ... the line above repeated %u more times\n", repeats);
				repeats = 0;
			}
			print_symbol("  ", frame[1], true);
		}
		prev = frame[1];
		next = frame[0];
		if (next <= rbp) {
			break;
		}
		rbp = next;
	}
	if (repeats) {
		pr_err("  ... the line above repeated %u more times\n", repeats);
	}
}

static void dump_regs(const struct cpu_regs *r)
{
	uint64_t off = 0;
	const char *sym = symbols_lookup(r->rip, &off);

	pr_err("RIP: %04llx:%016llx %s+0x%llx\n", (unsigned long long)r->cs,
	       (unsigned long long)r->rip, sym ? sym : "?", (unsigned long long)off);
	pr_err("RSP: %04llx:%016llx RFLAGS: %016llx\n", (unsigned long long)r->ss,
	       (unsigned long long)r->rsp, (unsigned long long)r->rflags);
	pr_err("RAX: %016llx RBX: %016llx RCX: %016llx\n", (unsigned long long)r->rax,
	       (unsigned long long)r->rbx, (unsigned long long)r->rcx);
	pr_err("RDX: %016llx RSI: %016llx RDI: %016llx\n", (unsigned long long)r->rdx,
	       (unsigned long long)r->rsi, (unsigned long long)r->rdi);
	pr_err("RBP: %016llx R8:  %016llx R9:  %016llx\n", (unsigned long long)r->rbp,
	       (unsigned long long)r->r8, (unsigned long long)r->r9);
	pr_err("R10: %016llx R11: %016llx R12: %016llx\n", (unsigned long long)r->r10,
	       (unsigned long long)r->r11, (unsigned long long)r->r12);
	pr_err("R13: %016llx R14: %016llx R15: %016llx\n", (unsigned long long)r->r13,
	       (unsigned long long)r->r14, (unsigned long long)r->r15);
	pr_err("CR0: %016lx CR2: %016lx CR3: %016lx CR4: %016lx\n", read_cr0(), read_cr2(),
	       read_cr3(), read_cr4());
}

static void enter_fatal(void)
{
	local_irq_disable();
	if (in_fatal++) {
		/* The report itself faulted: say so without the console and stop. */
		serial_puts("\n*** Palisade: fault while reporting a fault; stopping\n");
		arch_crash_stop(EXIT_FAULT);
	}
}

void fatal_trap(const struct cpu_regs *r)
{
	enter_fatal();
	pr_err("\n*** Palisade fatal exception: vector %llu (%s), error code 0x%llx\n",
	       (unsigned long long)r->vector, vector_name(r->vector),
	       (unsigned long long)r->error_code);
	if (r->vector == 14) {
		pr_err("Page fault at %016lx: %s %s, %s mode%s\n", read_cr2(),
		       (r->error_code & 1) ? "protection violation on" : "not-present page for",
		       (r->error_code & 16) ? "an instruction fetch"
					    : ((r->error_code & 2) ? "a write" : "a read"),
		       (r->error_code & 4) ? "user" : "supervisor",
		       (r->error_code & 8) ? ", reserved bit set" : "");
	}
	if (r->vector == 8 || r->vector == 14) {
		int slot = vcpu_stack_guard_slot(r->rsp);

		if (slot < 0 && r->vector == 14) {
			slot = vcpu_stack_guard_slot(read_cr2());
		}
		if (slot >= 0) {
			pr_err("vcpu stack overflow: the guard below vcpu stack slot %d was hit "
			       "(RSP %016llx)\n",
			       slot, (unsigned long long)r->rsp);
		} else if (r->vector == 8 && !cpu_find_stack(r->rsp)) {
			pr_err("RSP is outside every stack: likely a stack overflow into a guard "
			       "page\n");
		}
	}
	dump_regs(r);
	show_backtrace(r->rip, r->rbp, false);
	pr_err("*** Stopping (status %d)\n", EXIT_FAULT);
	arch_crash_stop(EXIT_FAULT);
}

void panic(const char *fmt, ...)
{
	va_list ap;

	enter_fatal();
	pr_err("\n*** Palisade panic: ");
	va_start(ap, fmt);
	vprintk_level(LOG_ERR, fmt, ap);
	va_end(ap);
	show_backtrace((uint64_t)__builtin_return_address(0),
		       *(const uint64_t *)__builtin_frame_address(0), true);
	pr_err("*** Stopping (status %d)\n", EXIT_FAULT);
	arch_crash_stop(EXIT_FAULT);
}

static unsigned int unexpected_irqs;

void trap_dispatch(struct cpu_regs *r)
{
	bool from_guest = (r->cs & 3) == 3;

	if (r->vector < 32) {
		if (from_guest) {
			pv_guest_exception(r);
			pv_exit_prepare(r);
			return;
		}
		/* A trap, not a fault: a copy it interrupts goes on (no uaccess fixup). */
		if (r->vector == 1) {
			if (!pv_debug_hypervisor_trap(r)) {
				fatal_trap(r);
			}
			return;
		}
		/* A guest pointer that faulted inside copy_{from,to}_guest: -EFAULT, not fatal. */
		if (uaccess_fixup(r) || pv_exit_fault(r)) {
			return;
		}
		fatal_trap(r);
	}
	if (r->vector == TIMER_VECTOR) {
		timer_interrupt();
	} else if (r->vector >= IPI_RESCHEDULE_VECTOR && r->vector <= IPI_TLB_FLUSH_VECTOR) {
		smp_ipi_interrupt(r->vector);
	} else if (r->vector == SPURIOUS_VECTOR) {
		/* A spurious interrupt needs no EOI. */
	} else if (unexpected_irqs++ < 8) {
		pr_warn("traps: unexpected interrupt vector %llu ignored\n",
			(unsigned long long)r->vector);
	}
	if (from_guest) {
		/* Guest code was running: this CPU was inside no XSM hook. */
		xsm_cpu_quiescent();
		pv_exit_prepare(r);
	}
}

/*
 * The stack protector (-mstack-protector-guard=global). The canary is set
 * by head.S before the first C call; it lives in .data so that clearing
 * the BSS does not undo it.
 */
uint64_t __stack_chk_guard __attribute__((section(".data"))) = 0;

void __attribute__((noreturn)) __stack_chk_fail(void)
{
	panic("stack protector: corrupted stack frame detected in the caller\n");
}
