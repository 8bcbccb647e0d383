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
 * initialiser.
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

static inline bool rspin_lock_irqsave(rspinlock_t *l)
{
	bool was_on = arch_irq_save();
	int me = (int)arch_cpu_id() + 1;

	if (__atomic_load_n(&l->owner, __ATOMIC_RELAXED) != me) {
		spin_lock(&l->lock);
		l->owner = me;
	}
	l->depth++;
	return was_on;
}

static inline void rspin_unlock_irqrestore(rspinlock_t *l, bool was_on)
{
	if (--l->depth == 0) {
		l->owner = 0;
		spin_unlock(&l->lock);
	}
	arch_irq_restore(was_on);
}

#endif /* PALISADE_SPINLOCK_H */
