/*
 * Tests of the ptwr decoder and operations (pv/ptwr_decode.c) against the
 * CPU running these tests.
 *
 * Each case encodes one instruction, runs those very bytes on the host
 * (copied into an executable page, all sixteen registers and the flags
 * loaded from the case, everything stored back) on a page of random data,
 * and emulates it on a copy of that page: decode, address, then apply on
 * the 8-byte entry that holds the operand. The page, every register and
 * the defined flags must come out the same. Cases cross every form with
 * every width its encoding allows, every prefix and several register and
 * addressing choices (base, disp8/32, SIB with and without base or index,
 * r12/r13 special cases, RIP-relative, fs and gs bases). Refusals are
 * checked on their own: opcodes outside the set, lock where the CPU
 * refuses it, register destinations, truncated and over-long bytes,
 * operands that do not fit in one entry, cmpxchg16b writes.
 */
#include "hvtest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <asm/ptwr_decode.h>
#include <public/errno.h>

#define ARITH PTWR_FLAGS_ARITH
#define DATA_SIZE 4096
/* Where the operand's entry sits in the data page: room for bt offsets both ways. */
#define TARGET 2048
#define ARCH_SET_GS_ 0x1001
#define ARCH_GET_FS_ 0x1003
#define ARCH_GET_GS_ 0x1004

/* Host registers as ModRM numbers them (index 4, rsp, unused), then rflags. */
enum { H_RAX, H_RCX, H_RDX, H_RBX, H_RSP, H_RBP, H_RSI, H_RDI, H_RFLAGS = 16, H_NR };

/* ptwr_host_exec(regs, code): loads regs and rflags, calls code, stores them back. */
void ptwr_host_exec(uint64_t *regs, const void *code);
__asm__(".text\n"
	".globl ptwr_host_exec\n"
	".type ptwr_host_exec, @function\n"
	"ptwr_host_exec:\n"
	"push %rbp\n push %rbx\n push %r12\n push %r13\n push %r14\n push %r15\n"
	"push %rdi\n push %rsi\n"
	"pushq 128(%rdi)\n popfq\n"
	"mov 0(%rdi), %rax\n mov 8(%rdi), %rcx\n mov 16(%rdi), %rdx\n mov 24(%rdi), %rbx\n"
	"mov 40(%rdi), %rbp\n mov 48(%rdi), %rsi\n mov 64(%rdi), %r8\n mov 72(%rdi), %r9\n"
	"mov 80(%rdi), %r10\n mov 88(%rdi), %r11\n mov 96(%rdi), %r12\n mov 104(%rdi), %r13\n"
	"mov 112(%rdi), %r14\n mov 120(%rdi), %r15\n mov 56(%rdi), %rdi\n"
	"call *(%rsp)\n"
	"push %rdi\n mov 16(%rsp), %rdi\n"
	"mov %rax, 0(%rdi)\n mov %rcx, 8(%rdi)\n mov %rdx, 16(%rdi)\n mov %rbx, 24(%rdi)\n"
	"mov %rbp, 40(%rdi)\n mov %rsi, 48(%rdi)\n mov %r8, 64(%rdi)\n mov %r9, 72(%rdi)\n"
	"mov %r10, 80(%rdi)\n mov %r11, 88(%rdi)\n mov %r12, 96(%rdi)\n mov %r13, 104(%rdi)\n"
	"mov %r14, 112(%rdi)\n mov %r15, 120(%rdi)\n"
	"pushfq\n popq 128(%rdi)\n popq 56(%rdi)\n"
	"add $16, %rsp\n"
	"pop %r15\n pop %r14\n pop %r13\n pop %r12\n pop %rbx\n pop %rbp\n"
	"ret\n"
	".size ptwr_host_exec, .-ptwr_host_exec\n");

/* One page of code, then the data page the instructions write (within rip-relative reach). */
static uint8_t *jit, *data;
static uint64_t fs_base, gs_base, gs_saved;
static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	return hvt_xorshift(&rng);
}

/* Random values with the edges of every width mixed in: carries and overflows. */
static uint64_t value(void)
{
	static const uint64_t edges[] = {0,
					 ~0ULL,
					 1,
					 0x8080808080808080ULL,
					 0x7f7f7f7f7f7f7f7fULL,
					 0x8000000080008080ULL,
					 0x00000000ffffffffULL,
					 0x0f0f0f0f0f0f0f0fULL};
	uint64_t r = rnd();

	return r % 3 ? rnd() : edges[r % 8];
}

static bool setup(void)
{
	jit = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (jit == MAP_FAILED) {
		hvt_fail(__FILE__, __LINE__, "mmap");
		return false;
	}
	data = jit + 4096;
	if (syscall(SYS_arch_prctl, ARCH_GET_FS_, &fs_base) ||
	    syscall(SYS_arch_prctl, ARCH_GET_GS_, &gs_saved)) {
		hvt_fail(__FILE__, __LINE__, "arch_prctl get");
		return false;
	}
	/* A gs base of our own, small enough for rip-relative operands through gs too. */
	gs_base = 0x12340000;
	if (syscall(SYS_arch_prctl, ARCH_SET_GS_, gs_base)) {
		hvt_fail(__FILE__, __LINE__, "arch_prctl set gs");
		return false;
	}
	return true;
}

static void teardown(void)
{
	syscall(SYS_arch_prctl, ARCH_SET_GS_, gs_saved);
	munmap(jit, 2 * 4096);
}

static void run_on_host(const uint8_t *code, unsigned int len, uint64_t *regs)
{
	mprotect(jit, 4096, PROT_READ | PROT_WRITE);
	memcpy(jit, code, len);
	jit[len] = 0xc3; /* ret */
	mprotect(jit, 4096, PROT_READ | PROT_EXEC);
	ptwr_host_exec(regs, jit);
}

