/*
 * unit-ds.c - unit tests of the reader's data structures: ebitmap,
 * hashtab, symtab, avtab and conditional expression evaluation.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "avtab.h"
#include "conditional.h"
#include "ebitmap.h"
#include "hashtab.h"
#include "policy_file.h"
#include "policydb.h"
#include "symtab.h"
#include "unit.h"

static void test_ebitmap_set_get(void)
{
	static const uint32_t bits[] = {0, 1, 63, 64, 65, 127, 128, 1000, 4095, 70000};
	struct ebitmap e;
	uint32_t i, bit, n = 0;

	ebitmap_init(&e);
	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		CHECK(ebitmap_set_bit(&e, bits[i], true) == 0);
	}
	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		CHECK(ebitmap_get_bit(&e, bits[i]));
	}
	CHECK(!ebitmap_get_bit(&e, 2));
	CHECK(!ebitmap_get_bit(&e, 999));
	CHECK(!ebitmap_get_bit(&e, 70001));
	CHECK(!ebitmap_get_bit(&e, 0xffffffffu));
	CHECK_EQ(ebitmap_cardinality(&e), 10);
	CHECK_EQ(e.highbit, 70000 / 64 * 64 + 64);
	CHECK_EQ(ebitmap_last_bit_plus_one(&e), 70001);
	/* Iteration visits the bits in increasing order. */
	ebitmap_for_each_bit(&e, bit)
	{
		CHECK(n < 10 && bit == bits[n]);
		n++;
	}
	CHECK_EQ(n, 10);
	/* Nodes stay sorted, aligned and non-empty. */
	for (i = 0; i < e.nnodes; i++) {
		CHECK(e.nodes[i].startbit % 64 == 0);
		CHECK(e.nodes[i].map != 0);
		CHECK(i == 0 || e.nodes[i].startbit > e.nodes[i - 1].startbit);
	}
	/* Clearing the only bit of the last node drops it and lowers highbit. */
	CHECK(ebitmap_set_bit(&e, 70000, false) == 0);
	CHECK(!ebitmap_get_bit(&e, 70000));
	CHECK_EQ(e.highbit, 4096);
	CHECK(ebitmap_set_bit(&e, 5, false) == 0); /* clearing a clear bit is a no-op */
	CHECK_EQ(ebitmap_cardinality(&e), 9);
	CHECK_EQ(ebitmap_next_bit(&e, 129), 1000);
	CHECK_EQ(ebitmap_next_bit(&e, 4096), EBITMAP_NONE);
	ebitmap_destroy(&e);
	CHECK(ebitmap_is_empty(&e));
	CHECK_EQ(e.highbit, 0);
}

/* Random set/clear against a plain bool array, then every query compared. */
static void test_ebitmap_random(void)
{
	enum { NBITS = 5000 };
	static bool ref[2][NBITS];
	struct ebitmap e[2], u, x;
	uint32_t seed = 12345, i, k, bit, count;

	memset(ref, 0, sizeof(ref));
	ebitmap_init(&e[0]);
	ebitmap_init(&e[1]);
	ebitmap_init(&u);
	ebitmap_init(&x);
	for (i = 0; i < 20000; i++) {
		uint32_t b, which;
		bool v;

		seed = seed * 1103515245u + 12345u;
		b = (seed >> 8) % NBITS;
		which = (seed >> 4) & 1;
		v = ((seed >> 30) & 3) != 0; /* set more often than clear */
		CHECK(ebitmap_set_bit(&e[which], b, v) == 0);
		ref[which][b] = v;
	}
	for (k = 0; k < 2; k++) {
		count = 0;
		for (i = 0; i < NBITS; i++) {
			if (ebitmap_get_bit(&e[k], i) != ref[k][i]) {
				unit_fail(__FILE__, __LINE__, "bit %u of map %u differs", i, k);
				break;
			}
			count += ref[k][i];
		}
		CHECK_EQ(ebitmap_cardinality(&e[k]), count);
		i = 0;
		ebitmap_for_each_bit(&e[k], bit)
		{
			while (i < NBITS && !ref[k][i]) {
				i++;
			}
			CHECK_EQ(bit, i);
			i++;
		}
		for (i = 0; i < e[k].nnodes; i++) {
			CHECK(e[k].nodes[i].map != 0);
		}
	}
	CHECK(ebitmap_or(&u, &e[0], &e[1]) == 0);
	CHECK(ebitmap_and(&x, &e[0], &e[1]) == 0);
	count = 0;
	for (i = 0; i < NBITS; i++) {
		CHECK_EQ(ebitmap_get_bit(&u, i), ref[0][i] || ref[1][i]);
		CHECK_EQ(ebitmap_get_bit(&x, i), ref[0][i] && ref[1][i]);
		count += ref[0][i] && ref[1][i];
	}
	CHECK(ebitmap_contains(&u, &e[0]) && ebitmap_contains(&u, &e[1]));
	CHECK(ebitmap_contains(&e[0], &x) && ebitmap_contains(&e[1], &x));
	CHECK_EQ(ebitmap_intersects(&e[0], &e[1]), count != 0);
	ebitmap_destroy(&e[0]);
	ebitmap_destroy(&e[1]);
	ebitmap_destroy(&u);
	ebitmap_destroy(&x);
}

