/*
 * flask_host_env.c - flask_env.h for host programs: libc memory, stderr (or
 * a hook) for log lines, a pthread mutex for the lock.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flask_env.h"
#include "flask_host_env.h"

static flask_log_hook_fn log_hook;
static void *log_hook_arg;

void *flask_zalloc(size_t size)
{
	/* calloc(0) may return NULL; callers treat NULL as failure, so ask for 1. */
	return calloc(1, size ? size : 1);
}

void flask_free(void *ptr)
{
	free(ptr);
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
