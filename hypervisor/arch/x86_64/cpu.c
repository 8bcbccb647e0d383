/*
 * CPU setup: feature detection, GDT with the TSS, IDT, CR0/CR4 hardening,
 * and the console lock of the arch contract.
 */
#include <arch/console.h>
#include <arch/smp.h>
#include <asm/cpu.h>
#include <asm/layout.h>
#include <asm/pv.h>
#include <asm/traps.h>
#include <asm/xstate.h>
#include <lib.h>

struct cpu_features cpu_features;
uint8_t cpu_has_smap;

/* head.S */
extern char stack_guard_main[], cpu0_stack[], cpu0_stack_top[];
extern char stack_guard_df[], ist_df_stack[], ist_df_top[];
extern char stack_guard_nmi[], ist_nmi_stack[], ist_nmi_top[];
extern char stack_guard_mc[], ist_mc_stack[], ist_mc_top[];

/*
 * An AP's stacks, each above an unmapped guard page as the boot CPU's
 * (head.S), its #DB stack included. In the image's BSS so that paging_init
 * leaves the guards out like the boot CPU's; ap_stacks[i] is CPU i+1's.
 */
struct ap_stacks {
	uint8_t guard_main[GUARD_SIZE];
	uint8_t main[STACK_SIZE];
	uint8_t guard_df[GUARD_SIZE];
	uint8_t df[IST_STACK_SIZE];
	uint8_t guard_nmi[GUARD_SIZE];
	uint8_t nmi[IST_STACK_SIZE];
	uint8_t guard_mc[GUARD_SIZE];
	uint8_t mc[IST_STACK_SIZE];
	uint8_t guard_db[GUARD_SIZE];
	uint8_t db[IST_STACK_SIZE];
};
static struct ap_stacks ap_stacks[NR_CPUS - 1]
    __attribute__((aligned(4096), section(".bss.page_aligned")));

#define GUARDS_PER_AP 5
uint64_t stack_guard_pages[4 + GUARDS_PER_AP * (NR_CPUS - 1)];
unsigned int nr_stack_guard_pages;

#define STACKS_PER_CPU 5
static struct stack_range stacks[STACKS_PER_CPU * NR_CPUS];

/*
 * #DB runs on its own stack: a guest that executes syscall with TF set gets
 * a single-step trap on the first instruction of the syscall entry, in ring
 * 0 but still on the guest's rsp (the stub has not switched yet). Without
 * an IST stack the CPU would push that frame wherever the guest pointed rsp.
 */
static uint8_t ist_db_stack[IST_STACK_SIZE] __attribute__((aligned(16)));

struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));
BUILD_BUG_ON(sizeof(struct tss64) != 104);

#define IST_DF 1
#define IST_NMI 2
#define IST_MC 3
#define IST_DB 4

struct idt_gate {
	uint16_t off_lo;
	uint16_t sel;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t off_mid;
	uint32_t off_hi;
	uint32_t reserved;
} __attribute__((packed));
BUILD_BUG_ON(sizeof(struct idt_gate) != 16);

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

/*
 * The full 64 KiB GDT: the first 14 pages are where a PV guest's own
 * descriptor frames will be mapped (set_gdt), the reserved area at 0xe000
 * holds the hypervisor's and the FLAT_RING3 selectors.
 */
/*
 * One GDT and TSS per CPU, the IDT shared. The PV descriptor code
 * (cpu_gdt_read/write) works on the running CPU's: it holds the guest
 * entries of the vcpu running there (loaded by the context switch).
 */
static uint64_t gdt[NR_CPUS][GDT_ENTRIES]
    __attribute__((aligned(4096), section(".bss.page_aligned")));
static struct idt_gate idt[256] __attribute__((aligned(4096), section(".bss.page_aligned")));
static struct tss64 tss[NR_CPUS] __attribute__((aligned(128)));

/*
 * The per-CPU accessor: every CPU loads its own gdt[cpu], so the base that
 * sgdt reads names the CPU, whatever the GS base (a PV guest's) and
 * whatever stack (a vcpu's) it runs on. Before cpu_init, or with a GDT
 * that is none of ours, it is CPU 0. Called several times on every vcpu
 * switch: no canary, since sgdt stores exactly the 10 bytes of p and the
 * frame holds nothing else; the stack protector's load, store and check
 * were 6 of the 19 instructions of its hit path.
 */