static void fill(struct ebitmap *e, const uint32_t *bits, size_t n)
{
	size_t i;

	ebitmap_init(e);
	for (i = 0; i < n; i++) {
		if (ebitmap_set_bit(e, bits[i], true)) {
			unit_fail(__FILE__, __LINE__, "set_bit failed");
		}
	}
}

static void test_ebitmap_setops(void)
{
	static const uint32_t a_bits[] = {1, 5, 64, 200, 300};
	static const uint32_t b_bits[] = {5, 200};
	static const uint32_t c_bits[] = {7, 500};
	struct ebitmap a, b, c, d;

	fill(&a, a_bits, 5);
	fill(&b, b_bits, 2);
	fill(&c, c_bits, 2);
	ebitmap_init(&d);
	CHECK(ebitmap_contains(&a, &b));
	CHECK(!ebitmap_contains(&b, &a));
	CHECK(!ebitmap_contains(&a, &c));
	CHECK(ebitmap_contains(&a, &d)); /* everything contains the empty set */
	CHECK(ebitmap_intersects(&a, &b));
	CHECK(!ebitmap_intersects(&a, &c));
	CHECK(!ebitmap_equal(&a, &b));
	CHECK(ebitmap_copy(&d, &a) == 0);
	CHECK(ebitmap_equal(&a, &d));
	CHECK(ebitmap_or(&d, &b, &c) == 0);
	CHECK_EQ(ebitmap_cardinality(&d), 4);
	CHECK(ebitmap_get_bit(&d, 500) && ebitmap_get_bit(&d, 7) && ebitmap_get_bit(&d, 200));
	CHECK_EQ(d.highbit, 512);
	CHECK(ebitmap_and(&d, &a, &b) == 0);
	CHECK(ebitmap_equal(&d, &b));
	CHECK(ebitmap_and(&d, &a, &c) == 0);
	CHECK(ebitmap_is_empty(&d));
	CHECK_EQ(d.highbit, 0);
	ebitmap_destroy(&a);
	ebitmap_destroy(&b);
	ebitmap_destroy(&c);
	ebitmap_destroy(&d);
}

/* Little-endian encoder for crafted file fragments. */
struct buf {
	unsigned char b[512];
	size_t n;
};

static void put32(struct buf *b, uint32_t v)
{
	memcpy(b->b + b->n, &v, 4); /* the tests run on little-endian hosts */
	b->n += 4;
}

static void put64(struct buf *b, uint64_t v)
{
	memcpy(b->b + b->n, &v, 8);
	b->n += 8;
}

static int read_bitmap(const struct buf *b, struct ebitmap *e, char *err, size_t errlen)
{
	struct policy_file fp;
	unsigned char *copy = malloc(b->n ? b->n : 1);
	int rc;

	memcpy(copy, b->b, b->n); /* exact-size copy: ASan catches any overread */
	pf_init(&fp, copy, b->n, err, errlen);
	rc = ebitmap_read(e, &fp);
	if (!rc && fp.pos != b->n) {
		rc = 1;
	}
	free(copy);
	return rc;
}