static uint64_t *reg_slot(struct cpu_regs *r, unsigned int n)
{
	uint64_t *const regs[16] = {&r->rax, &r->rcx, &r->rdx, &r->rbx, &r->rsp, &r->rbp,
				    &r->rsi, &r->rdi, &r->r8,  &r->r9,	&r->r10, &r->r11,
				    &r->r12, &r->r13, &r->r14, &r->r15};

	return regs[n];
}

static void to_cpu_regs(const uint64_t *h, struct cpu_regs *r)
{
	memset(r, 0, sizeof(*r));
	for (unsigned int i = 0; i < 16; i++) {
		*reg_slot(r, i) = h[i];
	}
	r->rflags = h[H_RFLAGS];
	r->rip = (uint64_t)jit;
}

static void hex(const uint8_t *b, unsigned int n, char *out)
{
	for (unsigned int i = 0; i < n; i++) {
		sprintf(out + 3 * i, "%02x ", b[i]);
	}
	out[n ? 3 * n - 1 : 0] = '\0';
}

/*
 * Emulates code on a copy of the data page from the inputs in, runs it on
 * the host, and compares. flags: the rflags bits the instruction defines.
 * Returns false (with a failure recorded) on a difference.
 */
static bool compare_with_cpu(const char *what, const uint8_t *code, unsigned int len,
			     const uint64_t *in, uint64_t flags)
{
	static uint8_t emu[DATA_SIZE];
	uint64_t host[H_NR], cur[2], next, addr, off;
	struct ptwr_insn insn;
	struct cpu_regs r, before;
	char bytes[64];
	int rc;

	hex(code, len, bytes);
	memcpy(emu, data, DATA_SIZE);
	to_cpu_regs(in, &r);
	before = r;
	rc = ptwr_decode(code, len, &insn);
	if (rc || insn.len != len) {
		hvt_fail(__FILE__, __LINE__, "%s [%s]: decode %d, length %u of %u", what, bytes, rc,
			 insn.len, len);
		return false;
	}
	/* The segment is the decoder's choice, as in ptwr.c. */
	addr = ptwr_insn_addr(&insn, &r,
			      insn.seg == PTWR_SEG_FS	? fs_base
			      : insn.seg == PTWR_SEG_GS ? gs_base
							: 0);
	off = addr - (uint64_t)data;
	if (addr < (uint64_t)data || off + insn.width > DATA_SIZE) {
		hvt_fail(__FILE__, __LINE__, "%s [%s]: address %#llx outside the data page %p",
			 what, bytes, (unsigned long long)addr, (void *)data);
		return false;
	}
	memcpy(cur, emu + (off & ~7ULL), off + 16 <= DATA_SIZE ? 16 : 8);
	rc = ptwr_apply(&insn, &r, addr, cur, &next);
	if (rc == 1) {
		memcpy(emu + (off & ~7ULL), &next, 8);
	}

	memcpy(host, in, sizeof(host));
	run_on_host(code, len, host);

	if (insn.op == PTWR_CMPXCHG16B && rc == -EOPNOTSUPP) {
		/* The CPU wrote both entries; ptwr must refuse and change nothing. */
		if (memcmp(&r, &before, sizeof(r)) || memcmp(emu, data, DATA_SIZE) == 0) {
			hvt_fail(__FILE__, __LINE__, "%s [%s]: refused 16-byte write changed state",
				 what, bytes);
			return false;
		}
		return true;
	}
	if (rc < 0) {
		hvt_fail(__FILE__, __LINE__, "%s [%s]: apply refused (%d)", what, bytes, rc);
		return false;
	}
	if (memcmp(emu, data, DATA_SIZE)) {
		unsigned int i = 0;

		while (emu[i] == data[i]) {
			i++;
		}
		hvt_fail(__FILE__, __LINE__,
			 "%s [%s]: memory differs at +%d: cpu %#llx, ptwr %#llx (entry %+d)", what,
			 bytes, (int)i - TARGET, *(unsigned long long *)(data + (i & ~7U)),
			 *(unsigned long long *)(emu + (i & ~7U)), (int)(off & ~7ULL) - TARGET);
		return false;
	}
	for (unsigned int i = 0; i < 16; i++) {
		if (i != H_RSP && host[i] != *reg_slot(&r, i)) {
			hvt_fail(__FILE__, __LINE__, "%s [%s]: register %u: cpu %#llx, ptwr %#llx",
				 what, bytes, i, (unsigned long long)host[i],
				 (unsigned long long)*reg_slot(&r, i));
			return false;
		}
	}
	if (r.rsp != before.rsp || r.rip != before.rip ||
	    (r.rflags & ~ARITH) != (before.rflags & ~ARITH)) {
		hvt_fail(__FILE__, __LINE__, "%s [%s]: rsp, rip or non-arithmetic flags changed",
			 what, bytes);
		return false;
	}
	if ((host[H_RFLAGS] ^ r.rflags) & flags) {
		hvt_fail(__FILE__, __LINE__,
			 "%s [%s]: flags: cpu %#llx, ptwr %#llx (in %#llx, mask %#llx)", what,
			 bytes, (unsigned long long)(host[H_RFLAGS] & flags),
			 (unsigned long long)(r.rflags & flags),
			 (unsigned long long)(in[H_RFLAGS] & ARITH), (unsigned long long)flags);
		return false;
	}
	return true;
}

/* ---- The forms, and an encoder for them ---- */

enum kind { K_PLAIN, K_CMPXCHG, K_CX8, K_CX16, K_BTREG };

