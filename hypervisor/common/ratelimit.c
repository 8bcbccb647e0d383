/*
 * ratelimit: a burst per window; see ratelimit.h. The caller holds whatever
 * lock protects rl (hypercall.c: refusals_lock; FLASK: its own).
 */
#include <ratelimit.h>

bool ratelimit_admit(struct ratelimit *rl, uint64_t now, uint32_t burst, uint64_t window_ns,
		     uint32_t *closed_hidden)
{
	*closed_hidden = 0;
	if (!rl->started || now - rl->window_start >= window_ns) {
		*closed_hidden = rl->started ? rl->hidden : 0;
		rl->started = true;
		rl->window_start = now;
		rl->shown = 0;
		rl->hidden = 0;
	}
	if (rl->shown < burst) {
		rl->shown++;
		return true;
	}
	rl->hidden++;
	return false;
}

uint32_t ratelimit_take_hidden(struct ratelimit *rl)
{
	uint32_t hidden = rl->hidden;

	rl->hidden = 0;
	return hidden;
}