static void test_ebitmap_read(void)
{
	struct ebitmap e;
	struct buf b;
	char err[200];

	/* A good two-node bitmap. */
	b.n = 0;
	put32(&b, 64);
	put32(&b, 192);
	put32(&b, 2);
	put32(&b, 0);
	put64(&b, 0x5);
	put32(&b, 128);
	put64(&b, 1ull << 63);
	CHECK(read_bitmap(&b, &e, err, sizeof(err)) == 0);
	CHECK(ebitmap_get_bit(&e, 0) && ebitmap_get_bit(&e, 2) && ebitmap_get_bit(&e, 191));
	CHECK_EQ(ebitmap_cardinality(&e), 3);
	ebitmap_destroy(&e);

	/* Empty. */
	b.n = 0;
	put32(&b, 64);
	put32(&b, 0);
	put32(&b, 0);
	CHECK(read_bitmap(&b, &e, err, sizeof(err)) == 0);
	CHECK(ebitmap_is_empty(&e));

	/* Map size 32. */
	b.b[0] = 32;
	CHECK(read_bitmap(&b, &e, err, sizeof(err)) == -FLASK_EINVAL);
	CHECK(strstr(err, "map size 32") != NULL);

	/* Unaligned high bit. */
	b.n = 0;
	put32(&b, 64);
	put32(&b, 65);
	put32(&b, 1);
	put32(&b, 0);
	put64(&b, 1);
	CHECK(read_bitmap(&b, &e, err, sizeof(err)) == -FLASK_EINVAL);
	CHECK(strstr(err, "high bit 65") != NULL);

	/* Unaligned start bit. */
	b.n = 0;
	put32(&b, 64);
	put32(&b, 128);
	put32(&b, 1);
	put32(&b, 32);
	put64(&b, 1);
	CHECK(read_bitmap(&b, &e, err, sizeof(err)) == -FLASK_EINVAL);

	/* Start bits not increasing. */
	b.n = 0;
	put32(&b, 64);
	put32(&b, 128);
	put32(&b, 2);
	put32(&b, 64);
	put64(&b, 1);
	put32(&b, 64);
	put64(&b, 1);
	CHECK(read_bitmap(&b, &e, err, sizeof(err)) == -FLASK_EINVAL);

	/* Empty node map. */
	b.n = 0;
	put32(&b, 64);
	put32(&b, 64);
	put32(&b, 1);
	put32(&b, 0);
	put64(&b, 0);
	CHECK(read_bitmap(&b, &e, err, sizeof(err)) == -FLASK_EINVAL);

	/* High bit beyond the last node. */
	b.n = 0;
	put32(&b, 64);
	put32(&b, 256);
	put32(&b, 1);
	put32(&b, 0);
	put64(&b, 1);
	CHECK(read_bitmap(&b, &e, err, sizeof(err)) == -FLASK_EINVAL);

	/* Node count far beyond the bytes present: rejected before allocating. */
	b.n = 0;
	put32(&b, 64);
	put32(&b, 0xffffffc0u);
	put32(&b, 0x3ffffff);
	CHECK(read_bitmap(&b, &e, err, sizeof(err)) == -FLASK_EINVAL);
	CHECK(strstr(err, "count") != NULL);

	/* Truncated node. */
	b.n = 0;
	put32(&b, 64);
	put32(&b, 64);
	put32(&b, 1);
	put32(&b, 0);
	CHECK(read_bitmap(&b, &e, err, sizeof(err)) == -FLASK_EINVAL);
	CHECK(strstr(err, "ebitmap node count 1") != NULL && strstr(err, "offset 0") != NULL);
}

