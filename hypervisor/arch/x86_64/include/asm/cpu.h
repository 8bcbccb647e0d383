/*
 * x86_64 CPU access helpers and CPU setup (GDT, IDT, TSS, control registers).
 */
#ifndef PALISADE_ARCH_CPU_H
#define PALISADE_ARCH_CPU_H

#include <types.h>

#define X86_CR0_PE (1UL << 0)
#define X86_CR0_TS (1UL << 3)
#define X86_CR0_WP (1UL << 16)
#define X86_CR0_PG (1UL << 31)
#define X86_CR4_DE (1UL << 3)
#define X86_CR4_PAE (1UL << 5)
#define X86_CR4_PGE (1UL << 7)
#define X86_CR4_OSFXSR (1UL << 9)
#define X86_CR4_OSXMMEXCPT (1UL << 10)
#define X86_CR4_SMEP (1UL << 20)
#define X86_CR4_SMAP (1UL << 21)

#define MSR_EFER 0xc0000080
#define EFER_SCE (1UL << 0)
#define EFER_LME (1UL << 8)
#define EFER_NXE (1UL << 11)
#define MSR_APIC_BASE 0x1b
#define MSR_SYSENTER_CS 0x174
#define MSR_SYSENTER_ESP 0x175
#define MSR_SYSENTER_EIP 0x176
#define MSR_STAR 0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_CSTAR 0xc0000083
#define MSR_FMASK 0xc0000084
#define MSR_FS_BASE 0xc0000100
#define MSR_GS_BASE 0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102

#define X86_EFLAGS_CF (1UL << 0)
#define X86_EFLAGS_TF (1UL << 8)
#define X86_EFLAGS_IF (1UL << 9)
#define X86_EFLAGS_DF (1UL << 10)
#define X86_EFLAGS_IOPL (3UL << 12)
#define X86_EFLAGS_NT (1UL << 14)
#define X86_EFLAGS_RF (1UL << 16)
#define X86_EFLAGS_VM (1UL << 17)
#define X86_EFLAGS_AC (1UL << 18)

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void cpuid_count(uint32_t leaf, uint32_t sub, uint32_t *a, uint32_t *b, uint32_t *c,
			       uint32_t *d)
{
	__asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "0"(leaf), "2"(sub));
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* read_crN/write_crN, read_drN/write_drN: moves to and from control and debug registers. */
#define DEFINE_MOV_ACCESS(kind, reg, n)                                                            \
	static inline unsigned long read_##kind##n(void)                                           \
	{                                                                                          \
		unsigned long v;                                                                   \
		__asm__ volatile("mov %%" #reg #n ", %0" : "=r"(v));                               \
		return v;                                                                          \
	}                                                                                          \
	static inline void write_##kind##n(unsigned long v)                                        \
	{                                                                                          \
		__asm__ volatile("mov %0, %%" #reg #n : : "r"(v) : "memory");                      \
	}
DEFINE_MOV_ACCESS(cr, cr, 0)
DEFINE_MOV_ACCESS(cr, cr, 2)
DEFINE_MOV_ACCESS(cr, cr, 3)
DEFINE_MOV_ACCESS(cr, cr, 4)
DEFINE_MOV_ACCESS(dr, db, 0)
DEFINE_MOV_ACCESS(dr, db, 1)
DEFINE_MOV_ACCESS(dr, db, 2)
DEFINE_MOV_ACCESS(dr, db, 3)
DEFINE_MOV_ACCESS(dr, db, 6)
DEFINE_MOV_ACCESS(dr, db, 7)
#undef DEFINE_MOV_ACCESS

static inline unsigned long read_flags(void)
{
	unsigned long f;

	__asm__ volatile("pushfq; popq %0" : "=r"(f));
	return f;
}

static inline void local_irq_disable(void)
{
	__asm__ volatile("cli" ::: "memory");
}

static inline void local_irq_enable(void)
{
	__asm__ volatile("sti" ::: "memory");
}

static inline void cpu_relax(void)
{
	__asm__ volatile("pause" ::: "memory");
}

static inline void halt(void)
{
	__asm__ volatile("hlt" ::: "memory");
}

/* Features found by cpu_init (CPUID), used by the self-checks. */
struct cpu_features {
	bool smep, smap, nx, rdrand, apic, pdpe1gb, invariant_tsc;
};
extern struct cpu_features cpu_features;
/* Read by the entry stubs to decide whether to execute clac. */
extern uint8_t cpu_has_smap;

/* GDT, TSS (with the IST stacks), IDT, CR0.WP, SMEP/SMAP. */
void cpu_init(void);

/* TSS.RSP0: the stack ring-3 exceptions and interrupts land on. */
void cpu_set_rsp0(uint64_t rsp0);

/* GDT access for the PV descriptor code (pv/desc.c): entry i of the live GDT. */
uint64_t cpu_gdt_read(unsigned int i);
void cpu_gdt_write(unsigned int i, uint64_t desc);

/* Bounds of a hypervisor stack, for the backtrace walker. */
struct stack_range {
	uint64_t lo, hi;
	const char *name;
};
/* Returns the stack that contains addr, or NULL. */
const struct stack_range *cpu_find_stack(uint64_t addr);

/*
 * Guard pages below every stack, every CPU's, for the page-table builder
 * and self-check (filled by cpu_init).
 */
extern uint64_t stack_guard_pages[];
extern unsigned int nr_stack_guard_pages;

/* An AP's GDT, TSS and IST stacks, the shared IDT, the boot CPU's CR0/CR4, syscall MSRs. */
void cpu_init_ap(unsigned int cpu, uint64_t bsp_cr0, uint64_t bsp_cr4);

/* Top of the stack AP cpu starts on (0 for CPU 0 or a number too big). */
uint64_t cpu_ap_stack_top(unsigned int cpu);

#endif /* PALISADE_ARCH_CPU_H */
