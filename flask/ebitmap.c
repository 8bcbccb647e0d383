/*
 * ebitmap.c - extensible bitmaps as sorted arrays of 64-bit nodes.
 */
#include "ebitmap.h"
#include "policy_file.h"

#define NODE_START(bit) ((bit) & ~(EBITMAP_NODE_BITS - 1))

/* By hand: __builtin_popcountll can become a libgcc call the hypervisor does not link. */
static inline uint32_t popcount64(uint64_t x)
{
	x = x - ((x >> 1) & 0x5555555555555555ull);
	x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
	return (uint32_t)((x * 0x0101010101010101ull) >> 56);
}

void ebitmap_destroy(struct ebitmap *e)
{
	flask_free(e->nodes);
	ebitmap_init(e);
}

/* Index of the node covering bit, or -(insertion point) - 1 if none. */
static long ebitmap_find(const struct ebitmap *e, uint32_t start)
{
	uint32_t lo = 0, hi = e->nnodes;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (e->nodes[mid].startbit == start) {
			return mid;
		}
		if (e->nodes[mid].startbit < start) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return -(long)lo - 1;
}

bool ebitmap_get_bit(const struct ebitmap *e, uint32_t bit)
{
	long i;

	if (bit >= e->highbit) {
		return false;
	}
	i = ebitmap_find(e, NODE_START(bit));
	if (i < 0) {
		return false;
	}
	return (e->nodes[i].map >> (bit % EBITMAP_NODE_BITS)) & 1;
}

static int ebitmap_reserve(struct ebitmap *e, uint32_t n)
{
	struct ebitmap_node *nodes;
	uint32_t cap;

	if (n <= e->cap) {
		return 0;
	}
	cap = e->cap ? e->cap * 2 : 2;
	while (cap < n) {
		cap *= 2;
	}
	nodes = flask_zalloc(sizeof(*nodes) * cap);
	if (!nodes) {
		return -FLASK_ENOMEM;
	}
	if (e->nnodes) {
		memcpy(nodes, e->nodes, sizeof(*nodes) * e->nnodes);
	}
	flask_free(e->nodes);
	e->nodes = nodes;
	e->cap = cap;
	return 0;
}

static void ebitmap_fix_highbit(struct ebitmap *e)
{
	e->highbit = e->nnodes ? e->nodes[e->nnodes - 1].startbit + EBITMAP_NODE_BITS : 0;
}

int ebitmap_set_bit(struct ebitmap *e, uint32_t bit, bool value)
{
	uint32_t start = NODE_START(bit);
	uint64_t mask = (uint64_t)1 << (bit % EBITMAP_NODE_BITS);
	long i = ebitmap_find(e, start);
	uint32_t at;

	if (i >= 0) {
		if (value) {
			e->nodes[i].map |= mask;
			return 0;
		}
		e->nodes[i].map &= ~mask;
		if (!e->nodes[i].map) {
			memmove(&e->nodes[i], &e->nodes[i + 1],
				sizeof(*e->nodes) * (e->nnodes - (uint32_t)i - 1));
			e->nnodes--;
			ebitmap_fix_highbit(e);
		}
		return 0;
	}
	if (!value) {
		return 0;
	}
	/* A bit past 2^32 - 64 would overflow highbit; no policy value gets there. */
	if (start > UINT32_MAX - EBITMAP_NODE_BITS) {
		return -FLASK_EINVAL;
	}
	if (ebitmap_reserve(e, e->nnodes + 1)) {
		return -FLASK_ENOMEM;
	}
	at = (uint32_t)(-i - 1);
	memmove(&e->nodes[at + 1], &e->nodes[at], sizeof(*e->nodes) * (e->nnodes - at));
	e->nodes[at].startbit = start;
	e->nodes[at].map = mask;
	e->nnodes++;
	ebitmap_fix_highbit(e);
	return 0;
}

