/*
 * audit.c - one AVC audit line per audited decision.
 *
 * Built with the bounded strbuf (strbuf.h) and small fixed buffers, so
 * it needs nothing of the embedder's snprintf beyond plain formatting, and
 * the copying name lookups, so a concurrent policy load cannot pull a
 * name from under it.
 */
#include "audit.h"
#include "flask_env.h"
#include "security.h"
#include "strbuf.h"

#define AUDIT_NAME_MAX 128

static void put_u32(struct strbuf *sb, const char *fmt, uint32_t v)
{
	char num[24];

	snprintf(num, sizeof(num), fmt, v);
	strbuf_puts(sb, num);
}

/* The context goes straight into the line: no second buffer on the stack. */
static void put_context(struct strbuf *sb, const char *key, uint32_t sid)
{
	size_t room, len = 0;
	int rc;

	strbuf_putc(sb, ' ');
	strbuf_puts(sb, key);
	strbuf_putc(sb, '=');
	room = sb->len < sb->size ? sb->size - sb->len : 0;
	if (room) {
		rc = security_sid_to_context(sid, sb->buf + sb->len, room, &len);
	} else {
		char one[1];

		rc = security_sid_to_context(sid, one, sizeof(one), &len);
	}
	if (rc == 0 || rc == -FLASK_ERANGE) {
		sb->len += len;
		return;
	}
	/* Unknown SID or no policy: still one parseable token. */
	put_u32(sb, "sid%u", sid);
}

int audit_format_line(char *buf, size_t size, bool granted, uint32_t perms, uint32_t ssid,
		      uint32_t tsid, uint16_t tclass, const struct avc_audit_data *ad,
		      bool permissive)
{
	char name[AUDIT_NAME_MAX];
	struct strbuf sb;

	strbuf_init(&sb, buf, size);
	strbuf_puts(&sb, granted ? "avc:  granted  {" : "avc:  denied  {");
	for (uint32_t bit = 0; bit < 32; bit++) {
		uint32_t perm = 1u << bit;

		if (!(perms & perm)) {
			continue;
		}
		strbuf_putc(&sb, ' ');
		if (security_perm_name_copy(tclass, perm, name, sizeof(name)) == 0) {
			strbuf_puts(&sb, name);
		} else {
			put_u32(&sb, "0x%x", perm);
		}
	}
	strbuf_puts(&sb, " } for");
	if (ad && ad->has_source) {
		put_u32(&sb, " source=d%u", ad->source_domid);
	}
	if (ad && ad->has_target) {
		put_u32(&sb, " target=d%u", ad->target_domid);
	}
	put_context(&sb, "scontext", ssid);
	put_context(&sb, "tcontext", tsid);
	strbuf_puts(&sb, " tclass=");
	if (security_class_name_copy(tclass, name, sizeof(name)) == 0) {
		strbuf_puts(&sb, name);
	} else {
		put_u32(&sb, "%u", tclass);
	}
	if (permissive) {
		strbuf_puts(&sb, " permissive=1");
	}
	return (int)sb.len;
}
