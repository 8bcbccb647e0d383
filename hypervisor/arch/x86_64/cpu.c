/*
 * CPU setup: feature detection, GDT with the TSS, IDT, CR0/CR4 hardening,
 * and the console lock of the arch contract.
 */
#include <arch/console.h>
#include <asm/cpu.h>
#include <asm/layout.h>
#include <asm/pv.h>
#include <asm/traps.h>
#include <lib.h>

struct cpu_features cpu_features;
uint8_t cpu_has_smap;

/* head.S */
extern char stack_guard_main[], cpu0_stack[], cpu0_stack_top[];
extern char stack_guard_df[], ist_df_stack[], ist_df_top[];
extern char stack_guard_nmi[], ist_nmi_stack[], ist_nmi_top[];
extern char stack_guard_mc[], ist_mc_stack[], ist_mc_top[];

const uint64_t stack_guard_pages[] = {
    (uint64_t)stack_guard_main,
    (uint64_t)stack_guard_df,
    (uint64_t)stack_guard_nmi,
    (uint64_t)stack_guard_mc,
};
const unsigned int nr_stack_guard_pages = ARRAY_SIZE(stack_guard_pages);

static struct stack_range stacks[5];

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
static uint64_t gdt[GDT_ENTRIES] __attribute__((aligned(4096), section(".bss.page_aligned")));
static struct idt_gate idt[256] __attribute__((aligned(4096), section(".bss.page_aligned")));
static struct tss64 tss __attribute__((aligned(128)));

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

static void set_seg(unsigned int sel, uint64_t desc)
{
	gdt[sel >> 3] = desc;
}

static void setup_gdt_tss(void)
{
	uint64_t base = (uint64_t)&tss;
	uint64_t limit = sizeof(tss) - 1;
	struct desc_ptr p = {sizeof(gdt) - 1, (uint64_t)gdt};

	/* Accessed bits preset: the CPU never needs to write these descriptors. */
	set_seg(HV_CS, 0x00af9b000000ffffUL);
	set_seg(HV_DS, 0x00cf93000000ffffUL);
	set_seg(FLAT_RING3_CS32 & ~3, 0x00cffb000000ffffUL);
	set_seg(FLAT_RING3_DS32 & ~3, 0x00cff3000000ffffUL);
	set_seg(FLAT_RING3_CS64 & ~3, 0x00affb000000ffffUL);

	tss.ist[IST_DF - 1] = (uint64_t)ist_df_top;
	tss.ist[IST_NMI - 1] = (uint64_t)ist_nmi_top;
	tss.ist[IST_MC - 1] = (uint64_t)ist_mc_top;
	tss.ist[IST_DB - 1] = (uint64_t)(ist_db_stack + sizeof(ist_db_stack));
	tss.rsp[0] = (uint64_t)cpu0_stack_top;
	/* No I/O bitmap: ring 3 gets no port access. */
	tss.iomap_base = sizeof(tss);
	/* 64-bit available TSS: 16 bytes. */
	set_seg(TSS_SEL, (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89UL << 40) |
			     (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56));
	set_seg(TSS_SEL + 8, base >> 32);

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
	tss.rsp[0] = rsp0;
}

uint64_t cpu_gdt_read(unsigned int i)
{
	return i < GDT_ENTRIES ? gdt[i] : 0;
}

/* Only the guest part below the reserved area may be written. */
void cpu_gdt_write(unsigned int i, uint64_t desc)
{
	if (i < GDT_RESERVED_START / 8) {
		gdt[i] = desc;
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

static void setup_idt(void)
{
	struct desc_ptr p = {sizeof(idt) - 1, (uint64_t)idt};
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
	__asm__ volatile("lidt %0" : : "m"(p));
}

static void setup_stack_ranges(void)
{
	stacks[0] = (struct stack_range){(uint64_t)cpu0_stack, (uint64_t)cpu0_stack_top, "main"};
	stacks[1] = (struct stack_range){(uint64_t)ist_df_stack, (uint64_t)ist_df_top, "#DF"};
	stacks[2] = (struct stack_range){(uint64_t)ist_nmi_stack, (uint64_t)ist_nmi_top, "NMI"};
	stacks[3] = (struct stack_range){(uint64_t)ist_mc_stack, (uint64_t)ist_mc_top, "#MC"};
	stacks[4] = (struct stack_range){(uint64_t)ist_db_stack,
					 (uint64_t)(ist_db_stack + sizeof(ist_db_stack)), "#DB"};
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
	setup_gdt_tss();
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
	pv_cpu_init();
}

/*
 * One CPU so far: the console lock only has to keep interrupts out, and
 * nests (a fault report may print while a printk was interrupted).
 */
static unsigned int console_lock_depth;
static unsigned long console_lock_flags;

void arch_console_lock(void)
{
	unsigned long flags = read_flags();

	local_irq_disable();
	if (console_lock_depth++ == 0) {
		console_lock_flags = flags;
	}
}

void arch_console_unlock(void)
{
	if (console_lock_depth == 0) {
		return;
	}
	if (--console_lock_depth == 0 && (console_lock_flags & X86_EFLAGS_IF)) {
		local_irq_enable();
	}
}
