/*
 * pvrun IMAGE: run a PV test guest as a host process, with this program
 * standing in for the hypervisor. It exists to test the guest runtime
 * (guests/lib) before Palisade has a domain builder; it is not a model of
 * Palisade and checks nothing about it.
 *
 * The image must be the low-linked build (GUEST_HOST_RUN). pvrun maps its
 * PT_LOAD segments at their addresses, builds a bootstrap region (p2m list,
 * start_info, a page-table page, a stack) after it, and enters the ELF
 * note ENTRY with rsi = start_info, as a domain builder would.
 *
 * Hypercalls: every stub of the hypercall page is Xen's stub with the
 * "syscall" replaced by "hlt", which faults in user mode. The SIGSEGV
 * handler recognises a fault inside the page, performs the hypercall on the
 * signal context (arguments rdi, rsi, rdx, r10, r8; result rax) and resumes
 * after the hlt, so the stub's own pops and ret run natively. The iret stub
 * (23) is emulated from the struct iret_context on the guest stack.
 *
 * Exceptions: a CPU exception in guest code arrives as a signal with the
 * vector in REG_TRAPNO. It is bounced like Xen does: rcx, r11, [error
 * code], rip, cs (RPL 0: kernel mode), rflags, rsp, ss pushed on the guest
 * stack, cr2 written to vcpu_info[0].arch.cr2, entry at the trap table's
 * handler. Only guest kernel mode exists here: an iret to RPL 3 is refused.
 *
 * Exit status: 0 for SHUTDOWN_poweroff, 10 + reason for other shutdowns,
 * 2 for a usage or load error, 3 for an exception the guest has no handler
 * for (Xen would crash the domain), 124 for a timeout.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <ucontext.h>
#include <unistd.h>

#include <public/callback.h>
#include <public/elfnote.h>
#include <public/memory.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/version.h>
#include <public/xen.h>

#define PAGE 4096UL
#define TIMEOUT_SECONDS 20
/* The machine address pvrun pretends the shared_info frame has. */
#define FAKE_SHARED_INFO_MADDR 0x7ff000UL
#define X86_EFLAGS_IF (1UL << 9)

static uint64_t hypercall_page_va;
static struct trap_info traps[256];
static struct shared_info *shinfo;
static uint64_t callbacks[8];

/* Async-signal-safe output: everything here is written with write(2). */
static void say(const char *s)
{
	size_t n = strlen(s);

	while (n) {
		ssize_t k = write(STDOUT_FILENO, s, n);

		if (k <= 0) {
			return;
		}
		s += k;
		n -= (size_t)k;
	}
}

static void say_num(const char *before, unsigned long long v, const char *after)
{
	char buf[32];
	int i = sizeof(buf) - 1;

	buf[i] = 0;
	do {
		buf[--i] = "0123456789abcdef"[v % 16];
		v /= 16;
	} while (v && i > 2);
	buf[--i] = 'x';
	buf[--i] = '0';
	say(before);
	say(buf + i);
	say(after);
}

static __attribute__((noreturn)) void die(const char *msg, int status)
{
	say("pvrun: ");
	say(msg);
	say("\n");
	_exit(status);
}

static long do_console_io(uint64_t cmd, uint64_t count, uint64_t buf)
{
	if (cmd != CONSOLEIO_write) {
		return -ENOSYS;
	}
	if (count > (1U << 20)) {
		return -EINVAL;
	}
	if (write(STDOUT_FILENO, (const void *)buf, count) < 0) {
		return -EIO;
	}
	return 0;
}

static long do_sched_op(uint64_t cmd, uint64_t arg)
{
	const struct sched_shutdown *s = (const void *)arg;

	switch (cmd) {
	case SCHEDOP_yield:
		return 0;
	case SCHEDOP_shutdown:
		say_num("pvrun: shutdown, reason ", s->reason, "\n");
		_exit(s->reason == SHUTDOWN_poweroff ? 0 : 10 + (int)(s->reason & 0xff));
	default:
		return -ENOSYS;
	}
}