struct fdesc {
	const char *family, *name;
	unsigned int opc; /* 0x0fXX: two-byte map */
	int sub;	  /* ModRM.reg of a group form; -1: a source register */
	unsigned int imm; /* 0, 1, or 4 (2 with 66) */
	bool byte, lockable;
	enum kind kind;
	uint64_t flags; /* defined flags to compare */
};

#define LOGIC (ARITH & ~PTWR_FLAG_AF)
#define ALU(fam, o, s, fl)                                                                         \
	{fam, fam " r/m8,r8", o, -1, 0, true, true, K_PLAIN, fl},                                  \
	    {fam, fam " r/m,r", o + 1, -1, 0, false, true, K_PLAIN, fl},                           \
	    {fam, fam " r/m8,imm8 (80)", 0x80, s, 1, true, true, K_PLAIN, fl},                     \
	    {fam, fam " r/m,imm (81)", 0x81, s, 4, false, true, K_PLAIN, fl},                      \
	{                                                                                          \
		fam, fam " r/m,imm8 (83)", 0x83, s, 1, false, true, K_PLAIN, fl                    \
	}

static const struct fdesc forms[] = {
    {"mov", "mov r/m8,r8 (88)", 0x88, -1, 0, true, false, K_PLAIN, ARITH},
    {"mov", "mov r/m,r (89)", 0x89, -1, 0, false, false, K_PLAIN, ARITH},
    {"mov", "mov r/m8,imm8 (c6)", 0xc6, 0, 1, true, false, K_PLAIN, ARITH},
    {"mov", "mov r/m,imm (c7)", 0xc7, 0, 4, false, false, K_PLAIN, ARITH},
    ALU("add", 0x00, 0, ARITH),
    ALU("or", 0x08, 1, LOGIC),
    ALU("and", 0x20, 4, LOGIC),
    ALU("sub", 0x28, 5, ARITH),
    ALU("xor", 0x30, 6, LOGIC),
    {"bt", "bts r/m,r", 0x0fab, -1, 0, false, true, K_BTREG, PTWR_FLAG_CF},
    {"bt", "btr r/m,r", 0x0fb3, -1, 0, false, true, K_BTREG, PTWR_FLAG_CF},
    {"bt", "btc r/m,r", 0x0fbb, -1, 0, false, true, K_BTREG, PTWR_FLAG_CF},
    {"bt", "bts r/m,imm8", 0x0fba, 5, 1, false, true, K_PLAIN, PTWR_FLAG_CF},
    {"bt", "btr r/m,imm8", 0x0fba, 6, 1, false, true, K_PLAIN, PTWR_FLAG_CF},
    {"bt", "btc r/m,imm8", 0x0fba, 7, 1, false, true, K_PLAIN, PTWR_FLAG_CF},
    {"xadd", "xadd r/m8,r8", 0x0fc0, -1, 0, true, true, K_PLAIN, ARITH},
    {"xadd", "xadd r/m,r", 0x0fc1, -1, 0, false, true, K_PLAIN, ARITH},
    {"xchg", "xchg r/m8,r8", 0x86, -1, 0, true, true, K_PLAIN, ARITH},
    {"xchg", "xchg r/m,r", 0x87, -1, 0, false, true, K_PLAIN, ARITH},
    {"cmpxchg", "cmpxchg r/m8,r8", 0x0fb0, -1, 0, true, true, K_CMPXCHG, ARITH},
    {"cmpxchg", "cmpxchg r/m,r", 0x0fb1, -1, 0, false, true, K_CMPXCHG, ARITH},
    {"cmpxchg8b", "cmpxchg8b m64", 0x0fc7, 1, 0, false, true, K_CX8, ARITH},
    {"cmpxchg16b", "cmpxchg16b m128", 0x0fc7, 1, 0, false, true, K_CX16, ARITH},
};

enum amode {
	AM_BASE,      /* [base] (rbp/r13 take a zero disp8, r12 a SIB) */
	AM_DISP8,     /* [base + disp8] */
	AM_DISP32,    /* [base + disp32] */
	AM_SIB,	      /* [base + index * scale + disp8] */
	AM_NOBASE,    /* [index * scale + disp32], REX.B set or not */
	AM_RIP,	      /* [rip + disp32], REX.B set or not */
	AM_R12_INDEX, /* [base + r12 * scale]: index 100 with REX.X */
	AM_NOINDEX,   /* SIB with index 100: [base + disp8] */
	AM_NR
};

static const char *const am_names[AM_NR] = {"[base]",	       "[base+d8]",	"[base+d32]",
					    "[base+idx*s+d8]", "[idx*s+d32]",	"[rip+d32]",
					    "[base+r12*s]",    "[base] via SIB"};

/* Legacy prefix sets tried with every form: lock only where the form allows it. */
static const struct {
	uint8_t b[3];
	unsigned int n;
	bool lock;
} prefix_sets[] = {
    {{0}, 0, false},	      {{0xf0}, 1, true},	{{0x3e}, 1, false},
    {{0x2e}, 1, false},	      {{0x36}, 1, false},	{{0x26}, 1, false},
    {{0x64}, 1, false},	      {{0x65}, 1, false},	{{0x3e, 0xf0}, 2, true},
    {{0xf0, 0x65}, 2, true},  {{0x64, 0x3e}, 2, false}, {{0x2e, 0x36, 0x26}, 3, false},
    {{0x65, 0x64}, 2, false},
};
#define NR_PREFIX_SETS (sizeof(prefix_sets) / sizeof(prefix_sets[0]))

struct built {
	uint8_t code[PTWR_INSN_MAX + 8];
	unsigned int len;
	uint64_t regs[H_NR];
	uint64_t seg_base;
	char what[160];
};

static unsigned int pick(const uint8_t *set, unsigned int n)
{
	return set[rnd() % n];
}

