/*
 * Emulation by the hypervisor:
 *  - the forced-emulation CPUID (ud2 "xen" cpuid), usable with no trap
 *    table at all, answering the hypervisor leaves ("XenVMMXenVMM") and
 *    hiding what a PV guest must not use;
 *  - privileged instructions of a PV kernel: mov from CR0/CR2/CR3/CR4,
 *    clts and mov to CR0.TS, rdmsr/wrmsr of the allowlist, wbinvd;
 *    anything else (other MSRs, CR0 bits other than TS, hlt, port I/O
 *    dom0 was not given) is bounced as #GP(0);
 *  - rdtsc runs natively;
 *  - PHYSDEVOP_set_iopl: with virtual IOPL 1 cli/sti are skipped (as on
 *    Xen they leave the event mask alone) and port I/O is carried out
 *    for dom0, except that the
 *    hypervisor's ports (COM1, isa-debug-exit, PCI configuration) read as
 *    all ones and ignore writes; with IOPL 0 both are #GP;
 *  - CR4 writes keep the guest's SSE bits; iretq and lretq to self work
 *    (QEMU pops their stack with supervisor rights, which SMAP refuses on
 *    a guest stack: the hypervisor completes them).
 */
#include <public/errno.h>

#include <public/physdev.h>

#include "guest.h"

#define MSR_FS_BASE 0xc0000100
#define MSR_APIC_BASE 0x1b
#define MSR_TSC 0x10
#define CR0_TS (1UL << 3)
#define CR4_PAE (1UL << 5)
#define CR4_OSFXSR (1UL << 9)

static void xcpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	asm volatile(XEN_CPUID
		     : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
		     : "0"(leaf), "2"(sub));
}

