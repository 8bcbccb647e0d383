/*
 * TSC calibration against PIT channel 2, the local APIC timer and arch_now_ns.
 *
 * PIT channel 2 is used because its gate and output are visible in port
 * 0x61 without any interrupt: program a one-shot count, spin until OUT2
 * rises, and compare the TSC at both ends; the median of five rounds is
 * taken.
 */
#include <asm/cpu.h>
#include <asm/layout.h>
#include <asm/paging.h>
#include <asm/smp.h>
#include <asm/time.h>
#include <asm/traps.h>
#include <console.h>
#include <domain.h>
#include <public/errno.h>

#define PIT_HZ 1193182UL
#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PORT_B 0x61
#define CAL_MS 10
#define CAL_ROUNDS 5
#define APIC_CAL_MS 20

#define LAPIC_ID 0x20
#define LAPIC_TPR 0x80
#define LAPIC_ICR_LO 0x300
#define LAPIC_ICR_HI 0x310
#define ICR_BUSY (1U << 12)
#define ICR_SPINS 10000000UL
#define LAPIC_EOI 0xb0
#define LAPIC_SVR 0xf0
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR 0x390
#define LAPIC_TIMER_DIV 0x3e0
#define LVT_MASKED (1U << 16)
#define LVT_PERIODIC (1U << 17)
#define APIC_BASE_ENABLE (1UL << 11)

static uint64_t tsc_freq;
static uint64_t tsc_at_init;
/* ns = (tsc delta * ns_mult) >> 32 */
static uint64_t ns_mult;

static volatile uint32_t *lapic;
static uint64_t lapic_timer_hz;
/* The boot CPU's calibrated initial count, which every AP copies. */
static uint32_t lapic_timer_count;
static volatile uint64_t ticks;

uint64_t arch_tsc_hz(void)
{
	return tsc_freq;
}

/*
 * One calibration round: TSC ticks while PIT channel 2 counts down CAL_MS
 * milliseconds. 0 if the PIT never reached terminal count.
 */
static uint64_t tsc_calibrate_round(void)
{
	uint64_t t0, t1, spins = 0;
	uint32_t count = PIT_HZ * CAL_MS / 1000;
	uint8_t b;

	/* Gate on, speaker off. */
	b = inb(PORT_B);
	outb(PORT_B, (b & ~0x02) | 0x01);
	/* Channel 2, lobyte/hibyte, mode 0 (interrupt on terminal count), binary. */
	outb(PIT_CMD, 0xb0);
	outb(PIT_CH2, count & 0xff);
	outb(PIT_CH2, count >> 8);
	t0 = rdtsc();
	/* OUT2 (bit 5) rises at terminal count; bounded so a dead PIT cannot hang us. */
	while (!(inb(PORT_B) & 0x20)) {
		if (++spins > 100000000UL) {
			outb(PORT_B, b);
			return 0;
		}
	}
	t1 = rdtsc();
	outb(PORT_B, b);
	return t1 > t0 ? t1 - t0 : 0;
}

/*
 * The median of CAL_ROUNDS rounds: under an emulator on a busy host one
 * round can be stretched (the vCPU thread descheduled between the terminal
 * count and our noticing it), which made a single round read 25 GHz.
 */
int tsc_init(void)
{
	uint64_t r[CAL_ROUNDS];
	unsigned int i, j;

	for (i = 0; i < CAL_ROUNDS; i++) {
		uint64_t v = tsc_calibrate_round();

		if (!v) {
			return -EIO;
		}
		/* Insertion sort: five values. */
		for (j = i; j > 0 && r[j - 1] > v; j--) {
			r[j] = r[j - 1];
		}
		r[j] = v;
	}
	tsc_freq = r[CAL_ROUNDS / 2] * 1000 / CAL_MS;
	if (tsc_freq < 1000000) {
		return -EIO;
	}
	ns_mult = (1000000000ULL << 32) / tsc_freq;
	tsc_at_init = rdtsc();
	return 0;
}

uint64_t arch_cycles(void)
{
	return rdtsc();
}

uint64_t arch_now_ns(void)
{
	uint64_t d, ns, *last;

	if (!tsc_freq) {
		return 0;
	}
	d = rdtsc() - tsc_at_init;
	ns = (uint64_t)(((unsigned __int128)d * ns_mult) >> 32);
	/*
	 * The TSC never goes back on one CPU, but keep the promise explicit.
	 * Each CPU keeps its own floor (only it writes it): the TSCs of the
	 * CPUs are synchronised at reset (QEMU keeps them so), and a shared
	 * floor would be a cache line every CPU writes at every reading.
	 */
	last = &this_cpu()->now_last;
	if (ns < *last) {
		ns = *last;
	}
	*last = ns;
	return ns;
}

void udelay(uint64_t us)
{
	uint64_t end = arch_now_ns() + us * 1000;

	while (arch_now_ns() < end) {
		cpu_relax();
	}
}

