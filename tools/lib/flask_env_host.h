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

#endif
