/*
 * Decoding and performing the writes a PV kernel makes into its page
 * tables (asm/ptwr_decode.h). Plain C on plain data: it never touches
 * guest memory or page tables, so it runs on the host in hv-unit, where
 * each form is checked against the CPU executing the same bytes.
 *
 * The instruction set is the one Linux's mm code uses on PTEs (mov,
 * xchg, cmpxchg, the lock-prefixed byte and/or of set_bit/clear_bit, bts
 * and btr of the test_and_* bitops) and the rest of what Xen's emulator
 * would take as a write to one entry. The CPU already checked what it
 * checks before the fault (canonical address, alignment of cmpxchg16b,
 * privilege), but the bytes are read again after the fault and may have
 * changed, so nothing is assumed of them: every field is decoded anew and
 * anything unexpected is refused.
 */
#include <asm/ptwr_decode.h>
#include <public/errno.h>

#define REX_W 8
#define REX_R 4
#define REX_X 2
#define REX_B 1

struct cursor {
	const uint8_t *p;
	unsigned int n, i;
};

/* The next k bytes, little-endian. */
static int take(struct cursor *c, unsigned int k, uint64_t *v)
{
	uint64_t x = 0;

	if (c->i + k > PTWR_INSN_MAX) {
		return -EINVAL;
	}
	if (c->i + k > c->n) {
		return -EFAULT;
	}
	for (unsigned int j = 0; j < k; j++) {
		x |= (uint64_t)c->p[c->i + j] << (8 * j);
	}
	c->i += k;
	*v = x;
	return 0;
}

static uint64_t width_mask(unsigned int bytes)
{
	return bytes >= 8 ? ~0ULL : (1ULL << (8 * bytes)) - 1;
}

static uint64_t sign_extend(uint64_t v, unsigned int bytes)
{
	uint64_t m = 1ULL << (8 * bytes - 1);

	return ((v & width_mask(bytes)) ^ m) - m;
}

static uint64_t *gpr(struct cpu_regs *r, unsigned int n)
{
	uint64_t *const regs[16] = {&r->rax, &r->rcx, &r->rdx, &r->rbx, &r->rsp, &r->rbp,
				    &r->rsi, &r->rdi, &r->r8,  &r->r9,	&r->r10, &r->r11,
				    &r->r12, &r->r13, &r->r14, &r->r15};

	return regs[n & 15];
}

static uint64_t gpr_read(const struct cpu_regs *r, unsigned int n)
{
	return *gpr((struct cpu_regs *)r, n);
}

/* A register write of width bytes: 32-bit writes zero the upper half, 8/16-bit keep it. */
static void gpr_write(struct cpu_regs *r, unsigned int n, bool high8, unsigned int width,
		      uint64_t v)
{
	uint64_t *p = gpr(r, n);

	if (width == 1 && high8) {
		*p = (*p & ~0xff00ULL) | ((v & 0xff) << 8);
	} else if (width <= 2) {
		*p = (*p & ~width_mask(width)) | (v & width_mask(width));
	} else {
		*p = v & width_mask(width);
	}
}

/* ModRM (already read), then SIB and displacement: the memory operand. */
static int decode_mem(struct cursor *c, unsigned int modrm, unsigned int rex,
		      struct ptwr_insn *insn)
{
	unsigned int mod = modrm >> 6, rm = modrm & 7;
	uint64_t sib, disp = 0;
	int rc;

	insn->base = PTWR_REG_NONE;
	insn->index = PTWR_REG_NONE;
	insn->scale = 0;
	insn->rip_rel = false;
	if (mod == 3) {
		/* A register destination cannot be what faulted on a page table. */
		return -EINVAL;
	}
	if (rm == 4) {
		rc = take(c, 1, &sib);
		if (rc) {
			return rc;
		}
		insn->scale = sib >> 6;
		/* Index 100 without REX.X means none; with it, r12. */
		if (((sib >> 3) & 7) != 4 || (rex & REX_X)) {
			insn->index = ((sib >> 3) & 7) | (rex & REX_X ? 8 : 0);
		}
		if ((sib & 7) == 5 && mod == 0) {
			mod = 2; /* no base, disp32 (REX.B does not matter) */
		} else {
			insn->base = (sib & 7) | (rex & REX_B ? 8 : 0);
		}
	} else if (rm == 5 && mod == 0) {
		insn->rip_rel = true; /* rip + disp32, whatever REX.B says */
		mod = 2;
	} else {
		insn->base = rm | (rex & REX_B ? 8 : 0);
	}
	if (mod == 1) {
		rc = take(c, 1, &disp);
		disp = sign_extend(disp, 1);
	} else if (mod == 2) {
		rc = take(c, 4, &disp);
		disp = sign_extend(disp, 4);
	} else {
		rc = 0;
	}
	insn->disp = disp;
	return rc;
}

