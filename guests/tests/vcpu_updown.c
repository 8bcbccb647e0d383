/*
 * Multi-vCPU PV domains: vcpu 0 gives vcpus 1..N-1 a context
 * (VCPUOP_initialise) and starts them (VCPUOP_up), as Linux's
 * cpu_initialize_context does. Each secondary vcpu then runs on its own
 * stack: it checks it is up and running, binds VIRQ_TIMER and an IPI
 * channel to itself, takes its own one-shot timer's upcall, and reports
 * to vcpu 0 through shared memory and an IPI. vcpu 0 then sends each an
 * IPI (handled by that vcpu only), downs the last vcpu from outside (it
 * stays off the CPU, its IPI pending, until VCPUOP_up), has vcpu 1 down
 * itself and brings it back (it resumes after its VCPUOP_down), moves a
 * loopback channel's end to another vcpu (EVTCHNOP_bind_vcpu), and reads
 * every vcpu's runstate. Before that, every refusal: -ENOENT past
 * max_vcpus, -EEXIST for an initialised vcpu, -EFAULT for a bad pointer,
 * -EINVAL for VCPUOP_up of an uninitialised vcpu and for bad addresses,
 * selectors, GDT frames, page tables, LDT and debug registers; after each
 * the vcpu is still uninitialised, and a GDT frame taken before a later
 * refusal is writable again (nothing left behind). Each vcpu's context
 * carries an FPU image (VGCF_i387_valid, Xen's FXSAVE layout) with its
 * own x87 control word and MXCSR, which the vcpu finds loaded (through
 * the hypervisor's xrstor where the CPU has XSAVE).
 *
 * vcpu 1 runs on a GDT of its own (kernel code and data at entries 2 and
 * 3, Linux's __KERNEL_CS and __KERNEL_DS); the others on the FLAT
 * selectors. With one vcpu only the -ENOENT cases run. The argument
 * "lastdown" ends instead by downing every vcpu, vcpu 0 last: Xen powers
 * the domain off then, so the result line is printed before.
 */
#include <public/errno.h>
#include <public/vcpu.h>

#include "guest.h"
#include "mm_util.h"
#include "vcpus.h"

#define MAX_VCPUS 4
#define MS 1000000ULL
#define WAIT_NS (5000 * MS)
#define AP_STACK 16384
#define IRET_STUB_STR "hypercall_page + 23 * 32"
#define DESC_CODE64 0x00af9a000000ffffULL /* Linux's kernel CS: DPL 0, raised to 3 */
#define DESC_DATA 0x00cf92000000ffffULL
#define KERNEL_CS 0x10
#define KERNEL_DS 0x18

enum ap_cmd { CMD_NONE, CMD_DOWN_SELF };

/* Written by each vcpu about itself, read by vcpu 0. */
static volatile struct {
	uint32_t started, is_up, running, timer_ok, resumed;
	uint32_t mxcsr;
	uint16_t fcw;
	long down_rc;
	uint32_t cmd;
	uint64_t timer_hits, ipi_hits, moved_hits;
	uint32_t timer_port, ipi_port, moved_port;
} st[MAX_VCPUS];
/* Ports each vcpu's event handler owns (word 0 of the 2-level bitmap). */
static volatile uint64_t my_ports[MAX_VCPUS];
static unsigned int nr_vcpus;

static uint8_t ap_stack[MAX_VCPUS][AP_STACK] __attribute__((aligned(16)));
static uint64_t gdt_page[512] __attribute__((aligned(4096)));
static uint64_t spare_page[512] __attribute__((aligned(4096)));
static struct vcpu_guest_context ctx;

void ev_handle(unsigned int id);
void ap_main(unsigned int id);