static uint64_t rd_cr0(void)
{
	uint64_t v;

	asm volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static uint64_t rd_msr(uint32_t msr)
{
	uint32_t lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static void p_rdmsr_apic(void *arg)
{
	rd_msr(MSR_APIC_BASE);
}

static void p_wrmsr_tsc(void *arg)
{
	asm volatile("wrmsr" : : "c"(MSR_TSC), "a"(0), "d"(0));
}

static void p_cr0_pg_off(void *arg)
{
	uint64_t v = rd_cr0() & ~(1UL << 31);

	asm volatile("mov %0, %%cr0" : : "r"(v));
}

static void p_hlt(void *arg)
{
	asm volatile("hlt");
}

static void p_in80(void *arg)
{
	uint8_t v;

	asm volatile("inb $0x80, %0" : "=a"(v));
}

static void p_outcom1(void *arg)
{
	asm volatile("outb %0, %%dx" : : "a"((uint8_t)'X'), "d"(0x3f8));
}

static void p_touch(void *arg)
{
	*(volatile uint8_t *)arg;
}

static void expect_gp(void (*fn)(void *), const char *what)
{
	struct trap_record rec;

	if (test_check(trap_catch(TRAP_GP, fn, NULL, &rec), "%s raises #GP", what)) {
		test_check(rec.error_code == 0, "%s: #GP(0) (0x%llx)", what,
			   (unsigned long long)rec.error_code);
	}
}

static void test_cpuid(void)
{
	uint32_t r[4];
	char sig[13];
	long rc;

	/* No trap table at all: the prefix must still work. */
	rc = hypercall_set_trap_table(NULL);
	test_check(rc == 0, "trap table cleared (%ld)", rc);
	xcpuid(0x40000000, 0, r);
	rc = traps_init();
	test_check(rc == 0, "trap table back (%ld)", rc);
	memcpy(sig, &r[1], 4);
	memcpy(sig + 4, &r[2], 4);
	memcpy(sig + 8, &r[3], 4);
	sig[12] = 0;
	gprintf("cpuid 0x40000000: eax 0x%x \"%s\"\n", r[0], sig);
	test_check(strcmp(sig, "XenVMMXenVMM") == 0, "hypervisor leaf signature \"%s\"", sig);
	test_check(r[0] >= 0x40000002, "hypervisor leaves up to 0x%x", r[0]);
	xcpuid(0x40000001, 0, r);
	test_check(r[0] == ((4U << 16) | 17), "leaf 0x40000001 version 0x%x", r[0]);
	xcpuid(0x40000002, 0, r);
	test_check(r[0] == 1, "leaf 0x40000002: one hypercall page (%u)", r[0]);

	xcpuid(1, 0, r);
	gprintf("cpuid 1: ecx 0x%08x edx 0x%08x\n", r[2], r[3]);
	test_check(!(r[2] & (1U << 5)), "VMX hidden");
	test_check(!(r[2] & (1U << 3)), "MONITOR hidden");
	test_check(!(r[2] & (1U << 21)), "x2APIC hidden");
	test_check(!(r[2] & (1U << 24)), "TSC deadline hidden");
	test_check(!(r[2] & (1U << 17)), "PCID hidden");
	{
		uint32_t na, nb, nc, nd;

		/* Offered exactly where the CPU has it (exec-xsave tests the rest). */
		asm volatile("cpuid" : "=a"(na), "=b"(nb), "=c"(nc), "=d"(nd) : "0"(1), "2"(0));
		test_check(!(r[2] & (1U << 26)) == !(nc & (1U << 26)),
			   "XSAVE offered as the CPU has it (0x%x, native 0x%x)", r[2], nc);
	}
	test_check(r[2] & (1U << 31), "hypervisor bit set");
	test_check(!(r[3] & (1U << 3)), "PSE hidden");
	xcpuid(7, 0, r);
	test_check(!(r[1] & ((1U << 7) | (1U << 20))), "SMEP and SMAP hidden (ebx 0x%x)", r[1]);
	xcpuid(0x80000001, 0, r);
	test_check(!(r[2] & (1U << 2)), "SVM hidden");
	test_check(!(r[3] & (1U << 26)), "1 GiB pages hidden");
	test_check(r[3] & (1U << 29), "long mode still shown");
	xcpuid(5, 0, r);
	test_check(r[0] == 0 && r[1] == 0, "MONITOR leaf empty");
}

static void test_cr(struct start_info *si)
{
	struct trap_record rec;
	uint64_t v, l4_pfn, want;

	HYPERCALL1(__HYPERVISOR_fpu_taskswitch, 1);
	test_check(rd_cr0() & CR0_TS, "CR0 shows TS after fpu_taskswitch(1)");
	asm volatile("clts");
	test_check(!(rd_cr0() & CR0_TS), "clts clears TS");
	v = rd_cr0() | CR0_TS;
	asm volatile("mov %0, %%cr0" : : "r"(v));
	test_check(rd_cr0() & CR0_TS, "mov to CR0 sets TS");
	v &= ~CR0_TS;
	asm volatile("mov %0, %%cr0" : : "r"(v));
	test_check(!(rd_cr0() & CR0_TS), "mov to CR0 clears TS");
	expect_gp(p_cr0_pg_off, "mov to CR0 clearing PG");

	if (trap_catch(TRAP_PF, p_touch, (void *)0x7000UL, &rec)) {
		asm volatile("mov %%cr2, %0" : "=r"(v));
		test_check(v == 0x7000, "CR2 0x%llx after a #PF at 0x7000", (unsigned long long)v);
	} else {
		test_check(false, "read of 0x7000 faults");
	}

	asm volatile("mov %%cr3, %0" : "=r"(v));
	l4_pfn = (si->pt_base - 0xffffffff80000000ULL) >> 12;
	want = ((const uint64_t *)si->mfn_list)[l4_pfn] << 12;
	test_check(v == want, "CR3 0x%llx is the machine address of the L4 (0x%llx)",
		   (unsigned long long)v, (unsigned long long)want);
	asm volatile("mov %%cr4, %%r9; mov %%r9, %0" : "=r"(v) : : "r9");
	test_check(v & CR4_PAE, "CR4 0x%llx shows PAE", (unsigned long long)v);
}

static void test_msr_misc(void)
{
	static uint64_t fs_word = 0xabcdef0123456789ULL;
	uint64_t v, t1, t2;

	hypercall_set_segment_base(SEGBASE_FS, 0x123456000ULL);
	v = rd_msr(MSR_FS_BASE);
	test_check(v == 0x123456000ULL, "rdmsr FS_BASE 0x%llx", (unsigned long long)v);
	v = (uint64_t)(uintptr_t)&fs_word;
	asm volatile("wrmsr" : : "c"(MSR_FS_BASE), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
	asm volatile("mov %%fs:0, %0" : "=r"(t1));
	test_check(t1 == fs_word, "wrmsr FS_BASE took effect");
	hypercall_set_segment_base(SEGBASE_FS, 0);
	expect_gp(p_rdmsr_apic, "rdmsr APIC_BASE");
	expect_gp(p_wrmsr_tsc, "wrmsr TSC");
	asm volatile("wbinvd" ::: "memory");
	test_check(true, "wbinvd emulated for dom0");
	expect_gp(p_hlt, "hlt");
	expect_gp(p_in80, "in from port 0x80 (no I/O permission)");
	expect_gp(p_outcom1, "out to COM1 (the hypervisor's port)");
	asm volatile("rdtsc; shl $32, %%rdx; or %%rdx, %%rax" : "=a"(t1) : : "rdx");
	asm volatile("rdtsc; shl $32, %%rdx; or %%rdx, %%rax" : "=a"(t2) : : "rdx");
	test_check(t2 > t1, "rdtsc runs and advances");
}

static long set_iopl(uint32_t iopl)
{
	struct physdev_set_iopl si = {.iopl = iopl};

	return HYPERCALL2(__HYPERVISOR_physdev_op, PHYSDEVOP_set_iopl, &si);
}

static void p_cli(void *arg)
{
	asm volatile("cli");
}

static uint32_t in32(uint16_t port)
{
	uint32_t v;

	asm volatile("inl %%dx, %0" : "=a"(v) : "d"(port));
	return v;
}

static uint8_t in8(uint16_t port)
{
	uint8_t v;

	asm volatile("inb %%dx, %0" : "=a"(v) : "d"(port));
	return v;
}

/*
 * Virtual IOPL, cli/sti, port I/O with Xen's two levels, CR4 writes, and
 * the same-privilege iretq/lretq a kernel runs to itself (sync_core).
 */
static void test_iopl_io_cr4_ret(void)
{
	volatile struct vcpu_info *vi = &shared_info->vcpu_info[0];
	uint64_t cr4, v;
	struct trap_record rec;

	test_check(HYPERCALL2(__HYPERVISOR_physdev_op, PHYSDEVOP_set_iopl, 0x18) == -XEN_EFAULT,
		   "set_iopl from a bad pointer: -EFAULT");
	test_check(set_iopl(4) == -XEN_EINVAL, "set_iopl(4): -EINVAL");
	test_check(HYPERCALL2(__HYPERVISOR_physdev_op, PHYSDEVOP_eoi, 0) == -XEN_ENOSYS,
		   "other physdev_op: -ENOSYS");
	expect_gp(p_cli, "cli with virtual IOPL 0");
	test_check(set_iopl(1) == 0, "set_iopl(1)");
	vi->evtchn_upcall_mask = 0;
	asm volatile("cli");
	test_check(vi->evtchn_upcall_mask == 0, "cli with IOPL 1 is skipped: events stay unmasked");
	vi->evtchn_upcall_mask = 1;
	asm volatile("sti");
	test_check(vi->evtchn_upcall_mask == 1, "sti with IOPL 1 is skipped: events stay masked");

	/* Ports dom0 may not touch read as all ones and ignore writes. */
	asm volatile("outb %0, $0xf4" : : "a"((uint8_t)0x42));
	test_check(true, "out to isa-debug-exit was dropped: still running");
	test_check(in8(0x3fd) == 0xff, "COM1 (the hypervisor's) reads as 0xff");
	asm volatile("outl %0, %%dx" : : "a"(0x80000000U), "d"(0xcf8));
	test_check(in32(0xcfc) == 0xffffffffU, "PCI configuration space reads as absent");
	(void)in8(0x80);
	test_check(true, "in from port 0x80 is carried out for dom0");
	test_check(set_iopl(0) == 0, "set_iopl(0)");
	expect_gp(p_in80, "in from port 0x80 with virtual IOPL 0");

	asm volatile("mov %%cr4, %0" : "=r"(cr4));
	v = cr4 | CR4_OSFXSR;
	asm volatile("mov %0, %%cr4" : : "r"(v));
	asm volatile("mov %%cr4, %0" : "=r"(v));
	test_check((v & CR4_OSFXSR) && (v & CR4_PAE), "CR4 write: OSFXSR kept (0x%llx)",
		   (unsigned long long)v);

	/* sync_core's iret to self, and a far return to self. */
	asm volatile("mov %%ss, %%eax\n\t"
		     "push %%rax\n\t"
		     "push %%rsp\n\t"
		     "addq $8, (%%rsp)\n\t"
		     "pushf\n\t"
		     "mov %%cs, %%eax\n\t"
		     "push %%rax\n\t"
		     "lea 1f(%%rip), %%rax\n\t"
		     "push %%rax\n\t"
		     "iretq\n"
		     "1:"
		     :
		     :
		     : "rax", "memory");
	test_check(true, "iretq to self in guest kernel mode");
	asm volatile("mov %%cs, %%eax\n\t"
		     "push %%rax\n\t"
		     "lea 1f(%%rip), %%rax\n\t"
		     "push %%rax\n\t"
		     "lretq\n"
		     "1:"
		     :
		     :
		     : "rax", "memory");
	test_check(true, "lretq to self in guest kernel mode");
	(void)rec;
}

void guest_main(struct start_info *si)
{
	gprintf("exec_emul: CPUID policy and privileged instructions\n");
	test_cpuid();
	test_cr(si);
	test_msr_misc();
	test_iopl_io_cr4_ret();
	test_finish();
}