static bool in(const uint8_t *set, unsigned int n, unsigned int v)
{
	for (unsigned int i = 0; i < n; i++) {
		if (set[i] == v) {
			return true;
		}
	}
	return false;
}

/*
 * One random case of form f at width with prefix set p, addressing mode am
 * and source-register style srcsel (0: al-bl or any low register, 1: AH-BH
 * without any REX, 2: BPL-DIL with an empty REX, 3: r8-r15).
 */
static void build(struct built *c, const struct fdesc *f, unsigned int width, unsigned int p,
		  enum amode am, unsigned int srcsel)
{
	static const uint8_t addr_regs[] = {1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
	uint8_t *b = c->code, avoid[8];
	unsigned int n = 0, rex = 0, src = 0, base, index, scale = rnd() % 4, navoid = 0, off;
	unsigned int mod, rm, sib_index = 0, sib_base = 0, disp_at = 0, disp_len = 0, imm_len;
	bool high8 = false, rex40 = false, sib, use_fs = false, use_gs = false;
	uint64_t target, ea, disp = 0, imm, mask = width >= 8 ? ~0ULL : (1ULL << (8 * width)) - 1;

	for (unsigned int i = 0; i < H_NR; i++) {
		c->regs[i] = rnd();
	}
	c->regs[H_RFLAGS] = (rnd() & ARITH) | 2;
	for (unsigned int i = 0; i < DATA_SIZE / 8; i++) {
		((uint64_t *)data)[i] = value();
	}

	/* Registers the instruction reads or writes implicitly stay out of the address. */
	avoid[navoid++] = H_RSP;
	if (f->kind == K_CMPXCHG || f->kind == K_CX8 || f->kind == K_CX16) {
		avoid[navoid++] = H_RAX;
	}
	if (f->kind == K_CX8 || f->kind == K_CX16) {
		avoid[navoid++] = H_RCX;
		avoid[navoid++] = H_RDX;
		avoid[navoid++] = H_RBX;
	}
	if (f->sub < 0) {
		static const uint8_t low[] = {0, 1, 2, 3, 5, 6, 7};
		static const uint8_t rex8[] = {5, 6, 7}; /* SPL would name rsp */

		if (srcsel == 1 && f->byte) {
			src = 4 + rnd() % 4; /* AH, CH, DH, BH: bits 8-15 of rax..rbx */
			high8 = true;
		} else if (srcsel == 2 && f->byte) {
			src = pick(rex8, 3);
			rex40 = true;
		} else if (srcsel == 3) {
			src = 8 + rnd() % 8;
		} else {
			src = pick(low, f->byte ? 4 : 7); /* without REX, 4-7 would be AH-BH */
		}
		avoid[navoid++] = high8 ? src - 4 : src;
	}
	if (am == AM_R12_INDEX && (high8 || in(avoid, navoid, 12))) {
		am = AM_SIB;
	}
	if (am == AM_R12_INDEX) {
		avoid[navoid++] = 12;
	}
	/* High-byte registers exist only without REX: the address uses the low eight. */
	do {
		base = pick(addr_regs, high8 ? 6 : sizeof(addr_regs));
	} while (in(avoid, navoid, base));
	avoid[navoid++] = base;
	do {
		index = pick(addr_regs, high8 ? 6 : sizeof(addr_regs));
	} while (in(avoid, navoid, index));
	if (am == AM_R12_INDEX) {
		index = 12;
	}

	/* The operand: a width-aligned spot inside the entry at TARGET (16-aligned for 16b). */
	off = f->kind == K_CX16 ? 0 : (rnd() % (8 / (width > 8 ? 8 : width))) * width;
	target = (uint64_t)data + TARGET + off;

	/* Legacy prefixes (66 inserted anywhere among them), REX, opcode. */
	for (unsigned int i = 0; i < prefix_sets[p].n; i++) {
		uint8_t x = prefix_sets[p].b[i];

		b[n++] = x;
		if (x == 0x64 || x == 0x65) {
			use_fs = x == 0x64; /* the last one wins; es, cs, ss, ds change nothing */
			use_gs = x == 0x65;
		}
	}
	if (width == 2) {
		unsigned int at = rnd() % (n + 1);

		memmove(b + at + 1, b + at, n - at);
		b[at] = 0x66;
		n++;
	}
	c->seg_base = use_fs ? fs_base : use_gs ? gs_base : 0;
	if (am == AM_RIP && use_fs) {
		am = AM_DISP32; /* the fs base is too far for a 32-bit displacement */
	}
	if ((width == 8 && f->kind != K_CX8) || width == 16) {
		rex |= 8;
	}
	if (f->sub < 0 && src >= 8) {
		rex |= 4;
	}
	/* ModRM and SIB fields for the mode; r12 as a base needs SIB, rbp/r13 a displacement. */
	sib = am == AM_SIB || am == AM_NOBASE || am == AM_R12_INDEX || am == AM_NOINDEX ||
	      (am != AM_RIP && (base & 7) == 4);
	switch (am) {
	case AM_BASE:
		mod = (base & 7) == 5 ? 1 : 0;
		break;
	case AM_DISP8:
	case AM_SIB:
	case AM_NOINDEX:
		mod = 1;
		break;
	case AM_DISP32:
		mod = 2;
		break;
	case AM_R12_INDEX:
		mod = (base & 7) == 5 ? 1 : 0;
		break;
	default: /* AM_NOBASE, AM_RIP: mod 0 with the special base/rm */
		mod = 0;
		break;
	}
	if (sib) {
		rm = 4;
		sib_base = am == AM_NOBASE ? 5 : base & 7;
		sib_index = (am == AM_SIB || am == AM_NOBASE || am == AM_R12_INDEX) ? index & 7 : 4;
		if (am == AM_SIB || am == AM_NOBASE || am == AM_R12_INDEX) {
			rex |= index >= 8 ? 2 : 0; /* index 100 with REX.X is r12 */
		}
		if (am != AM_NOBASE) {
			rex |= base >= 8 ? 1 : 0;
		} else if (!high8) {
			rex |= rnd() & 1; /* REX.B does not make r13 a base here */
		}
	} else if (am == AM_RIP) {
		rm = 5;
		if (!high8) {
			rex |= rnd() & 1; /* nor here */
		}
	} else {
		rm = base & 7;
		rex |= base >= 8 ? 1 : 0;
	}
	if (rex || rex40) {
		b[n++] = 0x40 | rex;
	}
	if (f->opc > 0xff) {
		b[n++] = 0x0f;
	}
	b[n++] = f->opc & 0xff;
	b[n++] = (mod << 6) | ((f->sub < 0 ? src & 7 : (unsigned int)f->sub) << 3) | rm;
	if (sib) {
		b[n++] = (scale << 6) | (sib_index << 3) | sib_base;
	}
	disp_at = n;
	disp_len = mod == 1 ? 1 : (mod == 2 || am == AM_NOBASE || am == AM_RIP) ? 4 : 0;
	n += disp_len;
	imm_len = f->imm == 4 && width == 2 ? 2 : f->imm;
	imm = f->opc == 0x0fba ? rnd() & 0xff : value();
	for (unsigned int i = 0; i < imm_len; i++) {
		b[n + i] = (imm >> (8 * i)) & 0xff;
	}
	n += imm_len;
	c->len = n;

	/* Registers and displacement that put the effective address on target. */
	ea = target - c->seg_base;
	if (disp_len == 1) {
		disp = (uint64_t)(int64_t)(int8_t)(rnd() & 0xff);
	} else if (am == AM_RIP) {
		disp = ea - ((uint64_t)jit + n);
	} else if (disp_len == 4) {
		disp = rnd() & 0x7ffffff8;
	}
	if (am == AM_NOBASE) {
		disp |= ea & 7; /* index << scale must be ea - disp exactly */
		c->regs[index] = (ea - disp) >> scale;
	} else if (am == AM_SIB || am == AM_R12_INDEX) {
		c->regs[index] = rnd() % 1000;
		c->regs[base] = ea - disp - (c->regs[index] << scale);
	} else if (am != AM_RIP) {
		c->regs[base] = ea - disp;
	}
	for (unsigned int i = 0; i < disp_len; i++) {
		b[disp_at + i] = (disp >> (8 * i)) & 0xff;
	}

	/* The operation's inputs. */
	if (f->sub < 0) {
		c->regs[high8 ? src - 4 : src] = value();
	}
	switch (f->kind) {
	case K_CMPXCHG:
		if (rnd() & 1) {
			uint64_t dst = (*(uint64_t *)(data + TARGET) >> (8 * off)) & mask;

			c->regs[H_RAX] = (c->regs[H_RAX] & ~mask) | dst;
		}
		break;
	case K_CX8:
		if (rnd() & 1) {
			uint64_t dst = *(uint64_t *)(data + TARGET);

			c->regs[H_RAX] = (c->regs[H_RAX] & ~0xffffffffULL) | (dst & 0xffffffff);
			c->regs[H_RDX] = (c->regs[H_RDX] & ~0xffffffffULL) | (dst >> 32);
		}
		break;
	case K_CX16:
		if (rnd() & 1) {
			c->regs[H_RAX] = *(uint64_t *)(data + TARGET);
			c->regs[H_RDX] = *(uint64_t *)(data + TARGET + 8);
		}
		break;
	case K_BTREG: {
		/* A signed bit offset within +-1000 bytes of the operand; the upper bits are noise.
		 */
		int64_t bitoff = (int64_t)(rnd() % 16001) - 8000;

		c->regs[src] = (rnd() & ~mask) | ((uint64_t)bitoff & mask);
		break;
	}
	default:
		break;
	}
	snprintf(c->what, sizeof(c->what), "%s, %u bytes, %s, prefix set %u, source %s%u", f->name,
		 width, am_names[am], p,
		 high8	 ? "high8 "
		 : rex40 ? "rex "
			 : "",
		 src);
}

/* Every form of a family at every width x every prefix set x every addressing mode. */
static void run_family(const char *family)
{
	unsigned int count = 0;

	if (!setup()) {
		return;
	}
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		const struct fdesc *f = &forms[i];
		static const unsigned int widths_full[] = {2, 4, 8};
		const unsigned int *widths = widths_full;
		unsigned int nw = 3, one;

		if (strcmp(f->family, family)) {
			continue;
		}
		if (f->byte || f->kind == K_CX8 || f->kind == K_CX16) {
			one = f->byte ? 1 : f->kind == K_CX8 ? 8 : 16;
			widths = &one;
			nw = 1;
		}
		for (unsigned int w = 0; w < nw; w++) {
			for (unsigned int p = 0; p < NR_PREFIX_SETS; p++) {
				if (prefix_sets[p].lock && !f->lockable) {
					continue;
				}
				for (unsigned int am = 0; am < AM_NR; am++) {
					for (unsigned int s = 0; s < 4; s++) {
						struct built c;

						build(&c, f, widths[w], p, (enum amode)am, s);
						if (!compare_with_cpu(c.what, c.code, c.len, c.regs,
								      f->flags)) {
							teardown();
							return;
						}
						count++;
					}
				}
			}
		}
	}
	teardown();
	EXPECT(count > 0);
}

