/*
 * The symbol table of the first link pass (and of builds without one):
 * no symbols, so every lookup answers "unknown". C has no empty arrays,
 * hence one unused entry.
 */
#include <symbols.h>

const struct symbol_entry symbols_table[1] = {{0, 0}};
const uint32_t symbols_count = 0;
const char symbols_names[1] = "";
