/*
 * Grant tables, version 1 (common/grant_table.c): how a domain lets
 * another copy its pages, as Xen's grant_table_op does it.
 *
 * A domain's table is a run of shared frames the domain itself writes
 * (struct grant_entry_v1, 512 per frame), grown by GNTTABOP_setup_table up
 * to the domain's max_grant_frames, and beside it the hypervisor's own
 * active entries: who holds a grant pinned, for reading or writing, and
 * which frame it names. The shared frames belong to the domain (so it maps
 * them with an ordinary mmu_update, and a privileged domain with a foreign
 * one) but are not part of its reservation: the table holds a general
 * reference on each, so decrease_reservation cannot take them away, and
 * gives them back when the domain goes (gnttab_release).
 */
#ifndef PALISADE_GRANT_TABLE_H
#define PALISADE_GRANT_TABLE_H

#include <types.h>

struct domain;

/* Xen's default for max_grant_frames (its gnttab_max_frames option). */
#define GNTTAB_DEFAULT_MAX_FRAMES 64
/* The largest max_grant_frames= a boot description may give. */
#define GNTTAB_MAX_FRAMES_LIMIT 1024
/* Entries of version 1 per table frame. */
#define GNTTAB_ENTRIES_PER_FRAME 512

/*
 * At domain teardown, before its memory goes: drops the references the
 * table holds on its frames and frees the table. Safe on a domain that
 * never used grants, and more than once.
 */
void gnttab_release(struct domain *d);

/* Frames d's table has now (0 before its first setup_table). */
unsigned int gnttab_nr_frames(const struct domain *d);

#endif /* PALISADE_GRANT_TABLE_H */
