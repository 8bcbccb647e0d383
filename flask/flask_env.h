/*
 * flask_env.h - what the security server needs from whoever embeds it.
 *
 * flask/ is freestanding: it includes only the compiler's freestanding
 * headers and this file. The embedder (the hypervisor, or a host program via
 * tools/lib/flask_env_host.c) links in the functions declared here.
 */
#ifndef FLASK_ENV_H
#define FLASK_ENV_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Memory: flask_zalloc returns zeroed memory or NULL; flask_free(NULL) is a no-op. */
void *flask_zalloc(size_t size);
void flask_free(void *ptr);

/* The usual string and memory helpers, with their standard meaning. */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* One line of security-server output (audit lines, load errors); no trailing newline. */
void flask_log(const char *line);

/* A lock around the policy database switch and the SID table. */
struct flask_lock;
struct flask_lock *flask_lock_create(void);
void flask_lock_acquire(struct flask_lock *lock);
void flask_lock_release(struct flask_lock *lock);

/*
 * Processors. flask_cpu_id() is the CPU (or, in a host program, the thread)
 * running the caller: 0..flask_nr_cpus()-1, never FLASK_MAX_CPUS or more,
 * unchanged for the duration of any call into flask/, and never shared by
 * two callers at once (the per-CPU caches have one writer each). Calls into
 * flask/ are not made from interrupt context. flask_nr_cpus() is the number
 * of CPUs that may be inside flask/ now (CPUs 0..n-1); a CPU counted once
 * is counted for good. With one CPU the AVC frees unlinked nodes at once.
 */
#define FLASK_MAX_CPUS 16
unsigned int flask_cpu_id(void);
unsigned int flask_nr_cpus(void);

/* Errors are negative errno values with Xen's (Linux's) numbers. */
#define FLASK_EPERM 1
#define FLASK_ENOENT 2
#define FLASK_ENOMEM 12
#define FLASK_EACCES 13
#define FLASK_EFAULT 14
#define FLASK_EBUSY 16
#define FLASK_EEXIST 17
#define FLASK_EINVAL 22
#define FLASK_ERANGE 34
#define FLASK_ENOSYS 38
#define FLASK_ENODATA 61
#define FLASK_EOVERFLOW 75
#define FLASK_EMSGSIZE 90
#define FLASK_EOPNOTSUPP 95

#endif
