/*
 * ratelimit: a burst per window, and a token bucket; see ratelimit.h. The caller holds
 * whatever lock protects rl (hypercall.c: refusals_lock; FLASK: its own; console lines: the
 * console's).
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

bool token_bucket_take(struct token_bucket *b, uint64_t now, uint64_t cost_ns, uint32_t burst)
{
	uint64_t cap = cost_ns * burst;

	if (!b->started) {
		b->started = true;
		b->credit_ns = cap;
		b->last_ns = now;
	} else if (now > b->last_ns) {
		/* Capped before adding, so a long silence cannot overflow the sum. */
		uint64_t gained = now - b->last_ns;

		b->credit_ns = b->credit_ns >= cap || gained >= cap - b->credit_ns
				   ? cap
				   : b->credit_ns + gained;
		b->last_ns = now;
	}
	if (b->credit_ns < cost_ns) {
		return false;
	}
	b->credit_ns -= cost_ns;
	return true;
}
