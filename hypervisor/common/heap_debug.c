/* Linked into builds that want heap poisoning and guard checks. */
#include <heap.h>

const bool heap_debug = true;
