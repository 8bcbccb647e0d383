/*
 * The instructions a PV guest kernel may use to write into its own page
 * tables, decoded and performed on one entry (pv/ptwr_decode.c). Portable
 * C with no guest access, so the host unit tests run it against the CPU:
 * pv/ptwr.c fetches the bytes, picks the entry and installs the result
 * through mm_update_entry.
 *
 * Taken, in 64-bit mode, with a memory destination only:
 *   mov r/m,reg (88/89) and r/m,imm (C6/C7 /0); add, or, and, sub, xor
 *   r/m,reg (00/01, 08/09, 20/21, 28/29, 30/31) and r/m,imm (80/81/83
 *   /0 /1 /4 /5 /6); bts, btr, btc r/m,reg (0F AB/B3/BB) and r/m,imm8
 *   (0F BA /5 /6 /7); xadd (0F C0/C1); xchg (86/87); cmpxchg (0F B0/B1);
 *   cmpxchg8b and cmpxchg16b (0F C7 /1, REX.W for 16b).
 * Prefixes: lock (only where the CPU allows it), the segment overrides
 * (fs and gs add their base, the others are flat), operand size 66, REX.
 * Anything else (address size 67, rep F2/F3, other opcodes) is refused.
 */
#ifndef PALISADE_ASM_PTWR_DECODE_H
#define PALISADE_ASM_PTWR_DECODE_H

#include <asm/traps.h>
#include <types.h>

/* The longest x86 instruction; longer ones raise #GP on the CPU. */
#define PTWR_INSN_MAX 15

/* The RFLAGS bits these instructions define. */
#define PTWR_FLAG_CF (1ULL << 0)
#define PTWR_FLAG_PF (1ULL << 2)
#define PTWR_FLAG_AF (1ULL << 4)
#define PTWR_FLAG_ZF (1ULL << 6)
#define PTWR_FLAG_SF (1ULL << 7)
#define PTWR_FLAG_OF (1ULL << 11)
#define PTWR_FLAGS_ARITH                                                                           \
	(PTWR_FLAG_CF | PTWR_FLAG_PF | PTWR_FLAG_AF | PTWR_FLAG_ZF | PTWR_FLAG_SF | PTWR_FLAG_OF)

enum ptwr_op {
	PTWR_MOV,
	PTWR_ADD,
	PTWR_OR,
	PTWR_AND,
	PTWR_SUB,
	PTWR_XOR,
	PTWR_BTS,
	PTWR_BTR,
	PTWR_BTC,
	PTWR_XADD,
	PTWR_XCHG,
	PTWR_CMPXCHG,
	PTWR_CMPXCHG8B,
	PTWR_CMPXCHG16B,
};

enum ptwr_seg {
	PTWR_SEG_FLAT, /* none, es, cs, ss, ds: base 0 in 64-bit mode */
	PTWR_SEG_FS,
	PTWR_SEG_GS,
};

/* A register field that names no register. */
#define PTWR_REG_NONE 0xffU

/* Registers are numbered as in ModRM with REX: 0 rax, 1 rcx, ... 15 r15. */
struct ptwr_insn {
	enum ptwr_op op;
	enum ptwr_seg seg;
	uint8_t len;   /* bytes, prefixes included */
	uint8_t width; /* of the memory operand: 1, 2, 4, 8 or 16 */
	bool lock;
	/* The source: a register, or (src == PTWR_REG_NONE) imm. */
	uint8_t src;
	bool src_high8; /* src 0-3 means AH, CH, DH, BH (a byte form without REX) */
	uint64_t imm;	/* sign-extended to 64 bits as the encoding says */
	/* The memory operand: [base + (index << scale) + disp], or [rip + disp]. */
	uint8_t base, index, scale;
	bool rip_rel;
	uint64_t disp;
};

/*
 * Decodes the instruction in buf[0..n). 0 and *insn filled; -EFAULT if it
 * needs more than n bytes (the rest could not be fetched); -EINVAL if it
 * is not one of the forms above (or is longer than PTWR_INSN_MAX).
 */
int ptwr_decode(const uint8_t *buf, unsigned int n, struct ptwr_insn *insn);

/*
 * The linear address the instruction writes: its effective address (RIP-
 * relative from the end of the instruction at r->rip) plus seg_base, the
 * base of insn->seg; for bts/btr/btc with a register, moved by the signed
 * bit offset to the operand-sized word that holds the bit, as the CPU does.
 */
uint64_t ptwr_insn_addr(const struct ptwr_insn *insn, const struct cpu_regs *r, uint64_t seg_base);

/*
 * Performs the instruction on the 8-byte entry cur[0] that holds addr (the
 * result of ptwr_insn_addr); cur[1] is the next entry, read by cmpxchg16b
 * only. Sets *next to the new entry and updates the registers and rflags
 * in r as the CPU would (rip excepted). Returns 1 if the entry is written,
 * 0 if not (a failed compare), -EINVAL if the operand does not lie inside
 * the entry (cmpxchg16b: 16-byte aligned, two entries), -EOPNOTSUPP for a
 * cmpxchg16b that would write two entries, which is refused as Xen does;
 * r is unchanged on error.
 */
int ptwr_apply(const struct ptwr_insn *insn, struct cpu_regs *r, uint64_t addr,
	       const uint64_t cur[2], uint64_t *next);

#endif /* PALISADE_ASM_PTWR_DECODE_H */