/* One event callback per vcpu: it knows which vcpu it runs on. */
#define EV_ENTRY(n)                                                                                \
	".globl ev_entry_" #n "\n"                                                                 \
	"ev_entry_" #n ":\n"                                                                       \
	"	pop %rcx\n"                                                                              \
	"	pop %r11\n"                                                                              \
	"	push %rax\n	push %rcx\n	push %rdx\n	push %rsi\n	push %rdi\n"                             \
	"	push %r8\n	push %r9\n	push %r10\n	push %r11\n	push %rbx\n"                               \
	"	mov %rsp, %rbx\n"                                                                        \
	"	and $-16, %rsp\n"                                                                        \
	"	mov $" #n ", %edi\n"                                                               \
	"	call ev_handle\n"                                                                        \
	"	mov %rbx, %rsp\n"                                                                        \
	"	pop %rbx\n	pop %r11\n	pop %r10\n	pop %r9\n	pop %r8\n"                                    \
	"	pop %rdi\n	pop %rsi\n	pop %rdx\n	pop %rcx\n	pop %rax\n"                                  \
	"	pushq $0\n"                                                                              \
	"	jmp " IRET_STUB_STR "\n"

extern const char ev_entry_0[], ev_entry_1[], ev_entry_2[], ev_entry_3[];
asm(".pushsection .text\n" EV_ENTRY(0) EV_ENTRY(1) EV_ENTRY(2) EV_ENTRY(3) ".popsection");

static const char *const ev_entries[MAX_VCPUS] = {ev_entry_0, ev_entry_1, ev_entry_2, ev_entry_3};

static volatile struct vcpu_info *vi(unsigned int id)
{
	return &shared_info->vcpu_info[id];
}