static long do_set_trap_table(uint64_t arg)
{
	const struct trap_info *t = (const void *)arg;

	memset(traps, 0, sizeof(traps));
	for (int i = 0; i < 256 && t[i].address; i++) {
		traps[t[i].vector] = t[i];
	}
	return 0;
}

/* Only the one mapping the runtime makes: the shared_info frame. */
static long do_update_va_mapping(uint64_t va, uint64_t pte, uint64_t flags)
{
	void *p;

	if ((pte & XEN_PTE_ADDR_MASK) != FAKE_SHARED_INFO_MADDR || va % PAGE ||
	    !(pte & _PAGE_PRESENT)) {
		return -EINVAL;
	}
	p = mmap((void *)va, PAGE, PROT_READ | ((pte & _PAGE_RW) ? PROT_WRITE : 0),
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (p == MAP_FAILED) {
		return -ENOMEM;
	}
	/* A fresh shared_info, as a domain starts with: events masked. */
	shinfo = p;
	shinfo->vcpu_info[0].evtchn_upcall_mask = 1;
	return 0;
}

static long do_callback_op(uint64_t cmd, uint64_t arg)
{
	const struct callback_register *cb = (const void *)arg;

	if (cmd != CALLBACKOP_register || cb->type >= 8) {
		return -EINVAL;
	}
	callbacks[cb->type] = cb->address;
	return 0;
}

/* The answers of a 64-bit PV domain of NR_PAGES pages on one vcpu. */
#define NR_PAGES 512

static long do_xen_version(uint64_t cmd, uint64_t arg)
{
	struct xen_feature_info *fi = (void *)arg;
	struct xen_platform_parameters *pp = (void *)arg;

	switch (cmd) {
	case XENVER_version:
		return (4 << 16) | 20;
	case XENVER_pagesize:
		return PAGE;
	case XENVER_get_features:
		if (fi->submap_idx != 0) {
			return -EINVAL;
		}
		fi->submap = 1U << XENFEAT_mmu_pt_update_preserve_ad;
		return 0;
	case XENVER_platform_parameters:
		pp->virt_start = HYPERVISOR_VIRT_START;
		return 0;
	default:
		return -ENOSYS;
	}
}

static long do_memory_op(uint64_t cmd, uint64_t arg)
{
	struct xen_machphys_mapping *mm = (void *)arg;

	switch (cmd) {
	case XENMEM_machphys_mapping:
		mm->v_start = MACH2PHYS_VIRT_START;
		mm->v_end = MACH2PHYS_VIRT_END;
		mm->max_mfn = MACH2PHYS_NR_ENTRIES - 1;
		return 0;
	case XENMEM_maximum_ram_page:
		return 0x7ffff;
	case XENMEM_current_reservation:
	case XENMEM_maximum_reservation:
		return *(const domid_t *)arg == DOMID_SELF ? NR_PAGES : -ESRCH;
	default:
		return -ENOSYS;
	}
}

static long do_vcpu_op(uint64_t cmd, uint64_t vcpu)
{
	if (vcpu != 0) {
		return -ENOENT;
	}
	return cmd == VCPUOP_is_up ? 1 : -ENOSYS;
}

static long hypercall(unsigned int nr, const greg_t *g)
{
	uint64_t a1 = g[REG_RDI], a2 = g[REG_RSI], a3 = g[REG_RDX];

	switch (nr) {
	case __HYPERVISOR_console_io:
		return do_console_io(a1, a2, a3);
	case __HYPERVISOR_sched_op:
		return do_sched_op(a1, a2);
	case __HYPERVISOR_set_trap_table:
		return do_set_trap_table(a1);
	case __HYPERVISOR_update_va_mapping:
		return do_update_va_mapping(a1, a2, a3);
	case __HYPERVISOR_callback_op:
		return do_callback_op(a1, a2);
	case __HYPERVISOR_xen_version:
		return do_xen_version(a1, a2);
	case __HYPERVISOR_memory_op:
		return do_memory_op(a1, a2);
	case __HYPERVISOR_vcpu_op:
		return do_vcpu_op(a1, a2);
	default:
		return -ENOSYS;
	}
}

/* iret: the stub pushed rcx, r11, rax over the guest's [flags, rip, cs, rflags, rsp, ss]. */
static void do_iret(greg_t *g)
{
	const struct iret_context *c = (const void *)g[REG_RSP];
	/* The host kernel keeps control of the privileged flags. */
	const uint64_t user_flags = 0xcd5; /* CF PF AF ZF SF TF DF OF */

	if ((c->cs & 3) == 3) {
		die("iret to guest user mode (CS RPL 3) is not supported", 3);
	}
	g[REG_RAX] = (greg_t)c->rax;
	g[REG_RIP] = (greg_t)c->rip;
	g[REG_RSP] = (greg_t)c->rsp;
	g[REG_EFL] = (greg_t)((g[REG_EFL] & ~user_flags) | (c->rflags & user_flags));
	if (!(c->flags & VGCF_in_syscall)) {
		g[REG_R11] = (greg_t)c->r11;
		g[REG_RCX] = (greg_t)c->rcx;
	}
	if (shinfo && (c->rflags & X86_EFLAGS_IF)) {
		shinfo->vcpu_info[0].evtchn_upcall_mask = 0;
	}
}

static int has_error_code(unsigned int vector)
{
	return vector == 8 || (vector >= 10 && vector <= 14) || vector == 17 || vector == 21;
}

/* Deliver exception @vector to the guest's handler, Xen style. */
static void bounce(greg_t *g, unsigned int vector, uint64_t error, uint64_t cr2)
{
	const struct trap_info *t = vector < 256 ? &traps[vector] : NULL;
	uint64_t *sp;
	uint64_t rflags, cs;

	if (!t || !t->address) {
		say_num("pvrun: no handler for vector ", vector, "");
		say_num(" at rip ", (unsigned long long)g[REG_RIP], "\n");
		_exit(3);
	}
	if (vector == 14 && shinfo) {
		shinfo->vcpu_info[0].arch.cr2 = cr2;
	}
	/*
	 * As in Xen: guest kernel mode shows as CS with RPL 0, the saved
	 * upcall mask rides in bits 32-39 of the CS slot, and the saved IF is
	 * the virtual one (!evtchn_upcall_mask).
	 */
	cs = FLAT_KERNEL_CS & ~3ULL;
	if (shinfo) {
		cs |= (uint64_t)shinfo->vcpu_info[0].evtchn_upcall_mask << 32;
	}
	rflags = (uint64_t)g[REG_EFL] & ~X86_EFLAGS_IF;
	if (!shinfo || !shinfo->vcpu_info[0].evtchn_upcall_mask) {
		rflags |= X86_EFLAGS_IF;
	}
	sp = (uint64_t *)((uint64_t)g[REG_RSP] & ~15UL);
	*--sp = FLAT_KERNEL_SS;
	*--sp = (uint64_t)g[REG_RSP];
	*--sp = rflags;
	*--sp = cs;
	*--sp = (uint64_t)g[REG_RIP];
	if (has_error_code(vector)) {
		*--sp = error;
	}
	*--sp = (uint64_t)g[REG_R11];
	*--sp = (uint64_t)g[REG_RCX];
	if (shinfo && (t->flags & TI_MASK_EVENTS)) {
		shinfo->vcpu_info[0].evtchn_upcall_mask = 1;
	}
	g[REG_RSP] = (greg_t)(uintptr_t)sp;
	g[REG_RIP] = (greg_t)t->address;
}

static void on_signal(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;
	greg_t *g = uc->uc_mcontext.gregs;
	uint64_t rip = (uint64_t)g[REG_RIP];
	unsigned int vector = (unsigned int)g[REG_TRAPNO];

	if (sig == SIGALRM) {
		die("timeout: the guest neither shut down nor crashed", 124);
	}
	if (sig == SIGSEGV && vector == 13 && rip - hypercall_page_va < PAGE) {
		unsigned int nr = (unsigned int)((rip - hypercall_page_va) / HYPERCALL_STUB_SIZE);

		if (nr == __HYPERVISOR_iret) {
			do_iret(g);
			return;
		}
		g[REG_RAX] = (greg_t)hypercall(nr, g);
		g[REG_RIP] = (greg_t)(rip + 1); /* past the hlt */
		return;
	}
	/*
	 * The guest kernel runs in (pretend) kernel mode: Xen clears the
	 * user bit of a #PF error code taken there.
	 */
	bounce(g, vector, (uint64_t)g[REG_ERR] & ~(vector == 14 ? 4ULL : 0ULL),
	       (uint64_t)(uintptr_t)si->si_addr);
}

/* Xen's stub shape with hlt in place of syscall. */
static void fill_hypercall_page(uint8_t *p)
{
	for (unsigned int i = 0; i < HYPERCALL_NR_STUBS; i++) {
		uint8_t *s = p + i * HYPERCALL_STUB_SIZE;
		size_t k = 0;

		memset(s, 0xcc, HYPERCALL_STUB_SIZE);
		s[k++] = 0x51; /* push %rcx */
		s[k++] = 0x41; /* push %r11 */
		s[k++] = 0x53;
		if (i == __HYPERVISOR_iret) {
			s[k++] = 0x50; /* push %rax */
		}
		s[k++] = 0xb8; /* mov $i, %eax */
		memcpy(s + k, &i, 4);
		k += 4;
		s[k++] = 0xf4; /* hlt: the trap into pvrun */
		s[k++] = 0x41; /* pop %r11 */
		s[k++] = 0x5b;
		s[k++] = 0x59; /* pop %rcx */
		s[k++] = 0xc3; /* ret */
	}
}

static uint64_t note_value(const uint8_t *img, const Elf64_Phdr *ph, int phnum, uint32_t type)
{
	for (int i = 0; i < phnum; i++) {
		uint64_t off = ph[i].p_offset, end = off + ph[i].p_filesz;

		if (ph[i].p_type != PT_NOTE) {
			continue;
		}
		while (off + sizeof(Elf64_Nhdr) <= end) {
			const Elf64_Nhdr *n = (const void *)(img + off);
			uint64_t desc = off + sizeof(*n) + ((n->n_namesz + 3ULL) & ~3ULL);

			if (n->n_type == type && n->n_namesz == XEN_ELFNOTE_OWNER_SIZE &&
			    n->n_descsz == 8 &&
			    memcmp(img + off + sizeof(*n), XEN_ELFNOTE_OWNER, 4) == 0) {
				uint64_t v;

				memcpy(&v, img + desc, 8);
				return v;
			}
			off = desc + ((n->n_descsz + 3ULL) & ~3ULL);
		}
	}
	return 0;
}

static void *map_fixed(uint64_t va, uint64_t len)
{
	void *p = mmap((void *)va, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (p == MAP_FAILED || (uint64_t)(uintptr_t)p != va) {
		die("cannot map the guest's address space (already in use?)", 2);
	}
	return p;
}

int main(int argc, char **argv)
{
	static uint8_t altstack[64 * 1024];
	stack_t ss = {.ss_sp = altstack, .ss_size = sizeof(altstack)};
	struct sigaction sa = {0};
	const Elf64_Ehdr *eh;
	const Elf64_Phdr *ph;
	struct start_info *si;
	uint64_t entry, end = 0, region, *p2m;
	uint8_t *img;
	struct stat st;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: %s GUEST.elf (the GUEST_HOST_RUN build)\n", argv[0]);
		return 2;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0 || fstat(fd, &st) < 0 || st.st_size < (off_t)sizeof(Elf64_Ehdr)) {
		die("cannot read the image", 2);
	}
	img = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (img == MAP_FAILED) {
		die("cannot map the image file", 2);
	}
	eh = (const void *)img;
	if (memcmp(img, ELFMAG, SELFMAG) || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_phoff + (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > (uint64_t)st.st_size) {
		die("not an ELF64 image", 2);
	}
	ph = (const void *)(img + eh->e_phoff);

	for (int i = 0; i < eh->e_phnum; i++) {
		uint64_t start, len;
		uint8_t *dst;

		if (ph[i].p_type != PT_LOAD) {
			continue;
		}
		if (ph[i].p_offset + ph[i].p_filesz > (uint64_t)st.st_size ||
		    ph[i].p_filesz > ph[i].p_memsz) {
			die("bad PT_LOAD", 2);
		}
		start = ph[i].p_vaddr & ~(PAGE - 1);
		len = (ph[i].p_vaddr + ph[i].p_memsz + PAGE - 1 - start) & ~(PAGE - 1);
		dst = map_fixed(start, len);
		memcpy(dst + (ph[i].p_vaddr - start), img + ph[i].p_offset, ph[i].p_filesz);
		if (start + len > end) {
			end = start + len;
		}
	}
	entry = note_value(img, ph, eh->e_phnum, XEN_ELFNOTE_ENTRY);
	hypercall_page_va = note_value(img, ph, eh->e_phnum, XEN_ELFNOTE_HYPERCALL_PAGE);
	if (!entry || !hypercall_page_va || hypercall_page_va % PAGE) {
		die("the image lacks ENTRY or HYPERCALL_PAGE notes", 2);
	}
	fill_hypercall_page((uint8_t *)hypercall_page_va);
	/* Now give every segment its own permissions. */
	for (int i = 0; i < eh->e_phnum; i++) {
		uint64_t start = ph[i].p_vaddr & ~(PAGE - 1);
		uint64_t len = (ph[i].p_vaddr + ph[i].p_memsz + PAGE - 1 - start) & ~(PAGE - 1);
		int prot = ((ph[i].p_flags & PF_R) ? PROT_READ : 0) |
			   ((ph[i].p_flags & PF_W) ? PROT_WRITE : 0) |
			   ((ph[i].p_flags & PF_X) ? PROT_EXEC : 0);

		if (ph[i].p_type == PT_LOAD && mprotect((void *)start, len, prot) < 0) {
			die("mprotect failed", 2);
		}
	}

	/* Bootstrap region after the image: p2m list, start_info, a page table, stack. */
	region = end;
	p2m = map_fixed(region, PAGE);
	for (unsigned int i = 0; i < PAGE / 8; i++) {
		p2m[i] = 0x1000 + i;
	}
	si = map_fixed(region + PAGE, PAGE);
	map_fixed(region + 2 * PAGE, PAGE);
	map_fixed(region + 3 * PAGE, 4 * PAGE);
	snprintf(si->magic, sizeof(si->magic), "%s", "xen-3.0-x86_64");
	si->nr_pages = NR_PAGES;
	si->shared_info = FAKE_SHARED_INFO_MADDR;
	si->store_mfn = 0x1100;
	si->store_evtchn = 1;
	si->console.domU.mfn = 0x1101;
	si->console.domU.evtchn = 2;
	si->pt_base = region + 2 * PAGE;
	si->nr_pt_frames = 1;
	si->mfn_list = region;
	snprintf((char *)si->cmd_line, sizeof(si->cmd_line), "%s", "pvrun");

	if (sigaltstack(&ss, NULL) < 0) {
		die("sigaltstack failed", 2);
	}
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGILL, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);
	sigaction(SIGTRAP, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	alarm(TIMEOUT_SECONDS);
	fflush(NULL);

	/* Enter like a domain builder: rsi = start_info, rsp = top of the bootstrap stack. */
	asm volatile("mov %0, %%rsp\n\t"
		     "xor %%ebp, %%ebp\n\t"
		     "jmp *%2"
		     :
		     : "r"(region + 7 * PAGE), "S"(si), "r"(entry)
		     : "memory");
	__builtin_unreachable();
}