uint32_t ebitmap_next_bit(const struct ebitmap *e, uint32_t from)
{
	uint32_t lo = 0, hi = e->nnodes, i;

	if (from >= e->highbit) {
		return EBITMAP_NONE;
	}
	/* Binary search for the first node that ends after from: iteration stays linear. */
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (e->nodes[mid].startbit + EBITMAP_NODE_BITS <= from) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	for (i = lo; i < e->nnodes; i++) {
		const struct ebitmap_node *n = &e->nodes[i];
		uint64_t map = n->map;

		if (from > n->startbit) {
			map &= ~(uint64_t)0 << (from - n->startbit);
		}
		if (map) {
			return n->startbit + (uint32_t)__builtin_ctzll(map);
		}
	}
	return EBITMAP_NONE;
}

uint32_t ebitmap_cardinality(const struct ebitmap *e)
{
	uint32_t i, count = 0;

	for (i = 0; i < e->nnodes; i++) {
		count += popcount64(e->nodes[i].map);
	}
	return count;
}

bool ebitmap_equal(const struct ebitmap *a, const struct ebitmap *b)
{
	uint32_t i;

	if (a->nnodes != b->nnodes) {
		return false;
	}
	for (i = 0; i < a->nnodes; i++) {
		if (a->nodes[i].startbit != b->nodes[i].startbit ||
		    a->nodes[i].map != b->nodes[i].map) {
			return false;
		}
	}
	return true;
}

bool ebitmap_contains(const struct ebitmap *a, const struct ebitmap *b)
{
	uint32_t i = 0, j;

	for (j = 0; j < b->nnodes; j++) {
		while (i < a->nnodes && a->nodes[i].startbit < b->nodes[j].startbit) {
			i++;
		}
		if (i == a->nnodes || a->nodes[i].startbit != b->nodes[j].startbit) {
			return false;
		}
		if (b->nodes[j].map & ~a->nodes[i].map) {
			return false;
		}
	}
	return true;
}

bool ebitmap_intersects(const struct ebitmap *a, const struct ebitmap *b)
{
	uint32_t i = 0, j = 0;

	while (i < a->nnodes && j < b->nnodes) {
		if (a->nodes[i].startbit < b->nodes[j].startbit) {
			i++;
		} else if (a->nodes[i].startbit > b->nodes[j].startbit) {
			j++;
		} else {
			if (a->nodes[i].map & b->nodes[j].map) {
				return true;
			}
			i++;
			j++;
		}
	}
	return false;
}

int ebitmap_copy(struct ebitmap *dst, const struct ebitmap *src)
{
	ebitmap_destroy(dst);
	if (!src->nnodes) {
		return 0;
	}
	if (ebitmap_reserve(dst, src->nnodes)) {
		return -FLASK_ENOMEM;
	}
	memcpy(dst->nodes, src->nodes, sizeof(*src->nodes) * src->nnodes);
	dst->nnodes = src->nnodes;
	dst->highbit = src->highbit;
	return 0;
}

int ebitmap_or(struct ebitmap *dst, const struct ebitmap *a, const struct ebitmap *b)
{
	uint32_t i = 0, j = 0, n = 0;

	ebitmap_destroy(dst);
	if (ebitmap_reserve(dst, a->nnodes + b->nnodes)) {
		return -FLASK_ENOMEM;
	}
	while (i < a->nnodes || j < b->nnodes) {
		struct ebitmap_node *out = &dst->nodes[n++];

		if (j == b->nnodes ||
		    (i < a->nnodes && a->nodes[i].startbit < b->nodes[j].startbit)) {
			*out = a->nodes[i++];
		} else if (i == a->nnodes || b->nodes[j].startbit < a->nodes[i].startbit) {
			*out = b->nodes[j++];
		} else {
			out->startbit = a->nodes[i].startbit;
			out->map = a->nodes[i++].map | b->nodes[j++].map;
		}
	}
	dst->nnodes = n;
	ebitmap_fix_highbit(dst);
	return 0;
}

int ebitmap_and(struct ebitmap *dst, const struct ebitmap *a, const struct ebitmap *b)
{
	uint32_t i = 0, j = 0, n = 0;

	ebitmap_destroy(dst);
	if (!a->nnodes || !b->nnodes) {
		return 0;
	}
	if (ebitmap_reserve(dst, a->nnodes < b->nnodes ? a->nnodes : b->nnodes)) {
		return -FLASK_ENOMEM;
	}
	while (i < a->nnodes && j < b->nnodes) {
		if (a->nodes[i].startbit < b->nodes[j].startbit) {
			i++;
		} else if (a->nodes[i].startbit > b->nodes[j].startbit) {
			j++;
		} else {
			uint64_t map = a->nodes[i].map & b->nodes[j].map;

			if (map) {
				dst->nodes[n].startbit = a->nodes[i].startbit;
				dst->nodes[n++].map = map;
			}
			i++;
			j++;
		}
	}
	dst->nnodes = n;
	ebitmap_fix_highbit(dst);
	return 0;
}