static void test_hashtab(void)
{
	struct hashtab h;
	char(*keys)[16] = malloc(5000 * 16);
	uint32_t i, count = 0;

	CHECK(hashtab_init(&h, 0) == 0);
	CHECK(hashtab_search(&h, "nothing") == NULL);
	for (i = 0; i < 5000; i++) {
		snprintf(keys[i], 16, "key%u", i);
		CHECK(hashtab_insert(&h, keys[i], &keys[i]) == 0);
	}
	CHECK_EQ(h.nel, 5000);
	CHECK(h.size >= 10000); /* kept at most half full */
	for (i = 0; i < 5000; i++) {
		char probe[16];

		snprintf(probe, sizeof(probe), "key%u", i); /* a different pointer, same string */
		CHECK(hashtab_search(&h, probe) == &keys[i]);
	}
	CHECK(hashtab_insert(&h, "key17", NULL) == -FLASK_EEXIST);
	CHECK(hashtab_search(&h, "key5000") == NULL);
	CHECK(hashtab_search(&h, "") == NULL);
	for (i = 0; i < h.size; i++) {
		count += h.slots[i].key != NULL;
	}
	CHECK_EQ(count, 5000);
	hashtab_destroy(&h);
	CHECK_EQ(h.nel, 0);
	free(keys);
}

static int count_entries(const char *key, void *datum, void *arg)
{
	(void)key;
	(void)datum;
	++*(int *)arg;
	return *(int *)arg == 3 ? 42 : 0;
}

static void test_symtab(void)
{
	struct symtab s;
	int a = 1, b = 2, n = 0;

	CHECK(symtab_init(&s, 4) == 0);
	CHECK(symtab_insert(&s, "alpha", &a) == 0);
	CHECK(symtab_insert(&s, "beta", &b) == 0);
	CHECK(symtab_insert(&s, "gamma", &b) == 0);
	CHECK(symtab_insert(&s, "alpha", &b) == -FLASK_EEXIST);
	CHECK(symtab_search(&s, "alpha") == &a);
	CHECK(symtab_search(&s, "beta") == &b);
	CHECK(symtab_search(&s, "delta") == NULL);
	CHECK_EQ(symtab_nel(&s), 3);
	/* hashtab_map stops at the first non-zero result and returns it. */
	CHECK_EQ(hashtab_map(&s.table, count_entries, &n), 42);
	CHECK_EQ(n, 3);
	symtab_destroy(&s);
}

static struct avtab_key key(uint16_t s, uint16_t t, uint16_t c, uint16_t spec)
{
	struct avtab_key k = {s, t, c, spec};

	return k;
}

