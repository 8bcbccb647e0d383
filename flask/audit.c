/*
 * audit.c - one AVC audit line per audited decision.
 */
#include "audit.h"
#include "flask_env.h"
#include "security.h"

/* An appender that keeps counting past the end, like snprintf. */
struct audit_buf {
	char *buf;
	size_t size;
	size_t len;
};

static void ab_printf(struct audit_buf *ab, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void ab_printf(struct audit_buf *ab, const char *fmt, ...)
{
	va_list ap;
	int n;
	size_t room = ab->len < ab->size ? ab->size - ab->len : 0;

	va_start(ap, fmt);
	n = vsnprintf(room ? ab->buf + ab->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0) {
		ab->len += (size_t)n;
	}
}

static void ab_context(struct audit_buf *ab, const char *key, uint32_t sid)
{
	char ctx[512];

	if (security_sid_to_context(sid, ctx, sizeof(ctx), NULL) == 0) {
		ab_printf(ab, " %s=%s", key, ctx);
	} else {
		/* Unknown SID or oversized context: still a parseable token. */
		ab_printf(ab, " %s=sid%u", key, sid);
	}
}

int audit_format_line(char *buf, size_t size, bool granted, uint32_t perms, uint32_t ssid,
		      uint32_t tsid, uint16_t tclass, const struct avc_audit_data *ad,
		      bool permissive)
{
	struct audit_buf ab = { .buf = buf, .size = size, .len = 0 };
	const char *cname;

	if (size) {
		buf[0] = '\0';
	}
	ab_printf(&ab, "avc:  %s  {", granted ? "granted" : "denied");
	for (uint32_t bit = 0; bit < 32; bit++) {
		uint32_t perm = 1u << bit;
		const char *pname;

		if (!(perms & perm)) {
			continue;
		}
		pname = security_perm_name(tclass, perm);
		if (pname) {
			ab_printf(&ab, " %s", pname);
		} else {
			ab_printf(&ab, " 0x%x", perm);
		}
	}
	ab_printf(&ab, " } for");
	if (ad && ad->has_source) {
		ab_printf(&ab, " source=d%u", ad->source_domid);
	}
	if (ad && ad->has_target) {
		ab_printf(&ab, " target=d%u", ad->target_domid);
	}
	ab_context(&ab, "scontext", ssid);
	ab_context(&ab, "tcontext", tsid);
	cname = security_class_name(tclass);
	if (cname) {
		ab_printf(&ab, " tclass=%s", cname);
	} else {
		ab_printf(&ab, " tclass=%u", tclass);
	}
	if (permissive) {
		ab_printf(&ab, " permissive=1");
	}
	return (int)ab.len;
}
