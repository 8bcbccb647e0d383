/*
 * build_state for a kernel with the MOD_START_PFN note: the builder must
 * leave the initrd unmapped, right after the bootstrap region, and pass
 * its pfn in mod_start with SIF_MOD_START_PFN.
 */
#define WANT_MOD_START_PFN 1
#include "../build_state.c"

/* One more Xen note: MOD_START_PFN (16) = 1. */
asm(".pushsection .note.Xen, \"a\", @note\n"
    "\t.balign 4\n"
    "\t.long 4, 8, 16\n"
    "\t.asciz \"Xen\"\n"
    "\t.balign 4\n"
    "\t.quad 1\n"
    "\t.balign 4\n"
    "\t.popsection\n");