static void test_avtab(void)
{
	struct avtab h;
	struct avtab_key k;
	struct avtab_datum d;
	const struct avtab_node *n;
	uint32_t allowed, auditallow, auditdeny, idx, s, t, found;

	avtab_init(&h);
	CHECK(avtab_search(&h, &k) == NULL || 1);
	CHECK(avtab_alloc(&h, 8) == 0);
	/* Many rules: the table grows and rehashes past its first size. */
	for (s = 1; s <= 100; s++) {
		for (t = 1; t <= 50; t++) {
			k = key((uint16_t)s, (uint16_t)t, 3, AVTAB_ALLOWED);
			d.data = s * 1000 + t;
			CHECK(avtab_insert(&h, &k, &d, true, NULL) == 0);
		}
	}
	CHECK_EQ(h.nel, 5000);
	CHECK(h.nbuckets >= 2048);
	k = key(17, 33, 3, AVTAB_ALLOWED);
	CHECK(avtab_search(&h, &k) && avtab_search(&h, &k)->data == 17033);
	k = key(17, 33, 4, AVTAB_ALLOWED);
	CHECK(avtab_search(&h, &k) == NULL);
	k = key(17, 33, 3, AVTAB_AUDITALLOW);
	CHECK(avtab_search(&h, &k) == NULL);

	/* Same key twice: unique insert refuses, other kinds of the same triple are fine. */
	k = key(17, 33, 3, AVTAB_ALLOWED);
	d.data = 1;
	CHECK(avtab_insert(&h, &k, &d, true, NULL) == -FLASK_EEXIST);
	k.specified = AVTAB_AUDITDENY;
	d.data = 0xfffffff0u;
	CHECK(avtab_insert(&h, &k, &d, true, NULL) == 0);
	k.specified = AVTAB_AUDITALLOW;
	d.data = 0x4;
	CHECK(avtab_insert(&h, &k, &d, true, &idx) == 0);
	CHECK(h.nodes[idx].datum.data == 0x4);
	k.specified = AVTAB_TRANSITION;
	d.data = 99;
	CHECK(avtab_insert(&h, &k, &d, true, NULL) == 0);

	/* Walk all AV kinds of the triple with search_node/search_node_next. */
	k.specified = AVTAB_AV;
	found = 0;
	for (n = avtab_search_node(&h, &k); n; n = avtab_search_node_next(&h, n, AVTAB_AV)) {
		found |= n->key.specified;
	}
	CHECK_EQ(found, AVTAB_ALLOWED | AVTAB_AUDITALLOW | AVTAB_AUDITDENY);
	k.specified = AVTAB_TYPE;
	n = avtab_search_node(&h, &k);
	CHECK(n && n->key.specified == AVTAB_TRANSITION && n->datum.data == 99);
	CHECK(n && avtab_search_node_next(&h, n, AVTAB_TYPE) == NULL);

	allowed = auditallow = 0;
	auditdeny = 0xffffffffu;
	avtab_compute_av(&h, 17, 33, 3, false, &allowed, &auditallow, &auditdeny);
	CHECK_EQ(allowed, 17033);
	CHECK_EQ(auditallow, 0x4);
	CHECK_EQ(auditdeny, 0xfffffff0u);

	/* Non-unique insert keeps both; enabled_only sees only flagged nodes. */
	k = key(200, 201, 2, AVTAB_ALLOWED);
	d.data = 0x1;
	CHECK(avtab_insert(&h, &k, &d, false, &idx) == 0);
	d.data = 0x2;
	CHECK(avtab_insert(&h, &k, &d, false, NULL) == 0);
	h.nodes[idx].key.specified |= AVTAB_ENABLED;
	allowed = auditallow = 0;
	auditdeny = 0xffffffffu;
	avtab_compute_av(&h, 200, 201, 2, true, &allowed, &auditallow, &auditdeny);
	CHECK_EQ(allowed, 0x1);
	allowed = 0;
	avtab_compute_av(&h, 200, 201, 2, false, &allowed, &auditallow, &auditdeny);
	CHECK_EQ(allowed, 0x3);
	/* A search key carrying AVTAB_ENABLED still finds the node. */
	k.specified = AVTAB_ALLOWED | AVTAB_ENABLED;
	CHECK(avtab_search(&h, &k) != NULL);
	avtab_destroy(&h);
	CHECK_EQ(h.nel, 0);
}

/* Many rules on one key (allowed in conditional tables): all found, table stays consistent. */
static void test_avtab_same_key(void)
{
	struct avtab h;
	struct avtab_key k;
	struct avtab_datum d;
	const struct avtab_node *n;
	uint32_t i, count = 0, allowed = 0, aa = 0, ad = ~0u;

	avtab_init(&h);
	for (i = 0; i < 20000; i++) {
		/* Interleave other keys so rehashing happens with the run in place. */
		k = key(5, 6, 7, AVTAB_ALLOWED);
		d.data = 1u << (i % 32);
		CHECK(avtab_insert(&h, &k, &d, false, NULL) == 0);
		k = key((uint16_t)(i % 1000 + 10), 6, 7, AVTAB_ALLOWED);
		d.data = 1;
		CHECK(avtab_insert(&h, &k, &d, false, NULL) == 0);
	}
	k = key(5, 6, 7, AVTAB_ALLOWED);
	for (n = avtab_search_node(&h, &k); n; n = avtab_search_node_next(&h, n, AVTAB_ALLOWED)) {
		count++;
	}
	CHECK_EQ(count, 20000);
	avtab_compute_av(&h, 5, 6, 7, false, &allowed, &aa, &ad);
	CHECK_EQ(allowed, 0xffffffffu);
	count = 0;
	k = key(10, 6, 7, AVTAB_ALLOWED);
	for (n = avtab_search_node(&h, &k); n; n = avtab_search_node_next(&h, n, AVTAB_ALLOWED)) {
		count++;
	}
	CHECK_EQ(count, 20);
	avtab_destroy(&h);
}

