/*
 * Helpers of the sched_* test guests: the system time as a PV kernel
 * computes it from its vcpu_time_info (the hypervisor's clock, common to
 * every domain, so two domains can agree on a window of it), this vcpu's
 * runstate, and numbers from the command line.
 */
#ifndef GUEST_SCHED_UTIL_H
#define GUEST_SCHED_UTIL_H

#include <public/vcpu.h>

#include "guest.h"

#define MS 1000000ULL

/* System time in ns: the pvclock formula over vcpu 0's time info. */
static inline uint64_t sched_now(void)
{
	return runtime_system_time(&shared_info->vcpu_info[0].time);
}

/* This vcpu's runstate, as the hypervisor accounts it (an ERROR verdict if refused). */
static inline void sched_runstate(struct vcpu_runstate_info *ri)
{
	long rc = hypercall_vcpu_op(VCPUOP_get_runstate_info, 0, ri);

	if (rc) {
		test_report(TEST_ERROR, "VCPUOP_get_runstate_info failed (%ld)", rc);
	}
}

static inline uint64_t sched_running_ns(void)
{
	struct vcpu_runstate_info ri;

	sched_runstate(&ri);
	return ri.time[RUNSTATE_running];
}

/*
 * The decimal value of "key=N" among the space-separated words of cmd;
 * false when the word is absent or N is not a number.
 */
static inline bool sched_arg(const char *cmd, const char *key, uint64_t *out)
{
	size_t n = strlen(key);
	const char *p, *digits;
	uint64_t v = 0;

	for (p = cmd; *p; p++) {
		if ((p == cmd || p[-1] == ' ') && !strncmp(p, key, n) && p[n] == '=') {
			/* At most 12 digits: milliseconds, far from overflowing. */
			for (digits = p += n + 1; *p >= '0' && *p <= '9' && p - digits < 12; p++) {
				v = v * 10 + (uint64_t)(*p - '0');
			}
			if (p == digits || (*p && *p != ' ')) {
				return false;
			}
			*out = v;
			return true;
		}
	}
	return false;
}

#endif /* GUEST_SCHED_UTIL_H */
