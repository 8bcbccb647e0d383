/*
 * mls.c - MLS ranges for the security server (libsepol mls.c semantics).
 */
#include "mls.h"
#include "avtab.h"
#include "flask_env.h"
#include "policydb.h"

static char *find_char(char *s, char c)
{
	for (; *s; s++) {
		if (*s == c) {
			return s;
		}
	}
	return NULL;
}

static const struct level_datum *lookup_sens(const struct policydb *p, const char *name)
{
	return symtab_search(&p->symtab[SYM_LEVELS], name);
}

static const struct cat_datum *lookup_cat(const struct policydb *p, const char *name)
{
	return symtab_search(&p->symtab[SYM_CATS], name);
}

/*
 * The grammar and its corner cases follow libsepol's mls_context_to_sid:
 * the low sensitivity ends at ':' or '-', a category list at '-' or the
 * end, the high sensitivity at ':'.
 */
int mls_range_from_string(const struct policydb *p, char *s, struct mls_range *r)
{
	char *cur = s, *tok = s, delim;
	unsigned int l;
	int rc;

	mls_range_init(r);
	while (*cur && *cur != ':' && *cur != '-') {
		cur++;
	}
	delim = *cur;
	if (delim) {
		*cur++ = '\0';
	}
	for (l = 0; l < 2; l++) {
		const struct level_datum *lev = lookup_sens(p, tok);

		if (!lev) {
			return -FLASK_EINVAL;
		}
		r->level[l].sens = lev->level.sens;
		if (delim == ':') {
			for (;;) {
				const struct cat_datum *cat, *last;
				char *dot;

				tok = cur;
				while (*cur && *cur != ',' && *cur != '-') {
					cur++;
				}
				delim = *cur;
				if (delim) {
					*cur++ = '\0';
				}
				dot = find_char(tok, '.');
				if (dot) {
					*dot++ = '\0';
				}
				cat = lookup_cat(p, tok);
				if (!cat) {
					return -FLASK_EINVAL;
				}
				rc = ebitmap_set_bit(&r->level[l].cat, cat->value - 1, true);
				if (rc) {
					return rc;
				}
				if (dot) {
					last = lookup_cat(p, dot);
					if (!last || cat->value >= last->value) {
						return -FLASK_EINVAL;
					}
					for (uint32_t v = cat->value; v < last->value; v++) {
						rc = ebitmap_set_bit(&r->level[l].cat, v, true);
						if (rc) {
							return rc;
						}
					}
				}
				if (delim != ',') {
					break;
				}
			}
		}
		if (delim != '-') {
			break;
		}
		tok = cur;
		while (*cur && *cur != ':') {
			cur++;
		}
		delim = *cur;
		if (delim) {
			*cur++ = '\0';
		}
	}
	if (l == 0) {
		return mls_level_cpy(&r->level[1], &r->level[0]);
	}
	return 0;
}

static void level_to_strbuf(const struct policydb *p, const struct mls_level *lv, struct strbuf *sb)
{
	uint32_t bit, run_start = 0, prev = 0;
	bool in_run = false, first = true;

	strbuf_puts(sb, policydb_name(p, SYM_LEVELS, lv->sens));
	ebitmap_for_each_bit(&lv->cat, bit)
	{
		if (in_run && bit == prev + 1) {
			prev = bit;
			continue;
		}
		if (in_run && prev != run_start) {
			strbuf_putc(sb, prev - run_start > 1 ? '.' : ',');
			strbuf_puts(sb, policydb_name(p, SYM_CATS, prev + 1));
		}
		strbuf_putc(sb, first ? ':' : ',');
		strbuf_puts(sb, policydb_name(p, SYM_CATS, bit + 1));
		first = false;
		in_run = true;
		run_start = prev = bit;
	}
	if (in_run && prev != run_start) {
		strbuf_putc(sb, prev - run_start > 1 ? '.' : ',');
		strbuf_puts(sb, policydb_name(p, SYM_CATS, prev + 1));
	}
}

void mls_range_to_strbuf(const struct policydb *p, const struct mls_range *r, struct strbuf *sb)
{
	if (!p->mls) {
		return;
	}
	strbuf_putc(sb, ':');
	level_to_strbuf(p, &r->level[0], sb);
	if (!mls_level_eq(&r->level[0], &r->level[1])) {
		strbuf_putc(sb, '-');
		level_to_strbuf(p, &r->level[1], sb);
	}
}

