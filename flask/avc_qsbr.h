/*
 * avc_qsbr.h - freeing the AVC's unlinked nodes once no CPU can still read
 * them (quiescent-state-based reclamation).
 *
 * A CPU is quiescent when it holds no pointer found by a lock-free AVC
 * lookup: between two lookups. The embedder calls qsbr_quiescent() on each
 * CPU at such points. Retired blocks are collected in an open batch; when
 * a batch closes, the grace-period number is bumped; the batch is freed
 * once every CPU (0..flask_nr_cpus()-1) has recorded that number at a
 * quiescent point, since each of them has then finished every lookup that
 * began before the blocks were unlinked. One lock (its own) guards the
 * lists; the per-CPU numbers have one writer each.
 */
#ifndef FLASK_AVC_QSBR_H
#define FLASK_AVC_QSBR_H

#include "flask_env.h"

/* The link every retired block starts with. */
struct qsbr_node {
	struct qsbr_node *next;
};

/* Idempotent. */
int qsbr_init(void);

/*
 * Hand over a chain of n unlinked blocks (linked by their qsbr_node, first
 * member of each, allocated with flask_zalloc). Freed at once in sync mode
 * or with one CPU, else after a grace period.
 */
void qsbr_retire(struct qsbr_node *chain, uint32_t n);

/* The calling CPU holds no pointer into the AVC; frees what is due. */
void qsbr_quiescent(void);

/* Free everything retired now: only when no CPU can be reading. */
void qsbr_free_all(void);

void qsbr_set_sync(bool sync);
/* Blocks retired and not yet freed. */
uint32_t qsbr_pending(void);
/* Forget the CPUs' quiescent records (with qsbr_free_all, for host tests that start over). */
void qsbr_reset_cpus(void);

#endif
