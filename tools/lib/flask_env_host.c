/*
 * flask_env_host.c - flask_env.h for host programs: libc memory, stderr (or
 * a hook) for log lines, a pthread mutex for the lock, a CPU number per
 * thread (0 unless the thread sets one).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flask_env.h"
#include "flask_env_host.h"

static flask_log_hook_fn log_hook;
static void *log_hook_arg;

static long live_allocs;
static long fail_countdown = -1;

void *flask_zalloc(size_t size)
{
	void *p;

	/* Injected failure for tests: the countdown reaching 0 fails this call. */
	if (__atomic_load_n(&fail_countdown, __ATOMIC_RELAXED) >= 0 &&
	    __atomic_sub_fetch(&fail_countdown, 1, __ATOMIC_RELAXED) == -1) {
		return NULL;
	}
	/* calloc(0) may return NULL; callers treat NULL as failure, so ask for 1. */
	p = calloc(1, size ? size : 1);
	if (p) {
		__atomic_add_fetch(&live_allocs, 1, __ATOMIC_RELAXED);
	}
	return p;
}

void flask_free(void *ptr)
{
	if (ptr) {
		__atomic_sub_fetch(&live_allocs, 1, __ATOMIC_RELAXED);
	}
	free(ptr);
}

long flask_host_live_allocs(void)
{
	return __atomic_load_n(&live_allocs, __ATOMIC_RELAXED);
}

void flask_host_fail_alloc_after(long n)
{
	__atomic_store_n(&fail_countdown, n, __ATOMIC_RELAXED);
}

void flask_log(const char *line)
{
	if (log_hook) {
		log_hook(line, log_hook_arg);
		return;
	}
	fprintf(stderr, "%s\n", line);
}

void flask_set_log_hook(flask_log_hook_fn hook, void *arg)
{
	log_hook = hook;
	log_hook_arg = arg;
}

/* Each thread says which CPU it plays; the count is the program's. */
static __thread unsigned int host_cpu;
static unsigned int host_nr_cpus = 1;

unsigned int flask_cpu_id(void)
{
	return host_cpu;
}

unsigned int flask_nr_cpus(void)
{
	return __atomic_load_n(&host_nr_cpus, __ATOMIC_ACQUIRE);
}

int flask_host_set_cpus(unsigned int n)
{
	if (n == 0 || n > FLASK_MAX_CPUS) {
		return -FLASK_EINVAL;
	}
	__atomic_store_n(&host_nr_cpus, n, __ATOMIC_RELEASE);
	return 0;
}

int flask_host_set_cpu(unsigned int cpu)
{
	if (cpu >= FLASK_MAX_CPUS) {
		return -FLASK_EINVAL;
	}
	host_cpu = cpu;
	return 0;
}

struct flask_lock {
	pthread_mutex_t mutex;
};

struct flask_lock *flask_lock_create(void)
{
	struct flask_lock *lock = calloc(1, sizeof(*lock));

	if (!lock) {
		return NULL;
	}
	if (pthread_mutex_init(&lock->mutex, NULL)) {
		free(lock);
		return NULL;
	}
	return lock;
}

void flask_lock_acquire(struct flask_lock *lock)
{
	pthread_mutex_lock(&lock->mutex);
}

void flask_lock_release(struct flask_lock *lock)
{
	pthread_mutex_unlock(&lock->mutex);
}
