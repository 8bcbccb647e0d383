/*
 * x86_64 SMP internals: the CPU list from ACPI, AP bring-up, per-CPU data
 * and the IPI handler. The portable part is <arch/smp.h>.
 */
#ifndef PALISADE_ASM_SMP_H
#define PALISADE_ASM_SMP_H

#include <arch/smp.h>
#include <asm/multiboot2.h>
#include <types.h>

/*
 * What one CPU keeps for itself. Indexed by arch_cpu_id(); only the CPU
 * itself writes its fields, except the call slot (written by the caller
 * before the IPI) and apic_id (by the boot CPU before the AP starts).
 */
struct percpu {
	uint32_t apic_id;
	volatile bool online;
	unsigned int id_seen; /* arch_cpu_id() as the CPU saw it when it started */
	volatile uint64_t ticks;
	volatile uint64_t ipis[ARCH_NR_IPIS];
	/* smp_call_on: the function the CPU runs next in its idle loop. */
	void (*volatile call_fn)(void *arg);
	void *volatile call_arg;
	volatile bool call_done;
	/* Control registers and syscall MSRs as the CPU set them up. */
	uint64_t cr0, cr4, efer, star, lstar, fmask;
	uint64_t gdt_base;
	/* The vcpu this CPU runs (set by the context switch): current off the vcpu stacks. */
	struct vcpu *curr;
	/* arch_now_ns's floor: what it last returned here. */
	uint64_t now_last;
};
extern struct percpu percpu[NR_CPUS];

static inline struct percpu *this_cpu(void)
{
	return &percpu[arch_cpu_id()];
}

/* The CPUs the firmware lists, boot CPU first. */
struct acpi_cpus {
	unsigned int nr;	 /* entries in apic_id */
	unsigned int nr_enabled; /* enabled CPUs listed, including those past NR_CPUS */
	uint32_t apic_id[NR_CPUS];
};

/*
 * Finds the enabled local APICs in the ACPI MADT (RSDP from the multiboot2
 * ACPI tag, else the BIOS areas); reads physical memory through the boot
 * tables' direct map (below 4 GiB). bsp_apic_id goes first. Returns 0, or
 * a negative errno with the reason in why (then out says one CPU).
 */
int acpi_find_cpus(const struct boot_info *bi, uint32_t bsp_apic_id, struct acpi_cpus *out,
		   char *why, size_t n);

/* Test-build faults (test_hook_smp). */
#define SMP_TEST_NOSIPI (1U << 0)  /* the SIPIs are not sent */
#define SMP_TEST_MADTSUM (1U << 1) /* the MADT's checksum is taken as wrong */
#define SMP_TEST_NOFLUSH (1U << 2) /* the TLB-flush IPI acknowledges without flushing */
extern unsigned int smp_test_faults;

/* The CPU list, printed; before paging_init (the boot tables map the firmware). */
void smp_discover(const struct boot_info *bi);

/* A free page below 1 MiB for the AP trampoline (to reserve), or 0. */
paddr_t smp_trampoline_page(const struct boot_info *bi);

/* Starts the listed APs up to nosmp/maxcpus= (after apic_timer_init). */
void smp_boot_aps(void);

/* Online CPUs expected from the list and the command line. */
unsigned int smp_cpus_wanted(void);

/* APIC id of a CPU number. */
uint32_t smp_apic_id(unsigned int cpu);

/* Handler of the IPI vectors (traps.c). */
void smp_ipi_interrupt(unsigned int vector);

/*
 * Runs fn(arg) on cpu (in its idle loop, interrupts off) and waits for it:
 * 0, -EINVAL (cpu not online) or -ETIMEDOUT. Boot CPU only, one at a time.
 */
int smp_call_on(unsigned int cpu, void (*fn)(void *arg), void *arg);

/* Self-checks (selfcheck_arch.c lists them). */
int smp_check_cpus(char *d, size_t n);
int smp_check_ipi(char *d, size_t n);
int smp_check_tlb_shootdown(char *d, size_t n);
int smp_check_guest_tlb(char *d, size_t n);

#endif /* PALISADE_ASM_SMP_H */
