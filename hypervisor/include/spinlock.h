/*
 * Spinlocks for structures several CPUs share (the rules for each are in
 * docs/design.md, "Locking"). Portable: built on the compiler's atomics
 * and the arch's interrupt switch.
 *
 * A lock that an interrupt handler also takes (the scheduler's run queues:
 * the timer tick) is always taken with spin_lock_irqsave, or a CPU could
 * be interrupted while holding it and spin on itself. The recursive kind
 * (rspinlock_t) may be taken again by the CPU holding it: for paths that
 * re-enter through a shared helper (page-type changes that drop further
 * page types). A zero-filled lock is unlocked, so static ones need no
 * initialiser. A CPU spinning for a lock, even with interrupts off, still
 * answers a TLB shootdown (arch_smp_spin_poll): a holder may flush other
 * CPUs' TLBs (arch_flush_tlb_others) without deadlocking on a spinner.
 */
#ifndef PALISADE_SPINLOCK_H
#define PALISADE_SPINLOCK_H

#include <arch/idle.h>
#include <arch/smp.h>
#include <types.h>

typedef struct {
	volatile int locked;
} spinlock_t;

static inline bool spin_trylock(spinlock_t *l)
{
	return !__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE);
}

static inline void spin_lock(spinlock_t *l)
{
	while (!spin_trylock(l)) {
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED)) {
			/* The holder may be waiting for this CPU to flush its TLB. */
			arch_smp_spin_poll();
			arch_cpu_relax();
		}
	}
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

static inline bool spin_is_locked(const spinlock_t *l)
{
	return __atomic_load_n(&l->locked, __ATOMIC_RELAXED) != 0;
}

/* Interrupts off on this CPU while held; returns what to restore. */
static inline bool spin_lock_irqsave(spinlock_t *l)
{
	bool was_on = arch_irq_save();

	spin_lock(l);
	return was_on;
}

static inline void spin_unlock_irqrestore(spinlock_t *l, bool was_on)
{
	spin_unlock(l);
	arch_irq_restore(was_on);
}

/* Recursive: the holding CPU may take it again (depth counted). */
typedef struct {
	spinlock_t lock;
	volatile int owner; /* CPU number + 1; 0 = none */
	unsigned int depth;
} rspinlock_t;

/* For a lock no interrupt handler takes: interrupts stay as they are. */
static inline void rspin_lock(rspinlock_t *l)
{
	int me = (int)arch_cpu_id() + 1;

	if (__atomic_load_n(&l->owner, __ATOMIC_RELAXED) != me) {
		spin_lock(&l->lock);
		l->owner = me;
	}
	l->depth++;
}

static inline void rspin_unlock(rspinlock_t *l)
{
	if (--l->depth == 0) {
		l->owner = 0;
		spin_unlock(&l->lock);
	}
}

#endif /* PALISADE_SPINLOCK_H */
