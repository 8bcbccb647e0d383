/*
 * policy_file.c - bounded reader for policy images (see policy_file.h).
 */
#include "policy_file.h"

int pf_error_at(struct policy_file *fp, int rc, size_t offset, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	if (fp->failed) {
		return rc;
	}
	fp->failed = true;
	if (!fp->err || !fp->errlen) {
		return rc;
	}
	n = (size_t)snprintf(fp->err, fp->errlen, "policydb: ");
	if (n < fp->errlen) {
		va_start(ap, fmt);
		vsnprintf(fp->err + n, fp->errlen - n, fmt, ap);
		va_end(ap);
	}
	n = strlen(fp->err);
	if (n < fp->errlen) {
		snprintf(fp->err + n, fp->errlen - n, " at offset %zu", offset);
	}
	return rc;
}

int pf_nomem(struct policy_file *fp, const char *what)
{
	return pf_error_at(fp, -FLASK_ENOMEM, fp->pos, "out of memory for %s", what);
}

static int pf_take(struct policy_file *fp, size_t n, const char *what)
{
	fp->item = fp->pos;
	if (n > pf_left(fp)) {
		return pf_error_at(fp, -FLASK_EINVAL, fp->pos,
				   "truncated %s (need %zu bytes, %zu left)", what, n, pf_left(fp));
	}
	return 0;
}

int pf_read_bytes(struct policy_file *fp, void *buf, size_t n, const char *what)
{
	int rc = pf_take(fp, n, what);

	if (rc) {
		return rc;
	}
	memcpy(buf, fp->data + fp->pos, n);
	fp->pos += n;
	return 0;
}

int pf_read_u16(struct policy_file *fp, uint16_t *v, const char *what)
{
	const uint8_t *b;
	int rc = pf_take(fp, 2, what);

	if (rc) {
		return rc;
	}
	b = fp->data + fp->pos;
	*v = (uint16_t)(b[0] | (b[1] << 8));
	fp->pos += 2;
	return 0;
}

static inline uint32_t le32(const uint8_t *b)
{
	return (uint32_t)b[0] | ((uint32_t)b[1] << 8) | ((uint32_t)b[2] << 16) |
	       ((uint32_t)b[3] << 24);
}

int pf_read_u32(struct policy_file *fp, uint32_t *v, const char *what)
{
	int rc = pf_take(fp, 4, what);

	if (rc) {
		return rc;
	}
	*v = le32(fp->data + fp->pos);
	fp->pos += 4;
	return 0;
}

int pf_read_u64(struct policy_file *fp, uint64_t *v, const char *what)
{
	const uint8_t *b;
	int rc = pf_take(fp, 8, what);

	if (rc) {
		return rc;
	}
	b = fp->data + fp->pos;
	*v = (uint64_t)le32(b) | ((uint64_t)le32(b + 4) << 32);
	fp->pos += 8;
	return 0;
}

int pf_read_u32s(struct policy_file *fp, uint32_t *v, size_t n, const char *what)
{
	const uint8_t *b;
	size_t i;
	int rc;

	if (n > SIZE_MAX / 4) {
		return pf_error_at(fp, -FLASK_EINVAL, fp->pos, "oversized %s", what);
	}
	rc = pf_take(fp, n * 4, what);
	if (rc) {
		return rc;
	}
	b = fp->data + fp->pos;
	for (i = 0; i < n; i++) {
		v[i] = le32(b + 4 * i);
	}
	fp->pos += n * 4;
	return 0;
}

int pf_check_count(struct policy_file *fp, uint32_t count, size_t min_size, const char *what)
{
	if (min_size && count > pf_left(fp) / min_size) {
		return pf_error_at(fp, -FLASK_EINVAL, fp->item,
				   "%s count %u exceeds what the remaining %zu bytes can hold",
				   what, count, pf_left(fp));
	}
	return 0;
}
