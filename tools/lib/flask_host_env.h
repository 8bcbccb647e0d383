/*
 * flask_host_env.h - host-only additions to flask_env.h (tools/lib).
 */
#ifndef FLASK_HOST_ENV_H
#define FLASK_HOST_ENV_H

/*
 * Redirect flask_log lines (no trailing newline) to hook(line, arg) instead
 * of stderr; hook NULL restores stderr. Not thread-safe against concurrent
 * logging: set it before using the security server.
 */
typedef void (*flask_log_hook_fn)(const char *line, void *arg);
void flask_set_log_hook(flask_log_hook_fn hook, void *arg);

#endif
