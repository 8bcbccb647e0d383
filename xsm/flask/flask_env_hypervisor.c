/*
 * The hypervisor's side of flask/flask_env.h: memory from the hypervisor
 * heap, security-server output to the console (ring and serial), a spin
 * lock and the CPU numbers. The string helpers are hypervisor/lib's.
 */
#include <flask/flask_env.h>

#include <arch/idle.h>
#include <arch/smp.h>
#include <console.h>
#include <heap.h>

void *flask_zalloc(size_t size)
{
	return xzalloc(size ? size : 1);
}

void flask_free(void *ptr)
{
	if (ptr) {
		xfree(ptr);
	}
}

/*
 * AVC lines and load errors. They reach the console ring (readable with
 * the readconsole sysctl) and, at the default log level, the serial line.
 */
void flask_log(const char *line)
{
	pr_warn("%s\n", line);
}

struct flask_lock {
	int held;
};

struct flask_lock *flask_lock_create(void)
{
	return xzalloc(sizeof(struct flask_lock));
}

void flask_lock_acquire(struct flask_lock *lock)
{
	while (__atomic_exchange_n(&lock->held, 1, __ATOMIC_ACQUIRE)) {
		arch_cpu_relax();
	}
}

void flask_lock_release(struct flask_lock *lock)
{
	__atomic_store_n(&lock->held, 0, __ATOMIC_RELEASE);
}

_Static_assert(NR_CPUS <= FLASK_MAX_CPUS, "flask/ keeps per-CPU state for every CPU");

/* Hooks run in hypercall or boot context on the CPU they entered on (no preemption inside). */
unsigned int flask_cpu_id(void)
{
	return arch_cpu_id();
}

unsigned int flask_nr_cpus(void)
{
	return arch_nr_cpus();
}
