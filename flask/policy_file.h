/*
 * policy_file.h - bounded little-endian reader over a policy image, with
 * the first error kept as a one-line reason naming the byte offset.
 *
 * Every read checks the bytes left first, so a truncated or lying image can
 * never make the reader step outside [data, data + len). Counts read from
 * the file are checked against the bytes left (pf_check_count) before
 * anything is allocated for them.
 */
#ifndef FLASK_POLICY_FILE_H
#define FLASK_POLICY_FILE_H

#include "flask_env.h"

struct policy_file {
	const uint8_t *data;
	size_t len;
	size_t pos;  /* next byte to read */
	size_t item; /* offset where the last read started (for messages) */
	char *err;   /* first error message, or NULL if not wanted */
	size_t errlen;
	bool failed; /* an error was recorded */
};

static inline void pf_init(struct policy_file *fp, const void *data, size_t len, char *err,
			   size_t errlen)
{
	fp->data = data;
	fp->len = len;
	fp->pos = 0;
	fp->item = 0;
	fp->err = err;
	fp->errlen = errlen;
	fp->failed = false;
	if (err && errlen) {
		err[0] = '\0';
	}
}

static inline size_t pf_left(const struct policy_file *fp)
{
	return fp->len - fp->pos;
}

/*
 * Record "policydb: <message> at offset <offset>" unless an error is
 * already recorded (the first cause is the useful one). Returns rc so
 * callers can write "return pf_error(...)".
 */
int pf_error_at(struct policy_file *fp, int rc, size_t offset, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* As pf_error_at, at the start of the last item read; rc -FLASK_EINVAL. */
#define pf_error(fp, ...) pf_error_at((fp), -FLASK_EINVAL, (fp)->item, __VA_ARGS__)

/* Out of memory: rc -FLASK_ENOMEM with the current offset. */
int pf_nomem(struct policy_file *fp, const char *what);

int pf_read_bytes(struct policy_file *fp, void *buf, size_t n, const char *what);
int pf_read_u16(struct policy_file *fp, uint16_t *v, const char *what);
int pf_read_u32(struct policy_file *fp, uint32_t *v, const char *what);
int pf_read_u64(struct policy_file *fp, uint64_t *v, const char *what);
/* Read n u32 values into v[0..n). */
int pf_read_u32s(struct policy_file *fp, uint32_t *v, size_t n, const char *what);

/*
 * Fail unless count items of at least min_size bytes each can still fit in
 * the bytes left (so an absurd count fails before any allocation).
 */
int pf_check_count(struct policy_file *fp, uint32_t count, size_t min_size, const char *what);

#endif
