/* Linked into builds that want the heap without poisoning or guards. */
#include <heap.h>

const bool heap_debug = false;
