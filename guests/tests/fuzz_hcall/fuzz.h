/*
 * The random-hypercall domain (fuzz_hcall): shared state of its parts.
 *
 *   main.c    command line, seed, the loop, the verdict
 *   table.c   which numbers and sub-ops exist: hypercalls.def, xsm's
 *             sysctl.def and domctl.def, and Xen's own sub-op ranges
 *   values.c  the PRNG and argument values: good and bad pointers, domain
 *             ids, ports, counts, own and foreign frames
 *   calls.c   one random call: its arguments, the rewrites that keep the
 *             fuzzer alive (the exclusions), the repairs after it, and the
 *             answers that are wrong whatever the arguments
 */
#ifndef GUEST_FUZZ_HCALL_H
#define GUEST_FUZZ_HCALL_H

#include <stdbool.h>
#include <stdint.h>

#define FUZZ_NR_MAX 64	     /* numbers 0..63 are Xen's table; a few beyond are tried too */
#define FUZZ_ARG_PAGES 16    /* pages of argument buffers, an unmapped guard page, a spill page */
#define FUZZ_SAC_PAGES 8     /* own frames the hypervisor may be asked to write or retype */
#define FUZZ_SCRATCH_PAGES 8 /* virtual pages update_va_mapping may remap */
#define PAGE 4096UL

/* One hypercall as issued: number and six argument registers. */
struct fuzz_call {
	uint64_t nr;
	uint64_t a[6];
	uint32_t subop;	  /* the sub-op chosen (for the counts), or ~0 */
	int def_index;	  /* index into fuzz_def_subops, -1 when the sub-op is not from a .def */
	uint8_t repair;	  /* FIX_* bits: state to put back after the call */
	uint8_t oracle;	  /* ORACLE_*: a success that would be a hypervisor bug */
	uint64_t foreign; /* the frame an oracle is about */
};

enum {
	FIX_TRAPS = 1,
	FIX_CALLBACKS = 2,
	FIX_DEBUGREG = 4,
	FIX_LDT = 8,
	FIX_GDT = 16,
};

enum {
	ORACLE_NONE,
	ORACLE_FOREIGN_MAP,  /* success would map or retype a frame the fuzzer does not own */
	ORACLE_FOREIGN_DESC, /* success would write a descriptor into another domain's frame */
	ORACLE_FOREIGN_PT,   /* success would write an entry into another domain's page table */
};

/* table.c */
struct fuzz_subop {
	uint8_t nr;
	uint32_t op;
};
extern const struct fuzz_subop fuzz_def_subops[];
extern const unsigned int fuzz_nr_def_subops;
extern const uint8_t fuzz_def_hypercalls[];
extern const unsigned int fuzz_nr_def_hypercalls;
/* Sub-op numbers Xen 4.17 has for nr (0 when nr takes none). */
uint32_t fuzz_xen_subops(uint64_t nr);
/* How a hypercall carries its sub-op. */
enum { SUBOP_NONE_, SUBOP_ARG0, SUBOP_STRUCT };
int fuzz_subop_style(uint64_t nr);
const char *fuzz_name(uint64_t nr);

/* values.c */
void fuzz_seed(uint64_t seed);
uint64_t rnd(void);
static inline uint64_t rnd_below(uint64_t n)
{
	return n ? rnd() % n : 0;
}
static inline bool chance(unsigned int one_in)
{
	return rnd_below(one_in) == 0;
}

struct fuzz_mem {
	uint8_t *arg;	  /* FUZZ_ARG_PAGES pages, the guard page, a spill page */
	uint64_t guard;	  /* the unmapped page */
	uint8_t *sac;	  /* FUZZ_SAC_PAGES pages the hypervisor may scribble on */
	uint8_t *scratch; /* FUZZ_SCRATCH_PAGES virtual pages update_va_mapping may remap */
	uint64_t sac_gfn[FUZZ_SAC_PAGES], sac_mfn[FUZZ_SAC_PAGES];
	uint64_t nr_pages, max_mfn, pt_base, nr_pt_frames, l4_mfn, ro_page;
	uint64_t pt_mfn_first; /* mfn of the first bootstrap page-table frame */
	uint16_t self;	       /* the fuzzer's domain id */
	bool own_known;	       /* false once gained frames outgrew the record */
};
extern struct fuzz_mem fm;

void values_init(void);
bool own_mfn(uint64_t mfn);
bool own_pt_mfn(uint64_t mfn);
void note_gained(uint64_t mfn, uint64_t count);
/* From now on the fuzzer cannot tell its frames from others': the oracles stop judging. */
void lose_track(const char *why);
uint64_t v_domid(void);
uint64_t v_port(void);
uint64_t v_count(void);
uint64_t v_good_ptr(void);
uint64_t v_bad_ptr(void);
uint64_t v_ptr(void);
uint64_t v_unreadable_ptr(void); /* bad, and not even readable by the guest */
uint64_t v_mfn(void);		 /* own safe, guessed foreign, huge */
uint64_t v_foreign_mfn(void);
uint64_t v_gfn(void); /* never one of the fuzzer's own in-use gfns */
uint64_t v_pte(void);
uint64_t v_plausible(void);
void fill_plausible(void *buf, unsigned int words);
uint8_t *arg_page(unsigned int i);

/* calls.c */
void call_build(struct fuzz_call *c, unsigned int depth);
long call_issue(const struct fuzz_call *c);
void call_repair(unsigned int repair);
/* Frames a call just gave the fuzzer (reservations, grant frames): its own from now on. */
void call_note_outputs(uint64_t nr, const uint64_t a[6], long rc);
/* 0: fine; otherwise a message naming what went wrong. */
const char *call_judge(const struct fuzz_call *c, long rc);
extern uint64_t fuzz_excluded; /* calls rewritten by an exclusion */

#endif /* GUEST_FUZZ_HCALL_H */