bool mls_context_isvalid(const struct policydb *p, const struct context *c)
{
	const struct user_datum *user;

	if (!p->mls) {
		return true;
	}
	if (!mls_level_dom(&c->range.level[1], &c->range.level[0])) {
		return false;
	}
	for (unsigned int l = 0; l < 2; l++) {
		const struct mls_level *lv = &c->range.level[l];
		const struct level_datum *lev;
		uint32_t bit;

		if (!lv->sens || lv->sens > p->symtab[SYM_LEVELS].nprim) {
			return false;
		}
		lev = p->sens_val_to_struct[lv->sens - 1];
		if (!lev) {
			return false;
		}
		ebitmap_for_each_bit(&lv->cat, bit)
		{
			if (bit >= p->symtab[SYM_CATS].nprim ||
			    !ebitmap_get_bit(&lev->level.cat, bit)) {
				return false;
			}
		}
	}
	if (c->role == OBJECT_R_VAL) {
		return true;
	}
	user = policydb_user(p, c->user);
	return user && mls_range_contains(&user->range, &c->range);
}

int mls_convert_range(const struct policydb *oldp, const struct policydb *newp,
		      const struct mls_range *in, struct mls_range *out)
{
	int rc;

	mls_range_init(out);
	if (!oldp->mls || !newp->mls) {
		return oldp->mls == newp->mls ? 0 : -FLASK_EINVAL;
	}
	for (unsigned int l = 0; l < 2; l++) {
		const char *name = policydb_name(oldp, SYM_LEVELS, in->level[l].sens);
		const struct level_datum *lev = name ? lookup_sens(newp, name) : NULL;
		uint32_t bit;

		if (!lev) {
			return -FLASK_EINVAL;
		}
		out->level[l].sens = lev->level.sens;
		ebitmap_for_each_bit(&in->level[l].cat, bit)
		{
			const char *cname = policydb_name(oldp, SYM_CATS, bit + 1);
			const struct cat_datum *cat = cname ? lookup_cat(newp, cname) : NULL;

			if (!cat) {
				return -FLASK_EINVAL;
			}
			rc = ebitmap_set_bit(&out->level[l].cat, cat->value - 1, true);
			if (rc) {
				return rc;
			}
		}
	}
	return 0;
}

/* Both levels of dst become one level of src. */
static int set_both(struct context *dst, const struct mls_level *src)
{
	int rc = mls_level_cpy(&dst->range.level[0], src);

	if (rc) {
		return rc;
	}
	return mls_level_cpy(&dst->range.level[1], src);
}

static int range_glblub(struct context *dst, const struct mls_range *r1, const struct mls_range *r2)
{
	struct mls_range *dr = &dst->range;
	int rc;

	if (r1->level[1].sens < r2->level[0].sens || r2->level[1].sens < r1->level[0].sens) {
		return -FLASK_EINVAL;
	}
	dr->level[0].sens =
	    r1->level[0].sens > r2->level[0].sens ? r1->level[0].sens : r2->level[0].sens;
	dr->level[1].sens =
	    r1->level[1].sens < r2->level[1].sens ? r1->level[1].sens : r2->level[1].sens;
	rc = ebitmap_and(&dr->level[0].cat, &r1->level[0].cat, &r2->level[0].cat);
	if (rc) {
		return rc;
	}
	return ebitmap_and(&dr->level[1].cat, &r1->level[1].cat, &r2->level[1].cat);
}

int mls_compute_sid(const struct policydb *p, const struct context *scontext,
		    const struct context *tcontext, uint16_t tclass, uint32_t specified,
		    uint32_t process_class, struct context *newc)
{
	const struct class_datum *cls;
	const struct mls_range *r;
	uint32_t default_range = 0;

	if (!p->mls) {
		return 0;
	}
	switch (specified) {
	case AVTAB_TRANSITION:
		r = policydb_range_trans(p, scontext->type, tcontext->type, tclass);
		if (r) {
			return mls_range_cpy(&newc->range, r);
		}
		cls = policydb_class(p, tclass);
		if (cls) {
			default_range = cls->default_range;
		}
		switch (default_range) {
		case DEFAULT_SOURCE_LOW:
			return set_both(newc, &scontext->range.level[0]);
		case DEFAULT_SOURCE_HIGH:
			return set_both(newc, &scontext->range.level[1]);
		case DEFAULT_SOURCE_LOW_HIGH:
			return mls_range_cpy(&newc->range, &scontext->range);
		case DEFAULT_TARGET_LOW:
			return set_both(newc, &tcontext->range.level[0]);
		case DEFAULT_TARGET_HIGH:
			return set_both(newc, &tcontext->range.level[1]);
		case DEFAULT_TARGET_LOW_HIGH:
			return mls_range_cpy(&newc->range, &tcontext->range);
		case DEFAULT_GLBLUB:
			return range_glblub(newc, &scontext->range, &tcontext->range);
		default:
			break;
		}
		/* No rule and no default: as for a relabel. */
		/* fall through */
	case AVTAB_CHANGE:
		if (tclass == process_class) {
			return mls_range_cpy(&newc->range, &scontext->range);
		}
		return set_both(newc, &scontext->range.level[0]);
	case AVTAB_MEMBER:
		return set_both(newc, &scontext->range.level[0]);
	default:
		return -FLASK_EINVAL;
	}
}