__attribute__((no_stack_protector)) unsigned int arch_cpu_id(void)
{
	struct desc_ptr p;
	uint64_t off;

	__asm__ volatile("sgdt %0" : "=m"(p));
	off = p.base - (uint64_t)gdt;
	if (p.base < (uint64_t)gdt || off >= sizeof(gdt)) {
		return 0;
	}
	return off / sizeof(gdt[0]);
}

static void detect_features(void)
{
	uint32_t a, b, c, d, max;

	cpuid_count(0, 0, &max, &b, &c, &d);
	cpuid_count(1, 0, &a, &b, &c, &d);
	cpu_features.rdrand = c & (1U << 30);
	cpu_features.apic = d & (1U << 9);
	if (max >= 7) {
		cpuid_count(7, 0, &a, &b, &c, &d);
		cpu_features.smep = b & (1U << 7);
		cpu_features.smap = b & (1U << 20);
	}
	cpuid_count(0x80000000, 0, &max, &b, &c, &d);
	if (max >= 0x80000001) {
		cpuid_count(0x80000001, 0, &a, &b, &c, &d);
		cpu_features.nx = d & (1U << 20);
		cpu_features.pdpe1gb = d & (1U << 26);
	}
	if (max >= 0x80000007) {
		cpuid_count(0x80000007, 0, &a, &b, &c, &d);
		cpu_features.invariant_tsc = d & (1U << 8);
	}
}

static void set_seg(unsigned int cpu, unsigned int sel, uint64_t desc)
{
	gdt[cpu][sel >> 3] = desc;
}

/* The IST and ring-0 stacks of a CPU's TSS. */
static void set_tss_stacks(unsigned int cpu)
{
	struct tss64 *t = &tss[cpu];
	struct ap_stacks *s;

	if (cpu == 0) {
		t->ist[IST_DF - 1] = (uint64_t)ist_df_top;
		t->ist[IST_NMI - 1] = (uint64_t)ist_nmi_top;
		t->ist[IST_MC - 1] = (uint64_t)ist_mc_top;
		t->ist[IST_DB - 1] = (uint64_t)(ist_db_stack + sizeof(ist_db_stack));
		t->rsp[0] = (uint64_t)cpu0_stack_top;
		return;
	}
	s = &ap_stacks[cpu - 1];
	t->ist[IST_DF - 1] = (uint64_t)(s->df + sizeof(s->df));
	t->ist[IST_NMI - 1] = (uint64_t)(s->nmi + sizeof(s->nmi));
	t->ist[IST_MC - 1] = (uint64_t)(s->mc + sizeof(s->mc));
	t->ist[IST_DB - 1] = (uint64_t)(s->db + sizeof(s->db));
	/* No guest runs on an AP yet: ring-3 entries would land on its own stack. */
	t->rsp[0] = (uint64_t)(s->main + sizeof(s->main));
}

uint64_t cpu_ap_stack_top(unsigned int cpu)
{
	if (cpu == 0 || cpu >= NR_CPUS) {
		return 0;
	}
	return (uint64_t)(ap_stacks[cpu - 1].main + STACK_SIZE);
}

