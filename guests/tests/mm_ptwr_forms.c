/*
 * Every kind of write a PV kernel makes into its own L1 (mapped read-only),
 * emulated by the hypervisor's ptwr path: byte and/or with no prefix, lock
 * and ds (Linux's clear_bit/set_bit, the ds form being what its
 * uniprocessor build patches lock into: fork's write-protect), bts/btr/btc
 * with an immediate and with a register offset that reaches the entry from
 * the one before, xchg, cmpxchg on a byte and a dword (both outcomes),
 * 2/4-byte mov, xadd, add and sub, cmpxchg8b (both outcomes), cmpxchg16b's
 * failing compare, fs and gs overrides. Each is checked on the entry and
 * on what the window page then maps (or refuses to write), and the flags
 * the guest sees.
 *
 * Refused, as the #PF the write was, with the entry unchanged: a writable
 * mapping of a page table made by setting RW with "or byte", a frame we do
 * not own, a write straddling two entries, inc (not an emulated form), a
 * cmpxchg16b whose compare succeeds (Xen does not write two entries).
 */
#include "mm_util.h"

static volatile uint64_t *slot;
static uint64_t e0, e1;

static void poke_window(void *arg)
{
	(void)arg;
	*(volatile uint64_t *)window_va = 0x3333;
}

static bool window_writable(void)
{
	struct trap_record rec;

	flush_window();
	return !trap_catch(TRAP_PF, poke_window, NULL, &rec);
}

static uint64_t window_word(void)
{
	flush_window();
	return *(volatile uint64_t *)window_va;
}

static void set_entry(uint64_t e)
{
	long rc = map_window(e);

	if (rc) {
		test_report(TEST_ERROR, "update_va_mapping %llx failed (%ld)",
			    (unsigned long long)e, rc);
	}
}

static void byte_and_or(void)
{
	volatile uint8_t *b = (volatile uint8_t *)slot;
	uint8_t zf;

	set_entry(e0);
	asm volatile("andb %1, %0" : "+m"(*b) : "i"(~PTE_RW & 0xff) : "memory", "cc");
	test_check(!(*slot & PTE_RW) && pte_same(*slot, e0 & ~PTE_RW), "and byte clears RW");
	test_check(!window_writable() && window_word() == 0x1111,
		   "the window is read-only after and byte");
	asm volatile("lock orb %1, %0" : "+m"(*b) : "i"(PTE_RW) : "memory", "cc");
	test_check(pte_same(*slot, e0) && window_writable(), "lock or byte sets RW again");

	/* fork's write-protect on Linux's UP build: "ds and byte [r15], 0xfd". */
	{
		register volatile uint8_t *r15 asm("r15") = b;

		asm volatile(".byte 0x3e\n andb $0xfd, (%0)" : : "r"(r15) : "memory", "cc");
	}
	test_check(pte_same(*slot, e0 & ~PTE_RW) && !window_writable(),
		   "ds and byte [r15] clears RW");
	asm volatile(".byte 0x3e\n orb %1, %0" : "+m"(*b) : "i"(PTE_RW) : "memory", "cc");
	test_check(pte_same(*slot, e0), "ds or byte sets it");
	asm volatile("lock andb %1, %0" : "+m"(*b) : "i"(~PTE_RW & 0xff) : "memory", "cc");
	test_check(pte_same(*slot, e0 & ~PTE_RW), "lock and byte clears it");
	asm volatile("xorb %1, %0" : "+m"(*b) : "i"(PTE_RW) : "memory", "cc");
	test_check(pte_same(*slot, e0) && window_writable(), "xor byte toggles it back");

	/* The flags reach the guest: and with 0 gives ZF, and a not-present entry. */
	asm volatile("andb $0, %0; setz %1" : "+m"(*b), "=q"(zf) : : "memory", "cc");
	test_check(zf && !(*slot & PTE_P), "and byte 0: ZF set, entry not present");
	asm volatile("orb %2, %0; setz %1"
		     : "+m"(*b), "=q"(zf)
		     : "i"((PTE_P | PTE_RW | PTE_A | PTE_D) & 0xff)
		     : "memory", "cc");
	test_check(!zf && pte_same(*slot, e0) && window_word() == 0x3333,
		   "or byte: ZF clear, mapped");
}

