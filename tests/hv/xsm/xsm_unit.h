/*
 * xsm_unit.h - what the xsm-unit test files share: the fake domains, the
 * case runner and its CHECK macros, the policies under test, console-ring
 * counting and the policy oracle (see xsm_unit.c).
 */
#ifndef XSM_UNIT_H
#define XSM_UNIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmdline.h>
#include <domain.h>

enum { D0, DU1, DU2, DXEN, DIO, NDOMS };
extern struct domain doms[NDOMS];
extern struct vcpu vcpus[NDOMS];
void run_as(int i);

extern uint64_t fake_now;

extern int failures, passes;
extern const char *case_name;
extern int case_failed;
void run(const char *name, void (*fn)(void));

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			if (!case_failed) {                                                        \
				printf("FAIL: xsm-unit: %s (%s:%d: %s)\n", case_name, __FILE__,    \
				       __LINE__, #cond);                                           \
			}                                                                          \
			case_failed = 1;                                                           \
		}                                                                                  \
	} while (0)

#define CHECK_EQ(a, b)                                                                             \
	do {                                                                                       \
		long long _a = (long long)(a), _b = (long long)(b);                                \
		if (_a != _b && !case_failed) {                                                    \
			printf("FAIL: xsm-unit: %s (%s:%d: %s == %lld, expected %lld)\n",          \
			       case_name, __FILE__, __LINE__, #a, _a, _b);                         \
			case_failed = 1;                                                           \
		}                                                                                  \
	} while (0)

extern unsigned char *policy, *test_policy;
extern size_t policy_size, test_policy_size;

/* Console ring: ring_count counts lines holding needle written since ring_mark. */
extern uint64_t ring_cursor;
void ring_mark(void);
int ring_count(const char *needle, char *last, size_t lastlen);

/* The policy's own decision for (ssid, tsid, class, perm) by name. */
bool policy_allows(uint32_t ssid, uint32_t tsid, const char *cls, const char *perm);
uint32_t sid_of(const char *ctx);

/* Boot XSM with the given options; returns 0, or 1 if it stopped the boot. */
int boot(enum xsm_choice xsm, enum flask_mode mode, const void *pol, size_t size,
	 const char *dom0_label);
int boot_flask(void);

/* The fake guest memory (mapped at GVA by main) that flask_op arguments live in. */
#define GVA 0x100000ULL
#define GUEST_BUF_SIZE (1 << 20)
extern unsigned char guest[GUEST_BUF_SIZE];

/* xsm_unit_op.c: flask_op through do_xsm_op, and the readconsole sysctl. */
void t_op_basic(void);
void t_op_setenforce(void);
void t_op_contexts(void);
void t_op_access(void);
void t_op_bools(void);
void t_op_load(void);
void t_op_ocontext(void);
void t_op_relabel(void);

/* xsm_unit_evtchn.c: the event:send decision a channel memoises. */
void t_flask_send_memo(void);
void t_op_random(void);
void t_sysctl_readconsole(void);

#endif