static void setup_gdt_tss(unsigned int cpu)
{
	uint64_t base = (uint64_t)&tss[cpu];
	uint64_t limit = sizeof(tss[cpu]) - 1;
	struct desc_ptr p = {sizeof(gdt[cpu]) - 1, (uint64_t)gdt[cpu]};

	/* Accessed bits preset: the CPU never needs to write these descriptors. */
	set_seg(cpu, HV_CS, 0x00af9b000000ffffUL);
	set_seg(cpu, HV_DS, 0x00cf93000000ffffUL);
	set_seg(cpu, FLAT_RING3_CS32 & ~3, 0x00cffb000000ffffUL);
	set_seg(cpu, FLAT_RING3_DS32 & ~3, 0x00cff3000000ffffUL);
	set_seg(cpu, FLAT_RING3_CS64 & ~3, 0x00affb000000ffffUL);

	set_tss_stacks(cpu);
	/* No I/O bitmap: ring 3 gets no port access. */
	tss[cpu].iomap_base = sizeof(tss[cpu]);
	/* 64-bit available TSS: 16 bytes. */
	set_seg(cpu, TSS_SEL,
		(limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89UL << 40) |
		    (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56));
	set_seg(cpu, TSS_SEL + 8, base >> 32);

	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movl %2, %%eax\n\t"
			 "movl %%eax, %%ds\n\t"
			 "movl %%eax, %%es\n\t"
			 "movl %%eax, %%ss\n\t"
			 "xorl %%eax, %%eax\n\t"
			 "movl %%eax, %%fs\n\t"
			 "movl %%eax, %%gs\n\t"
			 "ltr %w3"
			 :
			 : "m"(p), "i"(HV_CS), "i"(HV_DS), "r"(TSS_SEL)
			 : "rax", "memory");
}

void cpu_set_rsp0(uint64_t rsp0)
{
	tss[arch_cpu_id()].rsp[0] = rsp0;
}

uint64_t cpu_gdt_read(unsigned int i)
{
	return i < GDT_ENTRIES ? gdt[arch_cpu_id()][i] : 0;
}

/* Only the guest part below the reserved area may be written; the running CPU's GDT. */
void cpu_gdt_write(unsigned int i, uint64_t desc)
{
	if (i < GDT_RESERVED_START / 8) {
		gdt[arch_cpu_id()][i] = desc;
	}
}

static void set_gate(unsigned int vec, unsigned int ist)
{
	uint64_t off = (uint64_t)trap_stubs + 16 * vec;

	idt[vec].off_lo = off & 0xffff;
	idt[vec].sel = HV_CS;
	idt[vec].ist = ist;
	/* Present, DPL 0, 64-bit interrupt gate (IF cleared on entry). */
	idt[vec].type_attr = 0x8e;
	idt[vec].off_mid = (off >> 16) & 0xffff;
	idt[vec].off_hi = off >> 32;
	idt[vec].reserved = 0;
}

static void load_idt(void)
{
	struct desc_ptr p = {sizeof(idt) - 1, (uint64_t)idt};

	__asm__ volatile("lidt %0" : : "m"(p));
}

static void setup_idt(void)
{
	unsigned int v;

	/* Every vector gets a stub: an unexpected one is reported, not a #GP. */
	for (v = 0; v < 256; v++) {
		set_gate(v, 0);
	}
	set_gate(2, IST_NMI);
	set_gate(8, IST_DF);
	set_gate(18, IST_MC);
	set_gate(1, IST_DB);
	/*
	 * int3 and into may be used by the guest directly (DPL 3), as on Xen;
	 * every other "int N" from ring 3 arrives as #GP with error code
	 * (N << 3) | 2 and is checked against the guest's trap table DPL.
	 */
	idt[3].type_attr = 0xee;
	idt[4].type_attr = 0xee;
	load_idt();
}

#define RANGE(lo, size, name)                                                                      \
	((struct stack_range){(uint64_t)(lo), (uint64_t)(lo) + (size), (name)})