static void bit_ops(void)
{
	uint8_t cf;
	uint64_t nr = 1;

	set_entry(e0);
	asm volatile("lock btrq $1, %0; setc %1" : "+m"(*slot), "=q"(cf) : : "memory", "cc");
	test_check(cf && pte_same(*slot, e0 & ~PTE_RW), "lock btr imm: CF=1, RW clear");
	asm volatile("btsq %2, %0; setc %1" : "+m"(*slot), "=q"(cf) : "r"(nr) : "memory", "cc");
	test_check(!cf && pte_same(*slot, e0), "bts reg: CF=0, RW set");
	asm volatile("lock btcq $1, %0; setc %1" : "+m"(*slot), "=q"(cf) : : "memory", "cc");
	test_check(cf && pte_same(*slot, e0 & ~PTE_RW), "btc imm: CF=1, RW clear");
	/* A register bit offset of 65 from the entry before lands on our RW bit. */
	nr = 65;
	asm volatile("lock btsq %2, %0; setc %1"
		     : "+m"(slot[-1]), "=q"(cf)
		     : "r"(nr)
		     : "memory", "cc");
	test_check(!cf && pte_same(*slot, e0) && window_writable(),
		   "bts reg offset 65 from slot-8");
}

static void exchanges(void)
{
	uint32_t lo;
	uint8_t al, zf;
	uint64_t r;

	set_entry(e0);
	/* Upper halves are equal (the same NX, address bits above 4 GiB): a dword moves frames. */
	lo = (uint32_t)e1;
	asm volatile("xchgl %0, %1" : "+r"(lo), "+m"(*(volatile uint32_t *)slot) : : "memory");
	test_check(lo == (uint32_t)(e0 | PTE_US) || lo == (uint32_t)e0,
		   "xchg dword returns the old");
	test_check(pte_same(*slot, e1) && window_word() == 0x2222,
		   "xchg dword maps the other frame");

	al = (uint8_t)(*slot) ^ 0x80; /* stale */
	asm volatile("lock cmpxchgb %3, %1; setz %2"
		     : "+a"(al), "+m"(*(volatile uint8_t *)slot), "=q"(zf)
		     : "q"((uint8_t)(e1 & ~PTE_RW))
		     : "memory", "cc");
	test_check(!zf && al == (uint8_t)*slot && pte_same(*slot, e1),
		   "cmpxchg byte, stale: ZF clear, al loaded, entry unchanged");
	asm volatile("lock cmpxchgb %3, %1; setz %2"
		     : "+a"(al), "+m"(*(volatile uint8_t *)slot), "=q"(zf)
		     : "q"((uint8_t)((e1 | PTE_US) & ~PTE_RW))
		     : "memory", "cc");
	test_check(zf && pte_same(*slot, e1 & ~PTE_RW) && !window_writable(),
		   "cmpxchg byte that matches clears RW");

	lo = (uint32_t)*slot;
	asm volatile("lock cmpxchgl %3, %1; setz %2"
		     : "+a"(lo), "+m"(*(volatile uint32_t *)slot), "=q"(zf)
		     : "r"((uint32_t)e0)
		     : "memory", "cc");
	test_check(zf && pte_same(*slot, e0) && window_word() == 0x3333,
		   "cmpxchg dword that matches maps the first frame writable");

	/* xadd, sub, add on the whole entry: delta moves between the frames. */
	r = e1 - e0;
	asm volatile("lock xaddq %0, %1" : "+r"(r), "+m"(*slot) : : "memory", "cc");
	test_check(pte_same(r, e0) && pte_same(*slot, e1) && window_word() == 0x2222,
		   "xadd returns the old entry and maps the other frame");
	r = e1 - e0;
	asm volatile("subq %1, %0" : "+m"(*slot) : "r"(r) : "memory", "cc");
	test_check(pte_same(*slot, e0) && window_word() == 0x3333, "sub reg maps the first again");
	asm volatile("lock addq %1, %0" : "+m"(*slot) : "r"(r) : "memory", "cc");
	test_check(pte_same(*slot, e1), "lock add reg maps the second");
}