/* add, or, adc, sbb, and, sub, xor, cmp by ModRM.reg or opcode bits 3-5; adc, sbb, cmp refused. */
static int alu_op(unsigned int n, enum ptwr_op *op)
{
	static const int ops[8] = {PTWR_ADD, PTWR_OR, -1, -1, PTWR_AND, PTWR_SUB, PTWR_XOR, -1};

	if (ops[n & 7] < 0) {
		return -EINVAL;
	}
	*op = (enum ptwr_op)ops[n & 7];
	return 0;
}

/* How the opcode was written; filled in before ModRM is read. */
struct form {
	bool byte;	     /* 8-bit operand */
	bool reg_src;	     /* ModRM.reg is the source register */
	unsigned int imm;    /* immediate bytes: 0, 1, or 4 (2 with 66) */
	bool group;	     /* op chosen by ModRM.reg */
	bool lockable;	     /* lock is allowed */
	unsigned int opcode; /* 0x0f00 | byte for the two-byte map */
};

static int decode_form(unsigned int opc, struct form *f, enum ptwr_op *op)
{
	*f = (struct form){.lockable = true};
	switch (opc) {
	case 0x00:
	case 0x01:
	case 0x08:
	case 0x09:
	case 0x20:
	case 0x21:
	case 0x28:
	case 0x29:
	case 0x30:
	case 0x31:
		f->byte = !(opc & 1);
		f->reg_src = true;
		return alu_op(opc >> 3, op);
	case 0x88:
	case 0x89:
		f->byte = opc == 0x88;
		f->reg_src = true;
		f->lockable = false;
		*op = PTWR_MOV;
		return 0;
	case 0x86:
	case 0x87:
		f->byte = opc == 0x86;
		f->reg_src = true;
		*op = PTWR_XCHG;
		return 0;
	case 0x80:
	case 0x81:
	case 0x83:
		f->byte = opc == 0x80;
		f->imm = opc == 0x81 ? 4 : 1;
		f->group = true;
		return 0;
	case 0xc6:
	case 0xc7:
		f->byte = opc == 0xc6;
		f->imm = opc == 0xc7 ? 4 : 1;
		f->group = true;
		f->lockable = false;
		*op = PTWR_MOV;
		return 0;
	case 0x0fab:
	case 0x0fb3:
	case 0x0fbb:
		f->reg_src = true;
		*op = opc == 0x0fab ? PTWR_BTS : opc == 0x0fb3 ? PTWR_BTR : PTWR_BTC;
		return 0;
	case 0x0fba:
		f->imm = 1;
		f->group = true;
		return 0;
	case 0x0fc0:
	case 0x0fc1:
		f->byte = opc == 0x0fc0;
		f->reg_src = true;
		*op = PTWR_XADD;
		return 0;
	case 0x0fb0:
	case 0x0fb1:
		f->byte = opc == 0x0fb0;
		f->reg_src = true;
		*op = PTWR_CMPXCHG;
		return 0;
	case 0x0fc7:
		f->group = true;
		*op = PTWR_CMPXCHG8B;
		return 0;
	default:
		return -EINVAL;
	}
}

/* The group opcodes' operation, from ModRM.reg. */
static int decode_group(unsigned int opc, unsigned int reg, unsigned int rex, bool opsize,
			enum ptwr_op *op)
{
	switch (opc) {
	case 0x80:
	case 0x81:
	case 0x83:
		return alu_op(reg, op);
	case 0xc6:
	case 0xc7:
		return reg == 0 ? 0 : -EINVAL;
	case 0x0fba:
		if (reg < 5) {
			return -EINVAL; /* /4 is bt, which does not write */
		}
		*op = reg == 5 ? PTWR_BTS : reg == 6 ? PTWR_BTR : PTWR_BTC;
		return 0;
	default: /* 0x0fc7 */
		if (reg != 1 || opsize) {
			return -EINVAL;
		}
		*op = rex & REX_W ? PTWR_CMPXCHG16B : PTWR_CMPXCHG8B;
		return 0;
	}
}