/* Every CPU's stacks and guards are static: known before any AP starts. */
static void setup_stack_ranges(void)
{
	unsigned int i, n = 0, g = 0;

	stacks[n++] = RANGE(cpu0_stack, STACK_SIZE, "main");
	stacks[n++] = RANGE(ist_df_stack, IST_STACK_SIZE, "#DF");
	stacks[n++] = RANGE(ist_nmi_stack, IST_STACK_SIZE, "NMI");
	stacks[n++] = RANGE(ist_mc_stack, IST_STACK_SIZE, "#MC");
	stacks[n++] = RANGE(ist_db_stack, IST_STACK_SIZE, "#DB");
	stack_guard_pages[g++] = (uint64_t)stack_guard_main;
	stack_guard_pages[g++] = (uint64_t)stack_guard_df;
	stack_guard_pages[g++] = (uint64_t)stack_guard_nmi;
	stack_guard_pages[g++] = (uint64_t)stack_guard_mc;
	for (i = 0; i < NR_CPUS - 1; i++) {
		struct ap_stacks *s = &ap_stacks[i];

		stacks[n++] = RANGE(s->main, STACK_SIZE, "AP main");
		stacks[n++] = RANGE(s->df, IST_STACK_SIZE, "AP #DF");
		stacks[n++] = RANGE(s->nmi, IST_STACK_SIZE, "AP NMI");
		stacks[n++] = RANGE(s->mc, IST_STACK_SIZE, "AP #MC");
		stacks[n++] = RANGE(s->db, IST_STACK_SIZE, "AP #DB");
		stack_guard_pages[g++] = (uint64_t)s->guard_main;
		stack_guard_pages[g++] = (uint64_t)s->guard_df;
		stack_guard_pages[g++] = (uint64_t)s->guard_nmi;
		stack_guard_pages[g++] = (uint64_t)s->guard_mc;
		stack_guard_pages[g++] = (uint64_t)s->guard_db;
	}
	nr_stack_guard_pages = g;
}

const struct stack_range *cpu_find_stack(uint64_t addr)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(stacks); i++) {
		if (addr >= stacks[i].lo && addr < stacks[i].hi) {
			return &stacks[i];
		}
	}
	return NULL;
}

void cpu_init(void)
{
	unsigned long cr4;

	detect_features();
	setup_stack_ranges();
	setup_gdt_tss(0);
	setup_idt();

	/* Ring 0 honours read-only pages too. */
	write_cr0(read_cr0() | X86_CR0_WP);
	/*
	 * SMEP: never execute user pages; SMAP: never touch them unless the
	 * access is bracketed by stac/clac. The entry stubs execute clac, and
	 * any future copy_{from,to}_guest must use stac/clac.
	 */
	cr4 = read_cr4();
	if (cpu_features.smep) {
		cr4 |= X86_CR4_SMEP;
	}
	if (cpu_features.smap) {
		cr4 |= X86_CR4_SMAP;
		cpu_has_smap = 1;
	}
	write_cr4(cr4);
	xstate_init_boot();
	pv_cpu_init();
}

/*
 * An AP: its own GDT and TSS, the shared IDT, and the boot CPU's CR0 and
 * CR4 (WP, SMEP, SMAP, PGE and the rest) and syscall MSRs. EFER.LME and
 * NXE come from the trampoline, SCE from pv_cpu_init.
 */
void cpu_init_ap(unsigned int cpu, uint64_t bsp_cr0, uint64_t bsp_cr4)
{
	setup_gdt_tss(cpu);
	load_idt();
	write_cr0(bsp_cr0);
	write_cr4(bsp_cr4);
	xstate_init_cpu();
	pv_cpu_init();
}

/*
 * The console lock keeps interrupts out and other CPUs away, and nests on
 * its owner (a fault report may print while a printk was interrupted).
 * A CPU that waits far longer than any line takes (the owner died in a
 * fault report of its own) takes the lock anyway: a report beats silence.
 */
#define CONSOLE_LOCK_SPINS 200000000UL

static volatile int console_owner = -1;
static unsigned int console_lock_depth;
static unsigned long console_lock_flags;

void arch_console_lock(void)
{
	unsigned long flags = read_flags(), spins = 0;
	int me;

	local_irq_disable();
	me = (int)arch_cpu_id();
	if (console_owner == me) {
		console_lock_depth++;
		return;
	}
	while (!__sync_bool_compare_and_swap(&console_owner, -1, me)) {
		if (++spins == CONSOLE_LOCK_SPINS) {
			console_owner = me;
			break;
		}
		cpu_relax();
	}
	console_lock_depth = 1;
	console_lock_flags = flags;
}

void arch_console_unlock(void)
{
	unsigned long flags = console_lock_flags;

	if (console_lock_depth == 0 || console_owner != (int)arch_cpu_id()) {
		return;
	}
	if (--console_lock_depth == 0) {
		__atomic_store_n(&console_owner, -1, __ATOMIC_RELEASE);
		if (flags & X86_EFLAGS_IF) {
			local_irq_enable();
		}
	}
}
