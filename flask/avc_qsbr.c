/*
 * avc_qsbr.c - grace periods for the AVC's retired nodes. See avc_qsbr.h.
 */
#include "avc_qsbr.h"
#include "flask_env.h"

struct qsbr_cpu {
	uint32_t seen; /* the grace-period number at this CPU's last quiescent point */
} __attribute__((aligned(64)));

static struct qsbr_cpu qsbr_cpus[FLASK_MAX_CPUS];
/* The grace period the waiting batch needs; bumped (release) when a batch starts waiting. */
static uint32_t qsbr_gp;
/* Under qsbr_lock; read without it (relaxed) only as hints. */
static struct qsbr_node *qsbr_open, *qsbr_waiting;
static uint32_t qsbr_open_n, qsbr_waiting_n;
static struct flask_lock *qsbr_lock;
static bool qsbr_sync;
static uint32_t qsbr_barrier;

int qsbr_init(void)
{
	struct flask_lock *lock;

	if (__atomic_load_n(&qsbr_lock, __ATOMIC_ACQUIRE)) {
		return 0;
	}
	lock = flask_lock_create();

	if (!lock) {
		return -FLASK_ENOMEM;
	}
	/* Made before any second CPU can get here (avc_init, security_init): a plain publish. */
	__atomic_store_n(&qsbr_lock, lock, __ATOMIC_RELEASE);
	return 0;
}

static void free_chain(struct qsbr_node *node)
{
	while (node) {
		struct qsbr_node *next = node->next;

		flask_free(node);
		node = next;
	}
}

static bool all_cpus_seen(uint32_t gp)
{
	unsigned int n = flask_nr_cpus();

	for (unsigned int cpu = 0; cpu < n && cpu < FLASK_MAX_CPUS; cpu++) {
		if (__atomic_load_n(&qsbr_cpus[cpu].seen, __ATOMIC_ACQUIRE) != gp) {
			return false;
		}
	}
	return true;
}

/*
 * Lock held: free the waiting batch if its grace period is over (returned,
 * to be freed after the unlock), and start the next one from the open batch.
 */
static struct qsbr_node *advance_locked(void)
{
	struct qsbr_node *done = NULL;

	if (qsbr_waiting) {
		if (!all_cpus_seen(qsbr_gp)) {
			return NULL;
		}
		done = qsbr_waiting;
		__atomic_store_n(&qsbr_waiting, NULL, __ATOMIC_RELAXED);
		qsbr_waiting_n = 0;
	}
	if (qsbr_open) {
		__atomic_store_n(&qsbr_waiting, qsbr_open, __ATOMIC_RELAXED);
		qsbr_waiting_n = qsbr_open_n;
		__atomic_store_n(&qsbr_open, NULL, __ATOMIC_RELAXED);
		qsbr_open_n = 0;
		/* The batch's nodes were unlinked before this store: whoever sees it cannot find
		 * them. */
		__atomic_store_n(&qsbr_gp, qsbr_gp + 1, __ATOMIC_SEQ_CST);
	}
	return done;
}

static void note_quiescent(void)
{
	struct qsbr_cpu *c = &qsbr_cpus[flask_cpu_id()];
	uint32_t gp = __atomic_load_n(&qsbr_gp, __ATOMIC_ACQUIRE);

	if (__atomic_load_n(&c->seen, __ATOMIC_RELAXED) != gp) {
		__atomic_store_n(&c->seen, gp, __ATOMIC_RELEASE);
	}
}

void qsbr_retire(struct qsbr_node *chain, uint32_t n)
{
	struct qsbr_node *last, *done;

	if (!chain) {
		return;
	}
	/*
	 * A full barrier (a locked RMW; ThreadSanitizer does not model fences)
	 * between the unlinking and the CPU count: a CPU counted after this
	 * load starts its lookups after the nodes were unlinked.
	 */
	__atomic_fetch_or(&qsbr_barrier, 0, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&qsbr_sync, __ATOMIC_RELAXED) || flask_nr_cpus() <= 1 || qsbr_init()) {
		free_chain(chain);
		return;
	}
	for (last = chain; last->next; last = last->next) {
	}
	/* The retiring CPU is between lookups (it holds the AVC's writer lock). */
	note_quiescent();
	flask_lock_acquire(qsbr_lock);
	last->next = qsbr_open;
	__atomic_store_n(&qsbr_open, chain, __ATOMIC_RELAXED);
	qsbr_open_n += n;
	done = advance_locked();
	flask_lock_release(qsbr_lock);
	free_chain(done);
}

void qsbr_quiescent(void)
{
	struct qsbr_node *done;
	bool waiting = __atomic_load_n(&qsbr_waiting, __ATOMIC_RELAXED) != NULL;

	/*
	 * Nothing retired (every vcpu switch comes here): two loads and no
	 * record. A record only says "passed a quiescent point after the
	 * bump to this number", and a CPU that skips one is merely late: a
	 * batch that starts waiting after these loads bumps the number past
	 * every CPU's record, so it waits for this CPU's next point, which
	 * sees it and records (a hint read stale here only delays that).
	 */
	if (!waiting && !__atomic_load_n(&qsbr_open, __ATOMIC_RELAXED)) {
		return;
	}
	note_quiescent();
	/* Nothing to do unless a batch waits and may be over, or one could start. */
	if (waiting && !all_cpus_seen(__atomic_load_n(&qsbr_gp, __ATOMIC_ACQUIRE))) {
		return;
	}
	flask_lock_acquire(qsbr_lock);
	done = advance_locked();
	flask_lock_release(qsbr_lock);
	free_chain(done);
}

void qsbr_free_all(void)
{
	struct qsbr_node *open, *waiting;

	if (qsbr_init()) {
		return;
	}
	flask_lock_acquire(qsbr_lock);
	open = qsbr_open;
	waiting = qsbr_waiting;
	__atomic_store_n(&qsbr_open, NULL, __ATOMIC_RELAXED);
	__atomic_store_n(&qsbr_waiting, NULL, __ATOMIC_RELAXED);
	qsbr_open_n = 0;
	qsbr_waiting_n = 0;
	flask_lock_release(qsbr_lock);
	free_chain(open);
	free_chain(waiting);
}

void qsbr_set_sync(bool sync)
{
	__atomic_store_n(&qsbr_sync, sync, __ATOMIC_RELAXED);
}

uint32_t qsbr_pending(void)
{
	uint32_t n;

	if (qsbr_init()) {
		return 0;
	}
	flask_lock_acquire(qsbr_lock);
	n = qsbr_open_n + qsbr_waiting_n;
	flask_lock_release(qsbr_lock);
	return n;
}

void qsbr_reset_cpus(void)
{
	uint32_t gp = __atomic_load_n(&qsbr_gp, __ATOMIC_ACQUIRE);

	for (unsigned int cpu = 0; cpu < FLASK_MAX_CPUS; cpu++) {
		__atomic_store_n(&qsbr_cpus[cpu].seen, gp, __ATOMIC_RELEASE);
	}
}
