/*
 * hashtab.c - string-keyed open-addressing hash table.
 */
#include "hashtab.h"

uint32_t hashtab_hash(const char *key)
{
	/* FNV-1a, then a final mix so that the low bits used as index are good. */
	uint32_t h = 2166136261u;

	while (*key) {
		h ^= (uint8_t)*key++;
		h *= 16777619u;
	}
	h ^= h >> 16;
	h *= 0x7feb352du;
	h ^= h >> 15;
	return h;
}

static int hashtab_resize(struct hashtab *h, uint32_t size)
{
	struct hashtab_slot *old = h->slots;
	uint32_t oldsize = h->size, i;

	h->slots = flask_zalloc(sizeof(*h->slots) * size);
	if (!h->slots) {
		h->slots = old;
		return -FLASK_ENOMEM;
	}
	h->size = size;
	for (i = 0; i < oldsize; i++) {
		uint32_t j;

		if (!old[i].key) {
			continue;
		}
		for (j = old[i].hash & (size - 1); h->slots[j].key; j = (j + 1) & (size - 1)) {
		}
		h->slots[j] = old[i];
	}
	flask_free(old);
	return 0;
}

int hashtab_init(struct hashtab *h, uint32_t hint)
{
	uint32_t size = 8;

	h->slots = NULL;
	h->size = 0;
	h->nel = 0;
	if (hint > (1u << 28)) {
		return -FLASK_ENOMEM;
	}
	while (size < hint * 2) {
		size *= 2;
	}
	return hashtab_resize(h, size);
}

int hashtab_insert(struct hashtab *h, const char *key, void *datum)
{
	uint32_t hash = hashtab_hash(key), i;

	if (!h->size || (h->nel + 1) * 2 > h->size) {
		if (h->size >= (1u << 30) || hashtab_resize(h, h->size ? h->size * 2 : 8)) {
			return -FLASK_ENOMEM;
		}
	}
	for (i = hash & (h->size - 1); h->slots[i].key; i = (i + 1) & (h->size - 1)) {
		if (h->slots[i].hash == hash && !strcmp(h->slots[i].key, key)) {
			return -FLASK_EEXIST;
		}
	}
	h->slots[i].key = key;
	h->slots[i].datum = datum;
	h->slots[i].hash = hash;
	h->nel++;
	return 0;
}

void *hashtab_search(const struct hashtab *h, const char *key)
{
	uint32_t hash, i;

	if (!h->size) {
		return NULL;
	}
	hash = hashtab_hash(key);
	for (i = hash & (h->size - 1); h->slots[i].key; i = (i + 1) & (h->size - 1)) {
		if (h->slots[i].hash == hash && !strcmp(h->slots[i].key, key)) {
			return h->slots[i].datum;
		}
	}
	return NULL;
}

int hashtab_map(const struct hashtab *h, int (*apply)(const char *key, void *datum, void *arg),
		void *arg)
{
	uint32_t i;
	int rc;

	for (i = 0; i < h->size; i++) {
		if (h->slots[i].key) {
			rc = apply(h->slots[i].key, h->slots[i].datum, arg);
			if (rc) {
				return rc;
			}
		}
	}
	return 0;
}

void hashtab_destroy(struct hashtab *h)
{
	flask_free(h->slots);
	h->slots = NULL;
	h->size = 0;
	h->nel = 0;
}
