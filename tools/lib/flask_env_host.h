/*
 * flask_env_host.h - host-only additions to flask_env.h (tools/lib).
 */
#ifndef FLASK_ENV_HOST_H
#define FLASK_ENV_HOST_H

/*
 * Redirect flask_log lines (no trailing newline) to hook(line, arg) instead
 * of stderr; hook NULL restores stderr. Not thread-safe against concurrent
 * logging: set it before using the security server.
 */
typedef void (*flask_log_hook_fn)(const char *line, void *arg);
void flask_set_log_hook(flask_log_hook_fn hook, void *arg);

/* Blocks from flask_zalloc not yet given to flask_free (for leak checks in tests). */
long flask_host_live_allocs(void);

/*
 * Fault injection for tests: after n more successful flask_zalloc calls,
 * the next one returns NULL (once); n < 0 turns injection off.
 */
void flask_host_fail_alloc_after(long n);

/*
 * CPUs for multi-threaded tests: flask_nr_cpus() answers n (1 by default;
 * with more than one, the AVC defers freeing to grace periods), and the
 * calling thread plays CPU cpu (0 by default). Two threads running flask/
 * at once must play different CPUs. -FLASK_EINVAL outside 1..FLASK_MAX_CPUS
 * (0..FLASK_MAX_CPUS-1 for cpu).
 */
int flask_host_set_cpus(unsigned int n);
int flask_host_set_cpu(unsigned int cpu);

#endif
