/*
 * Guest descriptor tables: set_gdt and update_descriptor.
 *
 * A guest GDT lives in its own frames, typed PGT_seg_desc (the PV memory model's type
 * rules then forbid any writable mapping of them), so the guest can only
 * change a descriptor through update_descriptor, which checks it. The
 * live GDT of the CPU is one static table (cpu.c): the guest's entries are
 * copied into its first 14 pages, and the hypervisor's reserved part from
 * 0xe000 (its own selectors and the FLAT_RING3 ones) is never touched, so
 * the FLAT selectors keep working whatever the guest installs.
 *
 * What a descriptor may be (64-bit PV guests run in ring 3):
 *  - not present: anything (the CPU refuses to load it);
 *  - code or data: DPL 3 only; a lower DPL is raised to 3, as Xen does,
 *    because kernels write their native GDT (DPL 0 kernel segments) and
 *    expect it to work; the reserved L+D code combination is refused;
 *  - system: an LDT descriptor (loading it needs lldt, which only the
 *    hypervisor can execute) or type 0 (the upper half of a 16-byte
 *    system descriptor); never a call, interrupt or trap gate, so no path
 *    into ring 0 can be built, and never a TSS.
 */
#include <arch/mm.h>
#include <asm/cpu.h>
#include <asm/layout.h>
#include <asm/pv.h>
#include <domain.h>
#include <guest_access.h>
#include <hypercall.h>
#include <lib.h>
#include <mm.h>
#include <public/errno.h>
#include <public/xen.h>

#define DESC_P (1ULL << 47)
#define DESC_S (1ULL << 44)
#define DESC_DPL(d) (((d) >> 45) & 3)
#define DESC_TYPE(d) (((d) >> 40) & 0xf)
#define DESC_L (1ULL << 53)
#define DESC_DB (1ULL << 54)
#define SYS_TYPE_LDT 0x2

#define DESCS_PER_PAGE (PAGE_SIZE / 8)

/* Checks *d and raises a code/data DPL to 3; false if it must be refused. */
bool pv_descriptor_fixup(uint64_t *d)
{
	if (!(*d & DESC_P)) {
		return true;
	}
	if (!(*d & DESC_S)) {
		return DESC_TYPE(*d) == SYS_TYPE_LDT || DESC_TYPE(*d) == 0;
	}
	/* Code segment with L=1 and D=1 is reserved. */
	if ((DESC_TYPE(*d) & 0x8) && (*d & DESC_L) && (*d & DESC_DB)) {
		return false;
	}
	*d |= 3ULL << 45;
	return true;
}

static void put_frames(const mfn_t *frames, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		put_page_and_type(frames[i]);
	}
}

int pv_gdt_acquire(struct domain *d, const uint64_t *list, unsigned int entries, mfn_t *frames)
{
	unsigned int nr, i;

	if (entries > FIRST_RESERVED_GDT_ENTRY) {
		return -EINVAL;
	}
	nr = (entries + DESCS_PER_PAGE - 1) / DESCS_PER_PAGE;
	for (i = 0; i < nr; i++) {
		frames[i] = _mfn(list[i]);
		if (get_page_and_type(frames[i], d, PGT_seg_desc)) {
			put_frames(frames, i);
			return -EINVAL;
		}
	}
	/* Check every descriptor before anything changes. */
	for (i = 0; i < entries; i++) {
		const uint64_t *page = arch_mfn_to_virt(frames[i / DESCS_PER_PAGE]);
		uint64_t desc = page[i % DESCS_PER_PAGE];

		if (!pv_descriptor_fixup(&desc)) {
			put_frames(frames, nr);
			return -EINVAL;
		}
	}
	/* The fixed-up DPLs go back into the frames too, so the guest reads what runs. */
	for (i = 0; i < entries; i++) {
		uint64_t *page = arch_mfn_to_virt(frames[i / DESCS_PER_PAGE]);

		pv_descriptor_fixup(&page[i % DESCS_PER_PAGE]);
	}
	return (int)nr;
}

void pv_gdt_release(const mfn_t *frames, unsigned int nr)
{
	put_frames(frames, nr);
}

long do_set_gdt(uint64_t frame_list, uint32_t entries)
{
	struct vcpu *v = current;
	uint64_t list[PV_GDT_MAX_FRAMES];
	mfn_t frames[PV_GDT_MAX_FRAMES];
	unsigned int nr, i, j, old_ents;
	int rc;

	if (entries > FIRST_RESERVED_GDT_ENTRY) {
		return -EINVAL;
	}
	nr = (entries + DESCS_PER_PAGE - 1) / DESCS_PER_PAGE;
	if (copy_from_guest(list, frame_list, nr * sizeof(list[0]))) {
		return -EFAULT;
	}
	rc = pv_gdt_acquire(v->domain, list, entries, frames);
	if (rc < 0) {
		return rc;
	}
	put_frames(v->arch.gdt_frames, v->arch.gdt_nr_frames);
	old_ents = v->arch.gdt_ents;
	for (i = 0; i < entries; i++) {
		const uint64_t *page = arch_mfn_to_virt(frames[i / DESCS_PER_PAGE]);

		cpu_gdt_write(i, page[i % DESCS_PER_PAGE]);
	}
	for (j = entries; j < old_ents; j++) {
		cpu_gdt_write(j, 0);
	}
	memcpy(v->arch.gdt_frames, frames, nr * sizeof(frames[0]));
	v->arch.gdt_nr_frames = nr;
	v->arch.gdt_ents = entries;
	return 0;
}

long do_update_descriptor(uint64_t maddr, uint64_t desc)
{
	struct vcpu *v = current;
	mfn_t mfn = paddr_to_mfn(maddr);
	unsigned int i;
	uint64_t *slot;

	if (maddr & 7) {
		return -EINVAL;
	}
	if (!pv_descriptor_fixup(&desc)) {
		return -EINVAL;
	}
	if (!get_page(mfn, v->domain)) {
		return -EINVAL;
	}
	/* A descriptor page in use stays one; any other frame must be one the guest may write. */
	if (get_page_type(mfn, PGT_seg_desc) && get_page_type(mfn, PGT_writable)) {
		put_page(mfn);
		return -EINVAL;
	}
	slot = (uint64_t *)((char *)arch_mfn_to_virt(mfn) + (maddr & (PAGE_SIZE - 1)));
	*slot = desc;
	/* Installed in the live GDT: the copy there changes too. */
	for (i = 0; i < v->arch.gdt_nr_frames; i++) {
		if (mfn_eq(v->arch.gdt_frames[i], mfn)) {
			unsigned int idx = i * DESCS_PER_PAGE + (maddr & (PAGE_SIZE - 1)) / 8;

			if (idx < v->arch.gdt_ents) {
				cpu_gdt_write(idx, desc);
			}
		}
	}
	put_page_and_type(mfn);
	return 0;
}