static inline uint32_t lapic_read(unsigned int reg)
{
	return lapic[reg / 4];
}

static inline void lapic_write(unsigned int reg, uint32_t v)
{
	lapic[reg / 4] = v;
}

/*
 * Remap the 8259s away from the exception vectors and mask them: their
 * IRQs are not used, but a stray one must not look like a #DF.
 */
static void pic_disable(void)
{
	outb(0x20, 0x11);
	outb(0xa0, 0x11);
	outb(0x21, 0x20);
	outb(0xa1, 0x28);
	outb(0x21, 0x04);
	outb(0xa1, 0x02);
	outb(0x21, 0x01);
	outb(0xa1, 0x01);
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
}

void timer_interrupt(void)
{
	unsigned int cpu = arch_cpu_id();

	/* Every CPU's tick drives the timers and accounting of the vcpus it runs. */
	percpu[cpu].ticks++;
	if (cpu == 0) {
		ticks++;
	}
	lapic_write(LAPIC_EOI, 0);
	sched_timer_tick();
}

uint64_t apic_timer_ticks(void)
{
	return ticks;
}

uint64_t apic_timer_hz(void)
{
	return lapic_timer_hz;
}

int apic_timer_init(unsigned int hz)
{
	uint64_t base, t0, bus_hz;
	uint32_t elapsed;

	if (!cpu_features.apic || !tsc_freq || !hz) {
		return -ENODEV;
	}
	pic_disable();
	base = rdmsr(MSR_APIC_BASE);
	wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
	lapic = fixmap_map(FIX_LAPIC, base & PTE_ADDR_MASK, PTE_W | PTE_NX | PTE_PCD | PTE_PWT);
	if (!lapic) {
		return -ENODEV;
	}
	lapic_write(LAPIC_SVR, 0x100 | SPURIOUS_VECTOR);

	/* Count down from the maximum for APIC_CAL_MS of TSC time, divider 16. */
	lapic_write(LAPIC_TIMER_DIV, 0x3);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | TIMER_VECTOR);
	lapic_write(LAPIC_TIMER_INIT, 0xffffffff);
	t0 = arch_now_ns();
	while (arch_now_ns() - t0 < APIC_CAL_MS * 1000000ULL) {
		cpu_relax();
	}
	elapsed = 0xffffffff - lapic_read(LAPIC_TIMER_CUR);
	lapic_write(LAPIC_TIMER_INIT, 0);
	if (elapsed == 0) {
		return -EIO;
	}
	bus_hz = (uint64_t)elapsed * 1000 / APIC_CAL_MS;
	if (bus_hz / hz == 0) {
		return -EIO;
	}
	lapic_timer_hz = hz;
	lapic_timer_count = (uint32_t)MIN(bus_hz / hz, 0xffffffffULL);
	lapic_write(LAPIC_LVT_TIMER, LVT_PERIODIC | TIMER_VECTOR);
	lapic_write(LAPIC_TIMER_INIT, lapic_timer_count);
	pr_info("APIC: id %u, timer %llu kHz (after divider 16), periodic at %u Hz\n",
		lapic_read(LAPIC_ID) >> 24, (unsigned long long)(bus_hz / 1000), hz);
	return 0;
}

uint32_t apic_id(void)
{
	return lapic ? lapic_read(LAPIC_ID) >> 24 : 0;
}

bool apic_mapped(void)
{
	return lapic != NULL;
}

void apic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

/*
 * Interrupts stay off from the high word to the low one: an interrupt
 * handler sending an IPI in between would aim ours at its target.
 */
int apic_send_icr(uint32_t dest_apic_id, uint32_t low)
{
	unsigned long flags = read_flags(), spins = 0;
	int rc = 0;

	if (!lapic) {
		return -ENODEV;
	}
	local_irq_disable();
	while ((lapic_read(LAPIC_ICR_LO) & ICR_BUSY) && ++spins < ICR_SPINS) {
		cpu_relax();
	}
	lapic_write(LAPIC_ICR_HI, dest_apic_id << 24);
	lapic_write(LAPIC_ICR_LO, low);
	for (spins = 0; lapic_read(LAPIC_ICR_LO) & ICR_BUSY; spins++) {
		if (spins == ICR_SPINS) {
			rc = -EIO;
			break;
		}
		cpu_relax();
	}
	if (flags & X86_EFLAGS_IF) {
		local_irq_enable();
	}
	return rc;
}

/* The AP's own local APIC (same address, its own registers): on, and ticking like CPU 0's. */
int apic_ap_init(void)
{
	if (!lapic || !lapic_timer_count) {
		return -ENODEV;
	}
	wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE);
	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_SVR, 0x100 | SPURIOUS_VECTOR);
	lapic_write(LAPIC_TIMER_DIV, 0x3);
	lapic_write(LAPIC_LVT_TIMER, LVT_PERIODIC | TIMER_VECTOR);
	lapic_write(LAPIC_TIMER_INIT, lapic_timer_count);
	return 0;
}
