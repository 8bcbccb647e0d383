/*
 * context_str.c - context strings and context validity (libsepol
 * semantics); see context_str.h. Named after its header so that the
 * structures in context.h stay a header of their own, below the policydb.
 */
#include "context_str.h"
#include "flask_env.h"
#include "mls.h"
#include "policydb.h"

static void set_why(char *why, size_t whylen, const char *msg, const char *name)
{
	if (why && whylen) {
		snprintf(why, whylen, "%s%s%s", msg, name ? " " : "", name ? name : "");
	}
}

bool context_is_valid(const struct policydb *p, const struct context *c)
{
	if (!c->role || c->role > p->symtab[SYM_ROLES].nprim) {
		return false;
	}
	if (!c->user || c->user > p->symtab[SYM_USERS].nprim) {
		return false;
	}
	if (!c->type || c->type > p->symtab[SYM_TYPES].nprim) {
		return false;
	}
	if (c->role != OBJECT_R_VAL) {
		const struct role_datum *role = policydb_role(p, c->role);
		const struct user_datum *user = policydb_user(p, c->user);

		if (!role || !ebitmap_get_bit(&role->types, c->type - 1)) {
			return false;
		}
		if (!user || !ebitmap_get_bit(&user->roles, c->role - 1)) {
			return false;
		}
	}
	return mls_context_isvalid(p, c);
}

/* Split at the next ':' (as libsepol's record parser does); NULL if none. */
static char *split_colon(char *s)
{
	for (; *s; s++) {
		if (*s == ':') {
			*s = '\0';
			return s + 1;
		}
	}
	return NULL;
}

int context_from_string(const struct policydb *p, const char *str, size_t len, struct context *c,
			char *why, size_t whylen)
{
	char *copy, *user, *role, *type, *mls;
	const struct user_datum *ud;
	const struct role_datum *rd;
	const struct type_datum *td;
	int rc = -FLASK_EINVAL;

	context_init(c);
	/* A trailing NUL counted in len is tolerated, as with libsepol callers. */
	while (len && str[len - 1] == '\0') {
		len--;
	}
	if (len == 0 || len > CONTEXT_STR_MAX) {
		set_why(why, whylen, "bad context length", NULL);
		return -FLASK_EINVAL;
	}
	for (size_t i = 0; i < len; i++) {
		if (str[i] == '\0') {
			set_why(why, whylen, "NUL inside context", NULL);
			return -FLASK_EINVAL;
		}
	}
	copy = flask_zalloc(len + 1);
	if (!copy) {
		return -FLASK_ENOMEM;
	}
	memcpy(copy, str, len);
	user = copy;
	role = split_colon(user);
	type = role ? split_colon(role) : NULL;
	if (!type) {
		set_why(why, whylen, "malformed context", NULL);
		goto out;
	}
	mls = split_colon(type);

	ud = symtab_search(&p->symtab[SYM_USERS], user);
	if (!ud) {
		set_why(why, whylen, "unknown user", user);
		goto out;
	}
	c->user = ud->value;
	rd = symtab_search(&p->symtab[SYM_ROLES], role);
	if (!rd) {
		set_why(why, whylen, "unknown role", role);
		goto out;
	}
	c->role = rd->value;
	td = symtab_search(&p->symtab[SYM_TYPES], type);
	if (!td || td->attribute) {
		set_why(why, whylen, "unknown type", type);
		goto out;
	}
	c->type = td->value;

	if (mls && !p->mls) {
		set_why(why, whylen, "MLS range in a policy without MLS", NULL);
		goto out;
	}
	if (!mls && p->mls) {
		set_why(why, whylen, "MLS policy needs a range", NULL);
		goto out;
	}
	if (mls) {
		mls_range_destroy(&c->range);
		rc = mls_range_from_string(p, mls, &c->range);
		if (rc) {
			set_why(why, whylen, "bad MLS range", NULL);
			goto out;
		}
		rc = -FLASK_EINVAL;
	}
	if (!context_is_valid(p, c)) {
		set_why(why, whylen, "invalid context", NULL);
		goto out;
	}
	rc = 0;
out:
	if (rc) {
		context_destroy(c);
	}
	flask_free(copy);
	return rc;
}

void context_to_strbuf(const struct policydb *p, const struct context *c, struct strbuf *sb)
{
	strbuf_puts(sb, policydb_name(p, SYM_USERS, c->user));
	strbuf_putc(sb, ':');
	strbuf_puts(sb, policydb_name(p, SYM_ROLES, c->role));
	strbuf_putc(sb, ':');
	strbuf_puts(sb, policydb_name(p, SYM_TYPES, c->type));
	mls_range_to_strbuf(p, &c->range, sb);
}

int context_convert(const struct policydb *oldp, const struct policydb *newp,
		    const struct context *c, struct context *out)
{
	const char *name;
	uint32_t v;
	int rc;

	context_init(out);
	name = policydb_name(oldp, SYM_USERS, c->user);
	v = name ? policydb_user_value(newp, name) : 0;
	if (!v) {
		goto invalid;
	}
	out->user = v;
	name = policydb_name(oldp, SYM_ROLES, c->role);
	v = name ? policydb_role_value(newp, name) : 0;
	if (!v) {
		goto invalid;
	}
	out->role = v;
	name = policydb_name(oldp, SYM_TYPES, c->type);
	{
		const struct type_datum *td =
		    name ? symtab_search(&newp->symtab[SYM_TYPES], name) : NULL;

		if (!td || td->attribute) {
			goto invalid;
		}
		out->type = td->value;
	}
	mls_range_destroy(&out->range);
	rc = mls_convert_range(oldp, newp, &c->range, &out->range);
	if (rc) {
		context_destroy(out);
		return rc;
	}
	if (!context_is_valid(newp, out)) {
		goto invalid;
	}
	return 0;
invalid:
	context_destroy(out);
	return -FLASK_EINVAL;
}
