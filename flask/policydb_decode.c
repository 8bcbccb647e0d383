/*
 * policydb_decode.c - the read helpers the policy's section readers share
 * (see policydb_decode.h).
 */
#include "policydb_decode.h"
#include "policydb_lookup.h"

#define ARENA_CHUNK (64 * 1024)

struct policydb_arena {
	struct policydb_arena *next;
	size_t used;
	size_t size;
	uint64_t data[]; /* uint64_t for alignment */
};

void *pdb_alloc(struct policydb *p, size_t size)
{
	struct policydb_arena *a = p->arena;
	void *ptr;

	size = (size + 7) & ~(size_t)7;
	if (!a || a->size - a->used < size) {
		size_t chunk = size > ARENA_CHUNK ? size : ARENA_CHUNK;

		a = flask_zalloc(sizeof(*a) + chunk);
		if (!a) {
			return NULL;
		}
		a->size = chunk;
		a->next = p->arena;
		p->arena = a;
	}
	ptr = (char *)a->data + a->used;
	a->used += size;
	return ptr;
}

void pdb_arena_free(struct policydb *p)
{
	struct policydb_arena *a = p->arena;

	while (a) {
		struct policydb_arena *next = a->next;

		flask_free(a);
		a = next;
	}
	p->arena = NULL;
}

int pdb_read_name(struct policydb *p, struct policy_file *fp, uint32_t len, const char *what,
		  const char **name)
{
	size_t at = fp->item;
	char *s;
	int rc;

	if (!len || len > POLICYDB_NAME_MAX) {
		return pf_error_at(fp, -FLASK_EINVAL, at, "%s name length %u not in 1..%u", what,
				   len, POLICYDB_NAME_MAX);
	}
	if (len > pf_left(fp)) {
		return pf_error_at(fp, -FLASK_EINVAL, fp->pos,
				   "truncated %s name (need %u bytes, %zu left)", what, len,
				   pf_left(fp));
	}
	s = pdb_alloc(p, (size_t)len + 1);
	if (!s) {
		return pf_nomem(fp, "name");
	}
	rc = pf_read_bytes(fp, s, len, what);
	if (rc) {
		return rc;
	}
	if (strlen(s) != len) {
		return pf_error_at(fp, -FLASK_EINVAL, fp->item, "%s name contains a NUL byte",
				   what);
	}
	*name = s;
	return 0;
}

int pdb_zalloc_array(struct policy_file *fp, size_t n, size_t size, void **out, const char *what)
{
	*out = NULL;
	if (!n) {
		return 0;
	}
	if (n > SIZE_MAX / size) {
		return pf_nomem(fp, what);
	}
	*out = flask_zalloc(n * size);
	if (!*out) {
		return pf_nomem(fp, what);
	}
	return 0;
}

int pdb_read_datum_head(struct policydb *p, struct policy_file *fp, struct pdb_datum_head *h,
			size_t n, const char *header, const char *what)
{
	int rc;

	h->at = fp->pos;
	h->name2 = NULL;
	rc = pf_read_u32s(fp, h->w, n, header);
	if (rc) {
		return rc;
	}
	return pdb_read_name(p, fp, h->w[0], what, &h->name);
}

int pdb_check_value(struct policy_file *fp, const struct policydb *p, unsigned int sym, uint32_t v,
		    const char *what, size_t at)
{
	if (!v || v > p->symtab[sym].nprim) {
		return pf_error_at(fp, -FLASK_EINVAL, at, "%s %u out of range 1..%u", what, v,
				   p->symtab[sym].nprim);
	}
	return 0;
}

int pdb_read_level(struct policy_file *fp, struct mls_level *l)
{
	int rc = pf_read_u32(fp, &l->sens, "MLS level sensitivity");

	if (rc) {
		return rc;
	}
	return ebitmap_read(&l->cat, fp);
}

int pdb_read_range(struct policy_file *fp, struct mls_range *r)
{
	uint32_t items, sens[2];
	size_t at = fp->pos;
	int rc;

	rc = pf_read_u32(fp, &items, "MLS range count");
	if (rc) {
		return rc;
	}
	if (items != 1 && items != 2) {
		return pf_error_at(fp, -FLASK_EINVAL, at, "MLS range has %u levels, not 1 or 2",
				   items);
	}
	rc = pf_read_u32s(fp, sens, items, "MLS range sensitivities");
	if (rc) {
		return rc;
	}
	r->level[0].sens = sens[0];
	r->level[1].sens = sens[items - 1];
	rc = ebitmap_read(&r->level[0].cat, fp);
	if (rc) {
		return rc;
	}
	if (items == 2) {
		return ebitmap_read(&r->level[1].cat, fp);
	}
	if (ebitmap_copy(&r->level[1].cat, &r->level[0].cat)) {
		return pf_nomem(fp, "MLS range");
	}
	return 0;
}

int pdb_read_context(struct policydb *p, struct policy_file *fp, struct context *c,
		     const char *what)
{
	uint32_t buf[3];
	size_t at = fp->pos;
	int rc;

	rc = pf_read_u32s(fp, buf, 3, "context");
	if (rc) {
		return rc;
	}
	c->user = buf[0];
	c->role = buf[1];
	c->type = buf[2];
	rc = pdb_read_range(fp, &c->range);
	if (rc) {
		return rc;
	}
	if (!p->mls) {
		/* Files carry a range even without MLS; its content means nothing then. */
		mls_range_destroy(&c->range);
	}
	if (!policydb_context_isvalid(p, c)) {
		return pf_error_at(fp, -FLASK_EINVAL, at,
				   "%s context user %u role %u type %u is not valid", what, c->user,
				   c->role, c->type);
	}
	return 0;
}