int ptwr_decode(const uint8_t *buf, unsigned int n, struct ptwr_insn *insn)
{
	struct cursor c = {.p = buf, .n = n, .i = 0};
	unsigned int rex = 0, opc;
	bool opsize = false;
	struct form f;
	uint64_t b, modrm, imm;
	int rc;

	*insn = (struct ptwr_insn){.seg = PTWR_SEG_FLAT, .src = PTWR_REG_NONE};
	for (;;) {
		rc = take(&c, 1, &b);
		if (rc) {
			return rc;
		}
		if ((b & 0xf0) == 0x40) {
			rex = b;
			continue;
		}
		switch (b) {
		case 0xf0:
			insn->lock = true;
			break;
		case 0x26:
		case 0x2e:
		case 0x36:
		case 0x3e:
			/* Ignored in 64-bit mode: they do not even undo an fs or gs override. */
			break;
		case 0x64:
			insn->seg = PTWR_SEG_FS;
			break;
		case 0x65:
			insn->seg = PTWR_SEG_GS;
			break;
		case 0x66:
			opsize = true;
			break;
		default:
			goto opcode;
		}
		/* A REX prefix counts only right before the opcode. */
		rex = 0;
	}
opcode:
	opc = b;
	if (opc == 0x0f) {
		rc = take(&c, 1, &b);
		if (rc) {
			return rc;
		}
		opc = 0x0f00 | b;
	}
	rc = decode_form(opc, &f, &insn->op);
	if (rc) {
		return rc;
	}
	rc = take(&c, 1, &modrm);
	if (rc) {
		return rc;
	}
	if (f.group) {
		rc = decode_group(opc, (modrm >> 3) & 7, rex, opsize, &insn->op);
		if (rc) {
			return rc;
		}
	}
	if (insn->lock && !f.lockable) {
		return -EINVAL; /* #UD on the CPU */
	}
	if (f.reg_src) {
		insn->src = ((modrm >> 3) & 7) | (rex & REX_R ? 8 : 0);
		insn->src_high8 = f.byte && !rex && insn->src >= 4;
		if (insn->src_high8) {
			insn->src -= 4;
		}
	}
	if (insn->op == PTWR_CMPXCHG16B) {
		insn->width = 16;
	} else if (insn->op == PTWR_CMPXCHG8B) {
		insn->width = 8;
	} else {
		insn->width = f.byte ? 1 : rex & REX_W ? 8 : opsize ? 2 : 4;
	}
	rc = decode_mem(&c, modrm, rex, insn);
	if (rc) {
		return rc;
	}
	if (f.imm) {
		unsigned int k = f.imm == 4 && insn->width == 2 ? 2 : f.imm;

		rc = take(&c, k, &imm);
		if (rc) {
			return rc;
		}
		/* imm8 of bt* is a bit number; every other immediate is signed. */
		insn->imm = opc == 0x0fba ? imm : sign_extend(imm, k);
	}
	insn->len = c.i;
	return 0;
}

uint64_t ptwr_insn_addr(const struct ptwr_insn *insn, const struct cpu_regs *r, uint64_t seg_base)
{
	uint64_t ea = insn->disp + seg_base;

	if (insn->rip_rel) {
		ea += r->rip + insn->len;
	}
	if (insn->base != PTWR_REG_NONE) {
		ea += gpr_read(r, insn->base);
	}
	if (insn->index != PTWR_REG_NONE) {
		ea += gpr_read(r, insn->index) << insn->scale;
	}
	if ((insn->op == PTWR_BTS || insn->op == PTWR_BTR || insn->op == PTWR_BTC) &&
	    insn->src != PTWR_REG_NONE) {
		/* A signed bit offset: the word floor(offset / bits) away from ea. */
		int64_t off = (int64_t)sign_extend(gpr_read(r, insn->src), insn->width);
		int64_t bits = insn->width * 8;
		int64_t words = off >= 0 ? off / bits : -((-(off + 1)) / bits) - 1;

		ea += (uint64_t)words * insn->width;
	}
	return ea;
}

static bool parity_even(uint64_t v)
{
	v &= 0xff;
	v ^= v >> 4;
	v ^= v >> 2;
	v ^= v >> 1;
	return !(v & 1);
}

/* ZF, SF and PF of res (masked to bits). */
static uint64_t result_flags(uint64_t res, unsigned int bits)
{
	uint64_t f = 0;

	if (!res) {
		f |= PTWR_FLAG_ZF;
	}
	if ((res >> (bits - 1)) & 1) {
		f |= PTWR_FLAG_SF;
	}
	if (parity_even(res)) {
		f |= PTWR_FLAG_PF;
	}
	return f;
}