static void test_mov(void)
{
	run_family("mov");
}

static void test_add(void)
{
	run_family("add");
}

static void test_or(void)
{
	run_family("or");
}

static void test_and(void)
{
	run_family("and");
}

static void test_sub(void)
{
	run_family("sub");
}

static void test_xor(void)
{
	run_family("xor");
}

static void test_bt(void)
{
	run_family("bt");
}

static void test_xadd(void)
{
	run_family("xadd");
}

static void test_xchg(void)
{
	run_family("xchg");
}

static void test_cmpxchg(void)
{
	run_family("cmpxchg");
}

static void test_cmpxchg8b(void)
{
	run_family("cmpxchg8b");
}

/* Only the failing compare completes (rdx:rax loaded, ZF clear); a write is refused. */
static void test_cmpxchg16b(void)
{
	run_family("cmpxchg16b");
}

/* ---- Hand-written cases ---- */

/* The instruction Debian's Linux oopsed on at fork: ds and byte [r15], 0xfd. */
static void test_linux_wrprotect(void)
{
	static const uint8_t up[] = {0x3e, 0x41, 0x80, 0x27, 0xfd};
	static const uint8_t smp[] = {0xf0, 0x41, 0x80, 0x27, 0xfd};
	const uint8_t *v[2] = {up, smp};

	if (!setup()) {
		return;
	}
	for (unsigned int i = 0; i < 2; i++) {
		uint64_t regs[H_NR] = {0};
		struct ptwr_insn insn;

		EXPECT_EQ(ptwr_decode(v[i], 5, &insn), 0);
		EXPECT_EQ(insn.op, PTWR_AND);
		EXPECT_EQ(insn.width, 1);
		EXPECT_EQ(insn.base, 15);
		EXPECT_EQ(insn.lock, i == 1);
		regs[15] = (uint64_t)data + TARGET;
		regs[H_RFLAGS] = 2;
		*(uint64_t *)(data + TARGET) = 0x8000000012345067ULL;
		compare_with_cpu("clear_bit(_PAGE_BIT_RW)", v[i], 5, regs, LOGIC);
		EXPECT_EQ(*(uint64_t *)(data + TARGET), 0x8000000012345065ULL);
	}
	teardown();
}