static void movs(void)
{
	uint16_t w = (uint16_t)(e1 & ~PTE_RW);

	set_entry(e1);
	asm volatile("movw %1, %0" : "=m"(*(volatile uint16_t *)slot) : "r"(w) : "memory");
	test_check(pte_same(*slot, e1 & ~PTE_RW) && !window_writable(), "mov word clears RW");
	asm volatile("movl %1, %0"
		     : "=m"(*(volatile uint32_t *)slot)
		     : "r"((uint32_t)e0)
		     : "memory");
	test_check(pte_same(*slot, e0) && window_writable() && window_word() == 0x3333,
		   "mov dword maps the first frame writable");
	/* Byte 7 holds NX: a byte mov there changes it alone. */
	asm volatile("movb $0x80, 7(%0)" : : "r"(slot) : "memory");
	test_check(pte_same(*slot, e0 | (1ULL << 63)) && window_word() == 0x3333,
		   "mov byte at +7 sets NX");
	asm volatile("movb %1, 7(%0)" : : "r"(slot), "q"((uint8_t)(e0 >> 56)) : "memory");
	test_check(pte_same(*slot, e0), "and clears it again");
}

static void cmpxchg_wide(void)
{
	uint64_t lo, hi, cur;
	uint8_t zf;

	set_entry(e0);
	cur = *slot;
	lo = cur & 0xffffffff;
	hi = (cur >> 32) ^ 1; /* stale */
	asm volatile("lock cmpxchg8b %2; setz %3"
		     : "+a"(lo), "+d"(hi), "+m"(*slot), "=q"(zf)
		     : "b"(e1 & 0xffffffff), "c"(e1 >> 32)
		     : "memory", "cc");
	test_check(!zf && lo == (cur & 0xffffffff) && hi == cur >> 32 && *slot == cur,
		   "cmpxchg8b stale: ZF clear, edx:eax loaded");
	asm volatile("lock cmpxchg8b %2; setz %3"
		     : "+a"(lo), "+d"(hi), "+m"(*slot), "=q"(zf)
		     : "b"(e1 & 0xffffffff), "c"(e1 >> 32)
		     : "memory", "cc");
	test_check(zf && pte_same(*slot, e1) && window_word() == 0x2222, "cmpxchg8b that matches");
	set_entry(e0);
}

static volatile uint64_t *pair;

static void cmpxchg16b_match(void *arg)
{
	uint64_t lo = pair[0], hi = pair[1];

	(void)arg;
	asm volatile("lock cmpxchg16b %2"
		     : "+a"(lo), "+d"(hi), "+m"(*(volatile __int128 *)pair)
		     : "b"(0ULL), "c"(0ULL)
		     : "memory", "cc");
}

static void cmpxchg16(void)
{
	struct trap_record rec;
	uint64_t a, b, lo, hi;
	uint8_t zf;

	pair = (volatile uint64_t *)((uint64_t)slot & ~15ULL);
	a = pair[0];
	b = pair[1];
	lo = a ^ 1;
	hi = b;
	asm volatile("lock cmpxchg16b %2; setz %3"
		     : "+a"(lo), "+d"(hi), "+m"(*(volatile __int128 *)pair), "=q"(zf)
		     : "b"(0ULL), "c"(0ULL)
		     : "memory", "cc");
	test_check(!zf && lo == a && hi == b && pair[0] == a && pair[1] == b,
		   "cmpxchg16b stale: ZF clear, rdx:rax loaded, entries unchanged");
	test_check(trap_catch(TRAP_PF, cmpxchg16b_match, NULL, &rec) && pair[0] == a &&
		       pair[1] == b,
		   "cmpxchg16b that matches is refused as #PF, entries unchanged");
}

static void segments(void)
{
	const uint64_t base = 0x100000;
	uint64_t off = (uint64_t)slot - base;
	long rc;

	set_entry(e0);
	rc = hypercall_set_segment_base(SEGBASE_FS, base);
	if (rc) {
		test_report(TEST_ERROR, "set_segment_base fs: %ld", rc);
	}
	asm volatile("lock andb $0xfd, %%fs:(%0)" : : "r"(off) : "memory", "cc");
	test_check(pte_same(*slot, e0 & ~PTE_RW), "and byte through fs adds the fs base");
	hypercall_set_segment_base(SEGBASE_FS, 0);
	rc = hypercall_set_segment_base(SEGBASE_GS_KERNEL, base);
	if (rc) {
		test_report(TEST_ERROR, "set_segment_base gs: %ld", rc);
	}
	asm volatile("orb $2, %%gs:(%0)" : : "r"(off) : "memory", "cc");
	test_check(pte_same(*slot, e0), "or byte through gs adds the kernel gs base");
	hypercall_set_segment_base(SEGBASE_GS_KERNEL, 0);
}

