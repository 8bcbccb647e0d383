/*
 * symtab.c - symbol tables (see symtab.h).
 */
#include "symtab.h"

int symtab_init(struct symtab *s, uint32_t hint)
{
	s->nprim = 0;
	return hashtab_init(&s->table, hint);
}

void symtab_destroy(struct symtab *s)
{
	hashtab_destroy(&s->table);
	s->nprim = 0;
}