/* Operands anywhere inside the entry, not only naturally aligned (Xen takes only the latter). */
static void test_unaligned_inside_entry(void)
{
	static const struct {
		uint8_t code[8];
		unsigned int len, off;
	} c[] = {
	    {{0x66, 0x89, 0x03}, 3, 1},	      /* mov [rbx], ax at +1 */
	    {{0x89, 0x03}, 2, 3},	      /* mov [rbx], eax at +3 */
	    {{0x66, 0x83, 0x03, 0x7f}, 4, 5}, /* add word [rbx], 0x7f at +5 */
	    {{0x0f, 0xc1, 0x03}, 3, 1},	      /* xadd [rbx], eax at +1 */
	};

	if (!setup()) {
		return;
	}
	for (unsigned int i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		uint64_t regs[H_NR];

		for (unsigned int j = 0; j < H_NR; j++) {
			regs[j] = rnd();
		}
		regs[H_RFLAGS] = 2;
		regs[H_RBX] = (uint64_t)data + TARGET + c[i].off;
		compare_with_cpu("unaligned inside the entry", c[i].code, c[i].len, regs, ARITH);
	}
	teardown();
}

/* A REX prefix followed by a legacy prefix is ignored, as on the CPU. */
static void test_rex_not_last(void)
{
	static const uint8_t code[] = {0x48, 0x3e, 0x89, 0x03}; /* 32-bit mov, not 64 */
	uint64_t regs[H_NR];
	struct ptwr_insn insn;

	if (!setup()) {
		return;
	}
	for (unsigned int j = 0; j < H_NR; j++) {
		regs[j] = rnd();
	}
	regs[H_RFLAGS] = 2;
	regs[H_RBX] = (uint64_t)data + TARGET;
	EXPECT_EQ(ptwr_decode(code, sizeof(code), &insn), 0);
	EXPECT_EQ(insn.width, 4);
	compare_with_cpu("REX before ds", code, sizeof(code), regs, ARITH);
	teardown();
}

/* Addresses the host cannot run safely: rsp-based ones; checked by hand. */
static void test_rsp_addressing(void)
{
	static const uint8_t a[] = {0x48, 0x89, 0x44, 0x24, 0x08}; /* mov [rsp+8], rax */
	static const uint8_t b[] = {0x89, 0x04, 0x64};		   /* mov [rsp+riz*2]: no index */
	static const uint8_t c[] = {0x65, 0x88, 0x64, 0x8c, 0xf0}; /* mov gs:[rsp+rcx*4-16], ah */
	struct ptwr_insn insn;
	struct cpu_regs r;

	memset(&r, 0, sizeof(r));
	r.rsp = 0x1000;
	r.rcx = 3;
	EXPECT_EQ(ptwr_decode(a, sizeof(a), &insn), 0);
	EXPECT_EQ(ptwr_insn_addr(&insn, &r, 0), 0x1008);
	EXPECT_EQ(ptwr_decode(b, sizeof(b), &insn), 0);
	EXPECT_EQ(insn.index, PTWR_REG_NONE);
	EXPECT_EQ(ptwr_insn_addr(&insn, &r, 0), 0x1000);
	EXPECT_EQ(ptwr_decode(c, sizeof(c), &insn), 0);
	EXPECT_EQ(insn.seg, PTWR_SEG_GS);
	EXPECT(insn.src_high8 && insn.src == 0);
	EXPECT_EQ(ptwr_insn_addr(&insn, &r, 0x10000), 0x10000 + 0x1000 + 12 - 16);
}