/* The flags of a + b = res or (sub) a - b = res, operands masked to bits. */
static uint64_t arith_flags(uint64_t a, uint64_t b, uint64_t res, unsigned int bits, bool sub)
{
	uint64_t f = result_flags(res, bits);
	uint64_t overflow = sub ? (a ^ b) & (a ^ res) : ~(a ^ b) & (a ^ res);

	if (sub ? a < b : res < a) {
		f |= PTWR_FLAG_CF;
	}
	if ((overflow >> (bits - 1)) & 1) {
		f |= PTWR_FLAG_OF;
	}
	if ((a ^ b ^ res) & 0x10) {
		f |= PTWR_FLAG_AF;
	}
	return f;
}

/* cmpxchg16b: only the failing compare completes; a write of two entries is refused. */
static int apply_cmpxchg16b(struct cpu_regs *r, uint64_t addr, const uint64_t cur[2])
{
	if (addr & 15) {
		return -EINVAL;
	}
	if (cur[0] == r->rax && cur[1] == r->rdx) {
		return -EOPNOTSUPP;
	}
	r->rax = cur[0];
	r->rdx = cur[1];
	r->rflags &= ~PTWR_FLAG_ZF;
	return 0;
}

int ptwr_apply(const struct ptwr_insn *insn, struct cpu_regs *r, uint64_t addr,
	       const uint64_t cur[2], uint64_t *next)
{
	unsigned int width = insn->width, bits = width * 8, shift = (addr & 7) * 8;
	uint64_t mask = width_mask(width), dst, src, res, flags, fmask = 0;
	bool write = true;

	if (insn->op == PTWR_CMPXCHG16B) {
		return apply_cmpxchg16b(r, addr, cur);
	}
	if (width > 8 || (addr & 7) + width > 8) {
		return -EINVAL;
	}
	dst = (cur[0] >> shift) & mask;
	if (insn->src == PTWR_REG_NONE) {
		src = insn->imm;
	} else if (insn->src_high8) {
		src = gpr_read(r, insn->src) >> 8;
	} else {
		src = gpr_read(r, insn->src);
	}
	flags = 0;
	switch (insn->op) {
	case PTWR_MOV:
		res = src;
		break;
	case PTWR_XCHG:
		res = src;
		gpr_write(r, insn->src, insn->src_high8, width, dst);
		break;
	case PTWR_ADD:
	case PTWR_XADD:
		res = (dst + src) & mask;
		flags = arith_flags(dst, src & mask, res, bits, false);
		fmask = PTWR_FLAGS_ARITH;
		if (insn->op == PTWR_XADD) {
			gpr_write(r, insn->src, insn->src_high8, width, dst);
		}
		break;
	case PTWR_SUB:
		res = (dst - src) & mask;
		flags = arith_flags(dst, src & mask, res, bits, true);
		fmask = PTWR_FLAGS_ARITH;
		break;
	case PTWR_AND:
	case PTWR_OR:
	case PTWR_XOR:
		res = (insn->op == PTWR_AND  ? dst & src
		       : insn->op == PTWR_OR ? dst | src
					     : dst ^ src) &
		      mask;
		/* CF and OF clear; AF is undefined and cleared, as the CPUs we know do. */
		flags = result_flags(res, bits);
		fmask = PTWR_FLAGS_ARITH;
		break;
	case PTWR_BTS:
	case PTWR_BTR:
	case PTWR_BTC: {
		/* Only CF is defined; the others keep their value. */
		uint64_t bit = 1ULL << (src & (bits - 1));

		flags = dst & bit ? PTWR_FLAG_CF : 0;
		fmask = PTWR_FLAG_CF;
		res = insn->op == PTWR_BTS   ? dst | bit
		      : insn->op == PTWR_BTR ? dst & ~bit
					     : dst ^ bit;
		break;
	}
	case PTWR_CMPXCHG: {
		uint64_t acc = r->rax & mask;

		flags = arith_flags(acc, dst, (acc - dst) & mask, bits, true);
		fmask = PTWR_FLAGS_ARITH;
		if (acc == dst) {
			res = src;
		} else {
			gpr_write(r, 0, false, width, dst);
			res = dst;
			write = false;
		}
		break;
	}
	case PTWR_CMPXCHG8B:
		if (dst == (((r->rdx & 0xffffffff) << 32) | (r->rax & 0xffffffff))) {
			res = ((r->rcx & 0xffffffff) << 32) | (r->rbx & 0xffffffff);
			flags = PTWR_FLAG_ZF;
		} else {
			r->rax = dst & 0xffffffff;
			r->rdx = dst >> 32;
			res = dst;
			write = false;
		}
		fmask = PTWR_FLAG_ZF;
		break;
	default:
		return -EINVAL;
	}
	r->rflags = (r->rflags & ~fmask) | flags;
	*next = (cur[0] & ~(mask << shift)) | ((res & mask) << shift);
	return write;
}