/* The upcall of vcpu id: only the ports bound to it are its to clear and count. */
void ev_handle(unsigned int id)
{
	uint64_t pending, bit;
	unsigned int port;

	vi(id)->evtchn_upcall_pending = 0;
	__atomic_exchange_n(&vi(id)->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
	pending = __atomic_load_n(&shared_info->evtchn_pending[0], __ATOMIC_SEQ_CST) &
		  ~shared_info->evtchn_mask[0] & my_ports[id];
	for (port = 1; port < 64; port++) {
		bit = 1ULL << port;
		if (!(pending & bit)) {
			continue;
		}
		__atomic_fetch_and(&shared_info->evtchn_pending[0], ~bit, __ATOMIC_SEQ_CST);
		if (port == st[id].timer_port) {
			st[id].timer_hits++;
		} else if (port == st[id].ipi_port) {
			st[id].ipi_hits++;
		} else if (port == st[id].moved_port) {
			st[id].moved_hits++;
		}
	}
}

static long bind_own(unsigned int id)
{
	struct evtchn_bind_virq bv = {.virq = VIRQ_TIMER, .vcpu = id};
	struct evtchn_bind_ipi bi = {.vcpu = id};
	long rc;

	rc = hypercall_event_channel_op(EVTCHNOP_bind_virq, &bv);
	if (rc) {
		return rc;
	}
	rc = hypercall_event_channel_op(EVTCHNOP_bind_ipi, &bi);
	if (rc) {
		return rc;
	}
	if (bv.port >= 64 || bi.port >= 64) {
		return -XEN_ENOSPC;
	}
	st[id].timer_port = bv.port;
	st[id].ipi_port = bi.port;
	my_ports[id] = (1ULL << bv.port) | (1ULL << bi.port);
	return 0;
}

static long send_ipi(unsigned int to)
{
	uint32_t port = st[to].ipi_port;

	return hypercall_event_channel_op(EVTCHNOP_send, &port);
}

/*
 * Masks vcpu id's upcalls and returns *v: an event arriving from now on
 * leaves an upcall pending, which makes the next SCHEDOP_block return at
 * once (and, unmasked, runs the handler), so a check followed by a block
 * never sleeps through it.
 */
static uint64_t masked_check(unsigned int id, volatile uint64_t *v)
{
	vi(id)->evtchn_upcall_mask = 1;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return *v;
}

/* A secondary vcpu, from its first instruction (rdi = its id, from the context). */
void ap_main(unsigned int id)
{
	struct vcpu_runstate_info ri;
	struct vcpu_set_singleshot_timer t = {0};
	uint64_t seen;

	asm volatile("fnstcw %0\n\tstmxcsr %1" : "=m"(st[id].fcw), "=m"(st[id].mxcsr));
	st[id].started = 1;
	st[id].is_up = hypercall_vcpu_op(VCPUOP_is_up, id, NULL) == 1;
	st[id].running = hypercall_vcpu_op(VCPUOP_get_runstate_info, id, &ri) == 0 &&
			 ri.state == RUNSTATE_running;
	if (bind_own(id) == 0) {
		t.timeout_abs_ns = vcpu_time_ns(id) + 10 * MS;
		hypercall_vcpu_op(VCPUOP_set_singleshot_timer, id, &t);
		while (!masked_check(id, &st[id].timer_hits)) {
			hypercall_sched_op(SCHEDOP_block, NULL);
		}
		st[id].timer_ok = 1;
	}
	/* Taken first: vcpu 0 may answer the report (and its IPI be handled) before send_ipi
	 * returns. */
	seen = st[id].ipi_hits;
	send_ipi(0);
	for (;;) {
		masked_check(id, &seen);
		if (st[id].cmd == CMD_DOWN_SELF) {
			st[id].cmd = CMD_NONE;
			st[id].down_rc = hypercall_vcpu_op(VCPUOP_down, id, NULL);
			st[id].resumed = 1;
			send_ipi(0);
		}
		if (st[id].ipi_hits + st[id].moved_hits != seen) {
			seen = st[id].ipi_hits + st[id].moved_hits;
			send_ipi(0); /* the acknowledgement vcpu 0 waits for */
		}
		/* Unmasks and sleeps unless an event came since masked_check: none is missed. */
		hypercall_sched_op(SCHEDOP_block, NULL);
	}
}

/* Waits (blocking, woken by events or a 2 ms timer) until *flag is non-zero. */
static bool wait_flag(volatile uint32_t *flag)
{
	uint64_t deadline = vcpu_time_ns(0) + WAIT_NS;

	while (!*flag) {
		if (vcpu_time_ns(0) > deadline) {
			return false;
		}
		hypercall_set_timer_op(vcpu_time_ns(0) + 2 * MS);
		hypercall_sched_op(SCHEDOP_block, NULL);
	}
	return true;
}

static bool wait_count(volatile uint64_t *count, uint64_t above)
{
	uint64_t deadline = vcpu_time_ns(0) + WAIT_NS;

	while (*count <= above) {
		if (vcpu_time_ns(0) > deadline) {
			return false;
		}
		hypercall_set_timer_op(vcpu_time_ns(0) + 2 * MS);
		hypercall_sched_op(SCHEDOP_block, NULL);
	}
	return true;
}

/* Lets time pass on vcpu 0 (other vcpus run meanwhile): ms milliseconds. */
static void pause_ms(uint64_t ms)
{
	uint64_t end = vcpu_time_ns(0) + ms * MS;

	while (vcpu_time_ns(0) < end) {
		hypercall_set_timer_op(end);
		hypercall_sched_op(SCHEDOP_block, NULL);
	}
}

/* A context that starts vcpu id in ap_main on its own stack, FLAT selectors, its own upcall. */
static void make_ctx(unsigned int id)
{
	vcpu_context(&ctx, id, ap_main, ap_stack[id], AP_STACK);
	ctx.event_callback_eip = (uint64_t)ev_entries[id];
	ctx.failsafe_callback_eip = (uint64_t)ev_entries[id];
}

static long init_vcpu(unsigned int id)
{
	return hypercall_vcpu_op(VCPUOP_initialise, id, &ctx);
}

/* After a refusal vcpu 1 must be exactly as before: down and uninitialised. */
static void still_pristine(const char *after)
{
	long up = hypercall_vcpu_op(VCPUOP_up, 1, NULL);

	test_check(up == -XEN_EINVAL && hypercall_vcpu_op(VCPUOP_is_up, 1, NULL) == 0,
		   "after %s vcpu 1 is still uninitialised and down (up: %ld)", after, up);
}

static void expect_refusal(long want, const char *what)
{
	long rc = init_vcpu(1);

	test_check(rc == want, "VCPUOP_initialise with %s: %ld (want %ld)", what, rc, want);
	still_pristine(what);
}

static long set_page_rw(void *page, bool rw)
{
	uint64_t va = (uint64_t)page;
	uint64_t pte = rw ? pte_rw(va_to_mfn(va)) : pte_rw(va_to_mfn(va)) & ~PTE_RW;

	return hypercall_update_va_mapping(va, pte, UVMF_INVLPG);
}

static void refusals(void)
{
	struct vcpu_runstate_info ri;
	long rc;

	rc = hypercall_vcpu_op(VCPUOP_get_runstate_info, 1, &ri);
	test_check(rc == 0 && ri.state == RUNSTATE_offline,
		   "vcpu 1 never started: runstate offline (%ld, state %d)", rc, ri.state);
	still_pristine("nothing");
	make_ctx(1);
	rc = init_vcpu(0);
	test_check(rc == -XEN_EEXIST, "VCPUOP_initialise of running vcpu 0: -EEXIST (%ld)", rc);
	rc = hypercall_vcpu_op(VCPUOP_initialise, nr_vcpus, &ctx);
	test_check(rc == -XEN_ENOENT, "VCPUOP_initialise of vcpu %u (max_vcpus): -ENOENT (%ld)",
		   nr_vcpus, rc);
	rc = hypercall_vcpu_op(VCPUOP_initialise, 1, (void *)0x10);
	test_check(rc == -XEN_EFAULT, "VCPUOP_initialise from address 0x10: -EFAULT (%ld)", rc);
	still_pristine("a bad pointer");

	make_ctx(1);
	ctx.user_regs.rip = 0x0000800000000000ULL;
	expect_refusal(-XEN_EINVAL, "a non-canonical rip");
	make_ctx(1);
	ctx.event_callback_eip = 0x8000000000000000ULL;
	expect_refusal(-XEN_EINVAL, "a non-canonical event callback");
	make_ctx(1);
	ctx.trap_ctxt[TRAP_GP].address = 0x0001000000000000ULL;
	expect_refusal(-XEN_EINVAL, "a non-canonical trap handler");
	make_ctx(1);
	ctx.user_regs.cs = 0;
	expect_refusal(-XEN_EINVAL, "a null code selector");
	make_ctx(1);
	ctx.user_regs.ss = 0;
	expect_refusal(-XEN_EINVAL, "a null stack selector");
	make_ctx(1);
	ctx.user_regs.cs = 0xe008; /* the hypervisor's own ring-0 code */
	expect_refusal(-XEN_EINVAL, "the hypervisor's code selector");
	make_ctx(1);
	ctx.user_regs.cs = KERNEL_CS; /* no GDT given */
	expect_refusal(-XEN_EINVAL, "a code selector past the GDT");
	make_ctx(1);
	ctx.gdt_ents = 14 * 512 + 1;
	expect_refusal(-XEN_EINVAL, "gdt_ents into the hypervisor's GDT");
	make_ctx(1);
	ctx.gdt_frames[0] = va_to_mfn((uint64_t)spare_page); /* mapped writable */
	ctx.gdt_ents = 16;
	expect_refusal(-XEN_EINVAL, "a writable-mapped GDT frame");
	make_ctx(1);
	ctx.ctrlreg[3] = xen_pfn_to_cr3(va_to_mfn((uint64_t)spare_page));
	expect_refusal(-XEN_EINVAL, "cr3 a data page");
	make_ctx(1);
	ctx.ctrlreg[3] = xen_pfn_to_cr3(0xffffffffULL);
	expect_refusal(-XEN_EINVAL, "cr3 a frame that is not the domain's");
	make_ctx(1);
	ctx.ctrlreg[1] = xen_pfn_to_cr3(va_to_mfn((uint64_t)spare_page));
	expect_refusal(-XEN_EINVAL, "a good cr3 but the user cr3 a data page");
	make_ctx(1);
	ctx.ldt_base = 0x1008;
	ctx.ldt_ents = 1;
	expect_refusal(-XEN_EINVAL, "an unaligned LDT");
	make_ctx(1);
	ctx.ldt_base = 0x100000;
	ctx.ldt_ents = 8193;
	expect_refusal(-XEN_EINVAL, "8193 LDT entries");
	make_ctx(1);
	ctx.debugreg[7] = 0x400 | (1U << 13); /* general detect */
	expect_refusal(-XEN_EINVAL, "DR7.GD");
	make_ctx(1);
	ctx.debugreg[0] = 0xffff800000000000ULL;
	expect_refusal(-XEN_EINVAL, "a breakpoint in the hypervisor hole");
	make_ctx(1);
	ctx.flags |= VGCF_i387_valid;
	ctx.fpu_ctxt[24 + 2] = 0x01; /* MXCSR bit 16: reserved */
	expect_refusal(-XEN_EINVAL, "reserved MXCSR bits");

	/* Refused after its GDT frame was taken: the frame must be given back. */
	make_ctx(1);
	ctx.gdt_frames[0] = va_to_mfn((uint64_t)gdt_page);
	ctx.gdt_ents = 4;
	ctx.user_regs.cs = KERNEL_CS;
	ctx.user_regs.ss = KERNEL_DS;
	ctx.ctrlreg[3] = xen_pfn_to_cr3(va_to_mfn((uint64_t)spare_page));
	expect_refusal(-XEN_EINVAL, "a good GDT but cr3 a data page");
	make_ctx(1);
	ctx.gdt_frames[0] = va_to_mfn((uint64_t)gdt_page);
	ctx.gdt_ents = 4;
	ctx.user_regs.cs = KERNEL_DS | 3; /* a data segment as code */
	expect_refusal(-XEN_EINVAL, "a data descriptor as code selector");
	rc = set_page_rw(gdt_page, true);
	test_check(rc == 0, "the GDT frame of the refused contexts is writable again (%ld)", rc);
	rc = set_page_rw(gdt_page, false);
	test_check(rc == 0, "GDT frame read-only again (%ld)", rc);
	rc = hypercall_vcpu_op(VCPUOP_up, 1, NULL);
	test_check(rc == -XEN_EINVAL, "VCPUOP_up of uninitialised vcpu 1: -EINVAL (%ld)", rc);
}

/* The FPU image vcpu id starts with: its rounding modes differ from the reset state's. */
#define CR4_OSFXSR (1ULL << 9)
static uint16_t want_fcw(unsigned int id)
{
	return (uint16_t)(0x037f | (id & 3) << 10);
}

static uint32_t want_mxcsr(unsigned int id)
{
	return 0x1f80 | (id & 3) << 13;
}

static void set_fpu_image(unsigned int id)
{
	uint16_t fcw = want_fcw(id);
	uint32_t mxcsr = want_mxcsr(id);

	ctx.flags |= VGCF_i387_valid;
	ctx.ctrlreg[4] = CR4_OSFXSR; /* stmxcsr needs it */
	memcpy(ctx.fpu_ctxt, &fcw, sizeof(fcw));
	memcpy(ctx.fpu_ctxt + 24, &mxcsr, sizeof(mxcsr));
}

static void bring_up(void)
{
	unsigned int id;
	long rc;

	for (id = 1; id < nr_vcpus; id++) {
		make_ctx(id);
		if (id == 1) {
			/* Linux's way: its own GDT, kernel CS/DS in it. */
			ctx.gdt_frames[0] = va_to_mfn((uint64_t)gdt_page);
			ctx.gdt_ents = 4;
			ctx.user_regs.cs = KERNEL_CS;
			ctx.user_regs.ss = KERNEL_DS;
		}
		set_fpu_image(id);
		rc = init_vcpu(id);
		test_check(rc == 0, "VCPUOP_initialise of vcpu %u (%ld)", id, rc);
		rc = init_vcpu(id);
		test_check(rc == -XEN_EEXIST,
			   "a second VCPUOP_initialise of vcpu %u: -EEXIST (%ld)", id, rc);
		test_check(hypercall_vcpu_op(VCPUOP_is_up, id, NULL) == 0,
			   "vcpu %u initialised but still down", id);
		test_check(!st[id].started, "vcpu %u has not run before VCPUOP_up", id);
		rc = hypercall_vcpu_op(VCPUOP_up, id, NULL);
		test_check(rc == 0, "VCPUOP_up of vcpu %u (%ld)", id, rc);
		rc = hypercall_vcpu_op(VCPUOP_is_up, id, NULL);
		test_check(rc == 1, "vcpu %u is up (%ld)", id, rc);
	}
	for (id = 1; id < nr_vcpus; id++) {
		test_check(wait_flag(&st[id].timer_ok), "vcpu %u ran and took its own timer", id);
		test_check(st[id].started && st[id].is_up && st[id].running,
			   "vcpu %u saw itself up and running (%u %u %u)", id, st[id].started,
			   st[id].is_up, st[id].running);
		test_check(st[id].timer_hits >= 1, "vcpu %u's VIRQ_TIMER came to vcpu %u (%llu)",
			   id, id, (unsigned long long)st[id].timer_hits);
		test_check(st[id].fcw == want_fcw(id) && st[id].mxcsr == want_mxcsr(id),
			   "vcpu %u started with its context's FPU image: fcw %#x mxcsr %#x (want "
			   "%#x %#x)",
			   id, st[id].fcw, st[id].mxcsr, want_fcw(id), want_mxcsr(id));
	}
	/* Sends to one port coalesce while it is pending: at least one arrived. */
	test_check(wait_count(&st[0].ipi_hits, 0), "vcpu 0 got the others' IPIs on its port (%llu)",
		   (unsigned long long)st[0].ipi_hits);
}

static void ipis(void)
{
	struct vcpu_runstate_info ri;
	bool ok;
	unsigned int id;
	uint64_t before;
	long rc;

	for (id = 1; id < nr_vcpus; id++) {
		before = st[0].ipi_hits;
		rc = send_ipi(id);
		test_check(rc == 0, "EVTCHNOP_send to vcpu %u's IPI port (%ld)", id, rc);
		ok = wait_count(&st[0].ipi_hits, before);
		test_check(
		    ok && st[id].ipi_hits == 1,
		    "vcpu %u handled its IPI and answered (waited: %d, handled %llu, acks %llu)",
		    id, ok, (unsigned long long)st[id].ipi_hits,
		    (unsigned long long)(st[0].ipi_hits - before));
		rc = hypercall_vcpu_op(VCPUOP_get_runstate_info, id, &ri);
		test_check(rc == 0 && ri.state != RUNSTATE_offline && ri.time[RUNSTATE_running] > 0,
			   "vcpu %u's runstate read from vcpu 0: state %d, %llu ns running (%ld)",
			   id, ri.state, (unsigned long long)ri.time[RUNSTATE_running], rc);
	}
}

/*
 * EVTCHNOP_bind_vcpu: the local end of a loopback channel moved to another
 * vcpu is delivered there (and wakes it); an IPI port cannot move, and a
 * vcpu past max_vcpus is -ENOENT, for bind_vcpu and bind_virq alike.
 */
static void moved_channel(void)
{
	unsigned int to = nr_vcpus >= 3 ? 2 : 1;
	struct evtchn_alloc_unbound au = {.dom = DOMID_SELF, .remote_dom = DOMID_SELF};
	struct evtchn_bind_interdomain bi = {.remote_dom = DOMID_SELF};
	struct evtchn_bind_virq bv = {.virq = VIRQ_TIMER, .vcpu = nr_vcpus};
	struct evtchn_bind_vcpu bc;
	uint64_t acks = st[0].ipi_hits;
	uint32_t port;
	bool ok;
	long rc;

	rc = hypercall_event_channel_op(EVTCHNOP_alloc_unbound, &au);
	if (!rc) {
		bi.remote_port = au.port;
		rc = hypercall_event_channel_op(EVTCHNOP_bind_interdomain, &bi);
	}
	if (rc || bi.local_port >= 64) {
		test_check(false, "a loopback channel below port 64 (%ld, port %u)", rc,
			   bi.local_port);
		return;
	}
	/* Its new end starts pending (for vcpu 0, which ignores it): cleared before the move. */
	__atomic_fetch_and(&shared_info->evtchn_pending[0], ~(1ULL << bi.local_port),
			   __ATOMIC_SEQ_CST);
	bc.port = bi.local_port;
	bc.vcpu = nr_vcpus;
	rc = hypercall_event_channel_op(EVTCHNOP_bind_vcpu, &bc);
	test_check(rc == -XEN_ENOENT, "bind_vcpu to vcpu %u (max_vcpus): -ENOENT (%ld)", nr_vcpus,
		   rc);
	rc = hypercall_event_channel_op(EVTCHNOP_bind_virq, &bv);
	test_check(rc == -XEN_ENOENT, "bind_virq VIRQ_TIMER on vcpu %u: -ENOENT (%ld)", nr_vcpus,
		   rc);
	bc.port = st[0].ipi_port;
	bc.vcpu = to;
	rc = hypercall_event_channel_op(EVTCHNOP_bind_vcpu, &bc);
	test_check(rc == -XEN_EINVAL, "bind_vcpu of an IPI port: -EINVAL (%ld)", rc);

	st[to].moved_port = bi.local_port;
	my_ports[to] |= 1ULL << bi.local_port;
	bc.port = bi.local_port;
	bc.vcpu = to;
	rc = hypercall_event_channel_op(EVTCHNOP_bind_vcpu, &bc);
	test_check(rc == 0, "bind_vcpu of port %u to vcpu %u (%ld)", bc.port, to, rc);
	port = au.port;
	rc = hypercall_event_channel_op(EVTCHNOP_send, &port);
	test_check(rc == 0, "send on the other end, port %u (%ld)", port, rc);
	ok = wait_count(&st[0].ipi_hits, acks);
	test_check(ok && st[to].moved_hits == 1,
		   "the moved port's event reached vcpu %u (waited: %d, %llu events there)", to, ok,
		   (unsigned long long)st[to].moved_hits);
}

/* The last vcpu downed by vcpu 0: off the CPU, its IPI waits until it is up again. */
static void remote_down(void)
{
	unsigned int id = nr_vcpus - 1;
	struct vcpu_runstate_info ri;
	uint64_t hits = st[id].ipi_hits, acks;
	long rc;

	rc = hypercall_vcpu_op(VCPUOP_down, id, NULL);
	test_check(rc == 0, "VCPUOP_down of vcpu %u from vcpu 0 (%ld)", id, rc);
	test_check(hypercall_vcpu_op(VCPUOP_is_up, id, NULL) == 0, "vcpu %u is down", id);
	rc = hypercall_vcpu_op(VCPUOP_get_runstate_info, id, &ri);
	test_check(rc == 0 && ri.state == RUNSTATE_offline, "vcpu %u's runstate is offline (%d)",
		   id, ri.state);
	acks = st[0].ipi_hits;
	send_ipi(id);
	pause_ms(50);
	test_check(st[id].ipi_hits == hits && st[0].ipi_hits == acks,
		   "down vcpu %u did not run its IPI handler", id);
	rc = hypercall_vcpu_op(VCPUOP_up, id, NULL);
	test_check(rc == 0, "VCPUOP_up of vcpu %u again (%ld)", id, rc);
	test_check(wait_count(&st[0].ipi_hits, acks) && st[id].ipi_hits == hits + 1,
		   "vcpu %u, up again, handled the IPI sent while it was down", id);
}

/* vcpu 1 downs itself: it leaves the CPU inside VCPUOP_down and resumes there when up. */
static void self_down(void)
{
	uint64_t deadline;
	long rc;

	st[1].cmd = CMD_DOWN_SELF;
	send_ipi(1);
	deadline = vcpu_time_ns(0) + WAIT_NS;
	while (hypercall_vcpu_op(VCPUOP_is_up, 1, NULL) != 0 && vcpu_time_ns(0) < deadline) {
		hypercall_sched_op(SCHEDOP_yield, NULL);
	}
	test_check(hypercall_vcpu_op(VCPUOP_is_up, 1, NULL) == 0, "vcpu 1 downed itself");
	pause_ms(20);
	test_check(!st[1].resumed, "vcpu 1 stays inside VCPUOP_down while down");
	rc = hypercall_vcpu_op(VCPUOP_up, 1, NULL);
	test_check(rc == 0, "VCPUOP_up of vcpu 1 (%ld)", rc);
	test_check(wait_flag(&st[1].resumed) && st[1].down_rc == 0,
		   "vcpu 1 resumed after its VCPUOP_down, which returned %ld", st[1].down_rc);
}

static bool has_word(const char *s, const char *w)
{
	size_t n = strlen(w);

	for (; *s; s++) {
		if (!strncmp(s, w, n)) {
			return true;
		}
	}
	return false;
}

void guest_main(struct start_info *si)
{
	struct callback_register cb = {.type = CALLBACKTYPE_event, .address = (uint64_t)ev_entry_0};
	bool lastdown = has_word((const char *)si->cmd_line, "lastdown");
	long rc;

	gprintf("vcpu_updown: VCPUOP_initialise, up, down, is_up, runstate, IPIs\n");
	if (!shared_info || !mm_util_init()) {
		test_report(TEST_ERROR, "no shared_info or bootstrap region");
	}
	for (nr_vcpus = 1; nr_vcpus < 64; nr_vcpus++) {
		if (hypercall_vcpu_op(VCPUOP_is_up, nr_vcpus, NULL) < 0) {
			break;
		}
	}
	gprintf("vcpu_updown: %u vcpus\n", nr_vcpus);
	rc = hypercall_vcpu_op(VCPUOP_is_up, 0, NULL);
	test_check(rc == 1, "vcpu 0 is up (%ld)", rc);
	rc = hypercall_vcpu_op(VCPUOP_is_up, nr_vcpus, NULL);
	test_check(rc == -XEN_ENOENT, "vcpu %u is past max_vcpus: -ENOENT (%ld)", nr_vcpus, rc);
	rc = hypercall_vcpu_op(VCPUOP_up, nr_vcpus, NULL);
	test_check(rc == -XEN_ENOENT, "VCPUOP_up of vcpu %u: -ENOENT (%ld)", nr_vcpus, rc);
	make_ctx(0);
	rc = hypercall_vcpu_op(VCPUOP_initialise, 4096, &ctx);
	test_check(rc == -XEN_ENOENT, "VCPUOP_initialise of vcpu 4096: -ENOENT (%ld)", rc);
	if (nr_vcpus == 1) {
		rc = hypercall_vcpu_op(VCPUOP_initialise, 1, &ctx);
		test_check(rc == -XEN_ENOENT,
			   "one vcpu: VCPUOP_initialise of vcpu 1: -ENOENT (%ld)", rc);
		test_finish();
	}
	if (nr_vcpus > MAX_VCPUS) {
		test_report(TEST_ERROR, "%u vcpus: this test drives at most %u", nr_vcpus,
			    MAX_VCPUS);
	}

	rc = hypercall_callback_op(CALLBACKOP_register, &cb);
	test_check(rc == 0, "vcpu 0's event callback (%ld)", rc);
	rc = bind_own(0);
	test_check(rc == 0, "VIRQ_TIMER and an IPI bound on vcpu 0 (%ld)", rc);
	/* The GDT of vcpu 1: entries 2 and 3 as Linux's, the page read-only as a GDT must be. */
	gdt_page[2] = DESC_CODE64;
	gdt_page[3] = DESC_DATA;
	rc = set_page_rw(gdt_page, false);
	if (rc) {
		test_report(TEST_ERROR, "cannot map the GDT page read-only (%ld)", rc);
	}

	refusals();
	bring_up();
	ipis();
	moved_channel();
	if (nr_vcpus >= 3) {
		remote_down();
	}
	self_down();
	if (!lastdown) {
		test_finish();
	}
	/* Xen: the last vcpu going down powers the domain off. */
	if (test_failures()) {
		test_finish();
	}
	gprintf("Test result: SUCCESS\n");
	for (unsigned int id = nr_vcpus - 1; id > 0; id--) {
		hypercall_vcpu_op(VCPUOP_down, id, NULL);
	}
	rc = hypercall_vcpu_op(VCPUOP_down, 0, NULL);
	gprintf("vcpu_updown: still running after downing the last vcpu (%ld)\n", rc);
	guest_shutdown(SHUTDOWN_crash);
}