/* Everything that is not one of the forms is refused with -EINVAL. */
static void test_refused_forms(void)
{
	static const struct {
		const char *what;
		uint8_t b[8];
		unsigned int n;
	} bad[] = {
	    {"mov r, r/m (8b): a read", {0x8b, 0x03}, 2},
	    {"inc r/m (ff /0)", {0x48, 0xff, 0x03}, 3},
	    {"not r/m (f7 /2)", {0xf7, 0x13}, 2},
	    {"adc r/m, imm8 (80 /2)", {0x80, 0x13, 0x01}, 3},
	    {"sbb r/m, imm8 (83 /3)", {0x83, 0x1b, 0x01}, 3},
	    {"cmp r/m, imm8 (80 /7)", {0x80, 0x3b, 0x01}, 3},
	    {"adc r/m, r (11)", {0x11, 0x03}, 2},
	    {"bt r/m, r (0f a3)", {0x0f, 0xa3, 0x03}, 3},
	    {"bt r/m, imm8 (0f ba /4)", {0x0f, 0xba, 0x23, 0x01}, 4},
	    {"0f ba /0", {0x0f, 0xba, 0x03, 0x01}, 4},
	    {"mov r/m, imm /1 (c7 /1)", {0xc7, 0x0b, 1, 2, 3, 4}, 6},
	    {"cmpxchg8b /0 (0f c7 /0)", {0x0f, 0xc7, 0x03}, 3},
	    {"rdrand (0f c7 /6, register)", {0x0f, 0xc7, 0xf0}, 3},
	    {"cmpxchg8b with 66", {0x66, 0x0f, 0xc7, 0x0b}, 4},
	    {"lock mov (f0 89)", {0xf0, 0x89, 0x03}, 3},
	    {"lock mov imm (f0 c6)", {0xf0, 0xc6, 0x03, 0x01}, 4},
	    {"register destination (89 c3)", {0x89, 0xc3}, 2},
	    {"register destination (80 e3)", {0x80, 0xe3, 0xfd}, 3},
	    {"address size 67", {0x67, 0x89, 0x03}, 3},
	    {"rep f3", {0xf3, 0x89, 0x03}, 3},
	    {"repne f2", {0xf2, 0x0f, 0xb1, 0x0b}, 4},
	    {"stos (aa)", {0xaa}, 1},
	    {"push (ff /6)", {0xff, 0x33}, 2},
	    {"0f 0b (ud2)", {0x0f, 0x0b}, 2},
	};
	struct ptwr_insn insn;

	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = ptwr_decode(bad[i].b, bad[i].n, &insn);

		if (rc != -EINVAL) {
			hvt_fail(__FILE__, __LINE__, "%s: %d, not -EINVAL", bad[i].what, rc);
		}
	}
}

/* Every proper prefix of a valid instruction is -EFAULT (truncated), the whole is 0. */
static void test_truncated(void)
{
	static const struct {
		uint8_t b[PTWR_INSN_MAX];
		unsigned int n;
	} ok[] = {
	    {{0x3e, 0x41, 0x80, 0x27, 0xfd}, 5},
	    {{0xf0, 0x48, 0x0f, 0xb1, 0x8c, 0x88, 0x78, 0x56, 0x34, 0x12}, 10},
	    {{0x65, 0x66, 0xc7, 0x05, 1, 2, 3, 4, 0x55, 0xaa}, 10},
	    {{0x48, 0x81, 0x84, 0x24, 1, 2, 3, 4, 5, 6, 7, 8}, 12},
	    {{0x48, 0x0f, 0xba, 0x6b, 0x10, 0x05}, 6},
	};
	struct ptwr_insn insn;

	for (unsigned int i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		EXPECT_EQ(ptwr_decode(ok[i].b, ok[i].n, &insn), 0);
		EXPECT_EQ(insn.len, ok[i].n);
		for (unsigned int n = 0; n < ok[i].n; n++) {
			EXPECT_EQ(ptwr_decode(ok[i].b, n, &insn), -EFAULT);
		}
	}
}

/* 15 bytes is the limit: prefixes that push an instruction past it are -EINVAL. */
static void test_too_long(void)
{
	uint8_t b[PTWR_INSN_MAX + 4];
	struct ptwr_insn insn;

	memset(b, 0x3e, sizeof(b));
	b[13] = 0x89;
	b[14] = 0x03;
	EXPECT_EQ(ptwr_decode(b, PTWR_INSN_MAX, &insn), 0); /* 13 prefixes: 15 bytes */
	EXPECT_EQ(insn.len, 15);
	memset(b, 0x3e, sizeof(b));
	b[14] = 0x89;
	b[15] = 0x03;
	EXPECT_EQ(ptwr_decode(b, sizeof(b), &insn), -EINVAL);
	memset(b, 0x3e, sizeof(b));
	EXPECT_EQ(ptwr_decode(b, sizeof(b), &insn), -EINVAL); /* prefixes only */
}

/* An operand that is not inside one entry is refused and leaves the registers alone. */
static void test_outside_entry(void)
{
	static const struct {
		const char *what;
		uint8_t b[8];
		unsigned int n;
		uint64_t addr;
	} c[] = {
	    {"dword at +6", {0x89, 0x03}, 2, 0x1006},
	    {"word at +7", {0x66, 0x89, 0x03}, 3, 0x1007},
	    {"qword at +1", {0x48, 0x89, 0x03}, 3, 0x1001},
	    {"xchg qword at +4", {0x48, 0x87, 0x03}, 3, 0x1004},
	    {"cmpxchg8b at +4", {0x0f, 0xc7, 0x0b}, 3, 0x1004},
	    {"cmpxchg16b at +8", {0x48, 0x0f, 0xc7, 0x0b}, 4, 0x1008},
	};
	const uint64_t cur[2] = {0x1111, 0x2222};

	for (unsigned int i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct ptwr_insn insn;
		struct cpu_regs r, before;
		uint64_t next = 0x5a5a;

		memset(&r, 0x77, sizeof(r));
		before = r;
		EXPECT_EQ(ptwr_decode(c[i].b, c[i].n, &insn), 0);
		if (ptwr_apply(&insn, &r, c[i].addr, cur, &next) != -EINVAL) {
			hvt_fail(__FILE__, __LINE__, "%s: not refused", c[i].what);
		}
		EXPECT(memcmp(&r, &before, sizeof(r)) == 0);
		EXPECT_EQ(next, 0x5a5a);
	}
}