/* A policydb with only booleans, enough for expression evaluation. */
static void fake_bools(struct policydb *p, struct cond_bool_datum *b, struct cond_bool_datum **arr,
		       int n)
{
	int i;

	memset(p, 0, sizeof(*p));
	for (i = 0; i < n; i++) {
		b[i].value = (uint32_t)i + 1;
		b[i].state = 0;
		arr[i] = &b[i];
	}
	p->symtab[SYM_BOOLS].nprim = (uint32_t)n;
	p->bool_val_to_struct = arr;
}

static int eval(struct policydb *p, const uint32_t (*nodes)[2], uint32_t len)
{
	struct cond_expr_node e[16];
	struct cond_expr expr = {e, len};
	uint32_t i;

	for (i = 0; i < len; i++) {
		e[i].expr_type = nodes[i][0];
		e[i].boolean = nodes[i][1];
	}
	return cond_evaluate_expr(p, &expr);
}

static void test_cond_eval(void)
{
	struct cond_bool_datum b[2], *arr[2];
	struct policydb p;
	int a, c;
	static const uint32_t ops[5] = {COND_OR, COND_AND, COND_XOR, COND_EQ, COND_NEQ};
	static const uint32_t bad1[][2] = {{COND_BOOL, 1}, {COND_BOOL, 2}};
	static const uint32_t bad2[][2] = {{COND_AND, 0}};
	static const uint32_t bad3[][2] = {{COND_BOOL, 3}};
	static const uint32_t bad4[][2] = {{8, 0}};
	static const uint32_t not1[][2] = {{COND_BOOL, 1}, {COND_NOT, 0}};

	fake_bools(&p, b, arr, 2);
	for (a = 0; a < 2; a++) {
		for (c = 0; c < 2; c++) {
			int i;

			b[0].state = a;
			b[1].state = c;
			for (i = 0; i < 5; i++) {
				uint32_t nodes[3][2] = {
				    {COND_BOOL, 1}, {COND_BOOL, 2}, {ops[i], 0}};
				int expect = i == 0   ? (a | c)
					     : i == 1 ? (a & c)
					     : i == 2 ? (a ^ c)
					     : i == 3 ? (a == c)
						      : (a != c);

				CHECK_EQ(eval(&p, (const uint32_t(*)[2])nodes, 3), expect);
			}
			CHECK_EQ(eval(&p, not1, 2), !a);
		}
	}
	CHECK_EQ(eval(&p, bad1, 2), -FLASK_EINVAL); /* two values left */
	CHECK_EQ(eval(&p, bad2, 1), -FLASK_EINVAL); /* operator without operands */
	CHECK_EQ(eval(&p, bad3, 1), -FLASK_EINVAL); /* boolean out of range */
	CHECK_EQ(eval(&p, bad4, 1), -FLASK_EINVAL); /* unknown node type */
	CHECK_EQ(eval(&p, bad1, 0), -FLASK_EINVAL); /* empty */
	{
		/* Deeper than COND_EXPR_MAXDEPTH is refused, never overflows the stack. */
		uint32_t deep[12][2];
		int i;

		for (i = 0; i < 12; i++) {
			deep[i][0] = COND_BOOL;
			deep[i][1] = 1;
		}
		CHECK_EQ(eval(&p, (const uint32_t(*)[2])deep, 12), -FLASK_EINVAL);
	}
}

void unit_ds_tests(void)
{
	unit_run("ebitmap set/get/clear/iterate across nodes", test_ebitmap_set_get);
	unit_run("ebitmap contains/intersects/equal/or/and/copy", test_ebitmap_setops);
	unit_run("ebitmap 20000 random set/clear operations match a plain bit array",
		 test_ebitmap_random);
	unit_run("ebitmap_read accepts good maps and rejects malformed ones", test_ebitmap_read);
	unit_run("hashtab insert/search/duplicate on 5000 keys", test_hashtab);
	unit_run("symtab insert/search/duplicate/map", test_symtab);
	unit_run("avtab insert/search/search_next/compute_av/growth", test_avtab);
	unit_run("avtab 20000 rules on one key (conditional tables): all found after rehashes",
		 test_avtab_same_key);
	unit_run("conditional expression evaluation (all operators, malformed)", test_cond_eval);
}