uint32_t ebitmap_last_bit_plus_one(const struct ebitmap *e)
{
	const struct ebitmap_node *n;

	if (!e->nnodes) {
		return 0;
	}
	n = &e->nodes[e->nnodes - 1];
	return n->startbit + 64u - (uint32_t)__builtin_clzll(n->map);
}

int ebitmap_read(struct ebitmap *e, struct policy_file *fp)
{
	uint32_t hdr[3], i, mapsize, highbit, count;
	size_t start = fp->pos;
	int rc;

	ebitmap_init(e);
	rc = pf_read_u32s(fp, hdr, 3, "ebitmap header");
	if (rc) {
		return rc;
	}
	mapsize = hdr[0];
	highbit = hdr[1];
	count = hdr[2];
	if (mapsize != EBITMAP_NODE_BITS) {
		return pf_error_at(fp, -FLASK_EINVAL, start, "ebitmap map size %u is not 64",
				   mapsize);
	}
	if (highbit % EBITMAP_NODE_BITS) {
		return pf_error_at(fp, -FLASK_EINVAL, start,
				   "ebitmap high bit %u is not a multiple of 64", highbit);
	}
	if ((highbit == 0) != (count == 0)) {
		return pf_error_at(fp, -FLASK_EINVAL, start,
				   "ebitmap high bit %u inconsistent with node count %u", highbit,
				   count);
	}
	if (count > highbit / EBITMAP_NODE_BITS) {
		return pf_error_at(fp, -FLASK_EINVAL, start,
				   "ebitmap node count %u exceeds high bit %u", count, highbit);
	}
	rc = pf_check_count(fp, count, 12, "ebitmap node");
	if (rc) {
		return rc;
	}
	if (!count) {
		return 0;
	}
	rc = ebitmap_reserve(e, count);
	if (rc) {
		return pf_nomem(fp, "ebitmap");
	}
	for (i = 0; i < count; i++) {
		uint32_t startbit;
		uint64_t map;
		size_t at = fp->pos;

		rc = pf_read_u32(fp, &startbit, "ebitmap node start");
		if (!rc) {
			rc = pf_read_u64(fp, &map, "ebitmap node map");
		}
		if (rc) {
			goto bad;
		}
		if (startbit % EBITMAP_NODE_BITS) {
			rc = pf_error_at(fp, -FLASK_EINVAL, at,
					 "ebitmap node start bit %u is not a multiple of 64",
					 startbit);
			goto bad;
		}
		if (startbit > highbit - EBITMAP_NODE_BITS) {
			rc = pf_error_at(fp, -FLASK_EINVAL, at,
					 "ebitmap node start bit %u beyond high bit %u", startbit,
					 highbit);
			goto bad;
		}
		if (i && startbit <= e->nodes[i - 1].startbit) {
			rc = pf_error_at(fp, -FLASK_EINVAL, at,
					 "ebitmap node start bit %u not above previous %u",
					 startbit, e->nodes[i - 1].startbit);
			goto bad;
		}
		if (!map) {
			rc = pf_error_at(fp, -FLASK_EINVAL, at, "ebitmap node %u has an empty map",
					 startbit);
			goto bad;
		}
		e->nodes[i].startbit = startbit;
		e->nodes[i].map = map;
		e->nnodes = i + 1;
	}
	if (e->nodes[count - 1].startbit + EBITMAP_NODE_BITS != highbit) {
		rc = pf_error_at(fp, -FLASK_EINVAL, start,
				 "ebitmap high bit %u does not match last node %u", highbit,
				 e->nodes[count - 1].startbit);
		goto bad;
	}
	e->highbit = highbit;
	return 0;
bad:
	ebitmap_destroy(e);
	return rc;
}