/* cmpxchg16b whose compare succeeds would write two entries: refused, nothing changed. */
static void test_cmpxchg16b_write_refused(void)
{
	static const uint8_t b[] = {0xf0, 0x48, 0x0f, 0xc7, 0x0b};
	const uint64_t cur[2] = {0x1111, 0x2222};
	struct ptwr_insn insn;
	struct cpu_regs r, before;
	uint64_t next = 0;

	memset(&r, 0, sizeof(r));
	r.rax = 0x1111;
	r.rdx = 0x2222;
	r.rflags = 2;
	before = r;
	EXPECT_EQ(ptwr_decode(b, sizeof(b), &insn), 0);
	EXPECT_EQ(insn.width, 16);
	EXPECT_EQ(ptwr_apply(&insn, &r, 0x1000, cur, &next), -EOPNOTSUPP);
	EXPECT(memcmp(&r, &before, sizeof(r)) == 0);
	r.rdx = 0x2223;
	EXPECT_EQ(ptwr_apply(&insn, &r, 0x1000, cur, &next), 0);
	EXPECT_EQ(r.rax, 0x1111);
	EXPECT_EQ(r.rdx, 0x2222);
	EXPECT_EQ(r.rflags & PTWR_FLAG_ZF, 0);
}

/* Random bytes: never a crash; whatever decodes is within bounds and applies cleanly. */
static void test_random_bytes(void)
{
	unsigned int decoded = 0;

	for (unsigned int i = 0; i < 200000; i++) {
		uint8_t b[PTWR_INSN_MAX];
		struct ptwr_insn insn;
		struct cpu_regs r;
		uint64_t cur[2] = {rnd(), rnd()}, next, addr;
		unsigned int n = rnd() % (PTWR_INSN_MAX + 1);
		int rc;

		for (unsigned int j = 0; j < PTWR_INSN_MAX; j++) {
			/* Bias towards the opcodes and prefixes of interest. */
			static const uint8_t hot[] = {0x0f, 0x48, 0x66, 0xf0, 0x3e, 0x64, 0x80,
						      0x89, 0xc7, 0xba, 0xb1, 0xc1, 0x87, 0x21};
			b[j] = rnd() & 1 ? hot[rnd() % sizeof(hot)] : rnd() & 0xff;
		}
		rc = ptwr_decode(b, n, &insn);
		if (rc == 0) {
			decoded++;
			if (insn.len == 0 || insn.len > n || insn.len > PTWR_INSN_MAX ||
			    (insn.width != 1 && insn.width != 2 && insn.width != 4 &&
			     insn.width != 8 && insn.width != 16)) {
				hvt_fail(__FILE__, __LINE__, "bad decode: len %u width %u",
					 insn.len, insn.width);
				return;
			}
			memset(&r, 0, sizeof(r));
			for (unsigned int k = 0; k < 16; k++) {
				*reg_slot(&r, k) = rnd();
			}
			addr = ptwr_insn_addr(&insn, &r, rnd());
			rc = ptwr_apply(&insn, &r, addr, cur, &next);
			EXPECT(rc == 0 || rc == 1 || rc == -EINVAL || rc == -EOPNOTSUPP);
		} else if (rc != -EINVAL && rc != -EFAULT) {
			hvt_fail(__FILE__, __LINE__, "decode returned %d", rc);
			return;
		}
	}
	EXPECT(decoded > 1000);
}

static const struct hvt_case cases[] = {
    {"mov: 88, 89, c6, c7 against the CPU", test_mov},
    {"add: 00, 01, 80/81/83 /0 against the CPU", test_add},
    {"or: 08, 09, 80/81/83 /1 against the CPU", test_or},
    {"and: 20, 21, 80/81/83 /4 against the CPU", test_and},
    {"sub: 28, 29, 80/81/83 /5 against the CPU", test_sub},
    {"xor: 30, 31, 80/81/83 /6 against the CPU", test_xor},
    {"bts/btr/btc: 0f ab/b3/bb, 0f ba /5-7 against the CPU", test_bt},
    {"xadd: 0f c0/c1 against the CPU", test_xadd},
    {"xchg: 86, 87 against the CPU", test_xchg},
    {"cmpxchg: 0f b0/b1, both outcomes, against the CPU", test_cmpxchg},
    {"cmpxchg8b: 0f c7 /1, both outcomes, against the CPU", test_cmpxchg8b},
    {"cmpxchg16b: failing compare as the CPU, writes refused", test_cmpxchg16b},
    {"Linux clear_bit: ds/lock and byte [r15], 0xfd", test_linux_wrprotect},
    {"unaligned operands inside one entry", test_unaligned_inside_entry},
    {"REX before a legacy prefix is ignored", test_rex_not_last},
    {"rsp-based and gs addressing", test_rsp_addressing},
    {"other opcodes, lock mov, register destinations, 67/f2/f3 refused", test_refused_forms},
    {"truncated instructions are -EFAULT", test_truncated},
    {"instructions over 15 bytes refused", test_too_long},
    {"operands outside one entry refused, registers untouched", test_outside_entry},
    {"cmpxchg16b two-entry write refused", test_cmpxchg16b_write_refused},
    {"200000 random byte strings", test_random_bytes},
};

const struct hvt_group group_ptwr = HVT_GROUP("ptwr", cases);