/* ---- Refusals: the #PF reaches the guest, the entry stays as it was ---- */

static uint64_t bad_value;

static void or_rw(void *arg)
{
	(void)arg;
	asm volatile("lock orb $2, %0" : "+m"(*(volatile uint8_t *)slot) : : "memory", "cc");
}

static void mov_bad(void *arg)
{
	(void)arg;
	asm volatile("movq %1, %0" : "=m"(*slot) : "r"(bad_value) : "memory");
}

/* Bytes 6-9 from slot, or from the entry before it: across two entries either way. */
static void straddle(void *arg)
{
	asm volatile("movl %1, 6(%0)" : : "r"((uint64_t)slot - (uint64_t)arg), "r"(0) : "memory");
}

static void inc_entry(void *arg)
{
	(void)arg;
	asm volatile("incq %0" : "+m"(*slot) : : "memory", "cc");
}

static void refused_arg(const char *what, void (*fn)(void *), void *arg, uint64_t at)
{
	struct trap_record rec;
	/* The entries around slot that are in its page. */
	bool has_next = ((uint64_t)slot & (PAGE - 1)) != PAGE - 8;
	bool has_prev = ((uint64_t)slot & (PAGE - 1)) != 0;
	uint64_t before = *slot, next = has_next ? slot[1] : 0, prev = has_prev ? slot[-1] : 0;

	if (!test_check(trap_catch(TRAP_PF, fn, arg, &rec), "%s: faults", what)) {
		return;
	}
	test_check(rec.error_code & 2, "%s: #PF says write", what);
	test_check(!rec.cr2_valid || rec.cr2 == at, "%s: cr2 %llx", what,
		   (unsigned long long)rec.cr2);
	test_check(*slot == before && (!has_next || slot[1] == next) &&
		       (!has_prev || slot[-1] == prev),
		   "%s: entries unchanged", what);
}

static void refused(const char *what, void (*fn)(void *), uint64_t at)
{
	refused_arg(what, fn, NULL, at);
}

static void refusals(void)
{
	/* Our own L1, mapped read-only at the window, must not become writable. */
	set_entry((table_mfn(window_va, 1) << 12) | PTE_P | PTE_A);
	refused("or byte RW onto a page table mapping", or_rw, (uint64_t)slot);
	set_entry(e0);
	bad_value = PTE_P | PTE_RW; /* mfn 0: not ours */
	refused("mov of a frame we do not own", mov_bad, (uint64_t)slot);
	bad_value = (0xFFFFFFFULL << 12) | PTE_P;
	refused("mov of an mfn beyond RAM", mov_bad, (uint64_t)slot);
	refused_arg("mov dword straddling slot and the next entry", straddle, (void *)0,
		    (uint64_t)slot + 6);
	if ((uint64_t)slot & (PAGE - 1)) {
		refused_arg("mov dword straddling the entry before and slot", straddle, (void *)8,
			    (uint64_t)slot - 2);
	}
	refused("inc (not an emulated form)", inc_entry, (uint64_t)slot);
	test_check(window_writable() && window_word() == 0x3333, "the window still maps frame 0");
}

void guest_main(struct start_info *si)
{
	uint64_t s0, s1;

	(void)si;
	gprintf("mm_ptwr_forms: every form of write into our own L1\n");
	if (!mm_util_init()) {
		test_report(TEST_ERROR, "no window page");
	}
	slot = window_slot();
	s0 = scratch_tagged(0, 0x1111);
	s1 = scratch_tagged(1, 0x2222);
	e0 = pte_rw(s0);
	e1 = pte_rw(s1);
	if ((e0 >> 32) != (e1 >> 32)) {
		test_report(TEST_ERROR, "scratch frames differ above 4 GiB");
	}

	byte_and_or();
	bit_ops();
	exchanges();
	movs();
	cmpxchg_wide();
	cmpxchg16();
	segments();
	refusals();

	set_entry(window_pte);
	flush_window();
	test_check(window_intact(), "the window is back");
	test_finish();
}
