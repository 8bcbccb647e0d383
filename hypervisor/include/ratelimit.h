/*
 * A burst limit per time window, for log lines a guest can cause at will
 * (AVC denials, refused hypercalls): at most `burst` events are shown per
 * window of `window_ns`; the rest are counted, and the count is handed back
 * when the next window opens, so the caller can say how many it kept
 * quiet. Time is given by the caller (ns), which keeps this testable.
 */
#ifndef PALISADE_RATELIMIT_H
#define PALISADE_RATELIMIT_H

#include <types.h>

struct ratelimit {
	uint64_t window_start;
	uint32_t shown;	 /* events shown in this window */
	uint32_t hidden; /* events counted, not shown, in this window */
	bool started;
};

/*
 * One event at now: true if it may be shown. When it opens a new window,
 * *closed_hidden gets the count hidden in the window that closed (else 0).
 */
bool ratelimit_admit(struct ratelimit *rl, uint64_t now, uint32_t burst, uint64_t window_ns,
		     uint32_t *closed_hidden);

/* The count hidden in the open window, which starts over (the source is going away). */
uint32_t ratelimit_take_hidden(struct ratelimit *rl);

/*
 * A token bucket, for a steady rate with a burst allowance (guest console
 * lines): it holds credit in ns of time, one event costs cost_ns, and
 * credit grows with the time that passes, up to burst * cost_ns. It starts
 * full. A clock that goes backwards (a caller with a stale time) adds
 * nothing rather than wrapping.
 */
struct token_bucket {
	uint64_t credit_ns;
	uint64_t last_ns; /* time of the last refill */
	bool started;
};

/* One event at now: true (and its cost taken) if the bucket holds enough credit. */
bool token_bucket_take(struct token_bucket *b, uint64_t now, uint64_t cost_ns, uint32_t burst);

#endif /* PALISADE_RATELIMIT_H */
