/*
 * Address -> symbol lookup over the table scripts/gensyms generates
 * (sorted by address, built with the image, so trusted).
 */
#include <symbols.h>

const char *symbols_lookup(uint64_t addr, uint64_t *offset)
{
	uint32_t lo = 0, hi = symbols_count;
	const struct symbol_entry *e;
	const char *name;

	/* Find the last entry with entry.addr <= addr. */
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (symbols_table[mid].addr <= addr) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	if (lo == 0) {
		return NULL;
	}
	e = &symbols_table[lo - 1];
	name = &symbols_names[e->name_off];
	/* An empty name marks the end of the symbol before it. */
	if (!name[0]) {
		return NULL;
	}
	if (offset) {
		*offset = addr - e->addr;
	}
	return name;
}
