/*
 * dom0's bootstrap layout (asm/dom0_build.h), apart from the builder so that
 * host unit tests can check it against a brute-force count.
 */
#include <asm/dom0_build.h>
#include <elf.h>
#include <lib.h>
#include <public/errno.h>

/* The end of the canonical lower half and of the hypervisor hole. */
#define LOWER_HALF_END 0x0000800000000000ULL
#define HOLE_END 0xFFFF880000000000ULL

static uint64_t round_page(uint64_t v)
{
	return (v + PAGE_SIZE - 1) & PAGE_MASK;
}

/* Number of 2^shift-aligned blocks that [lo, hi) touches (hi > lo). */
static uint64_t nr_blocks(uint64_t lo, uint64_t hi, unsigned int shift)
{
	return ((hi - 1) >> shift) - (lo >> shift) + 1;
}

/*
 * Sizes are bounded (image <= 1 GiB by elf_parse, the initrd by its
 * module, the p2m by 8 bytes a page), so a sum can only wrap near the top
 * of the address space: the region's end then lies below its start.
 */
int dom0_layout(struct dom0_layout *l, const struct elf_image *img, uint64_t nr_pages,
		uint64_t initrd_len, char *err, size_t errlen)
{
	uint64_t top, need;

	memset(l, 0, sizeof(*l));
	l->v_start = img->virt_base;
	l->kern_start = img->virt_kstart;
	l->kern_end = img->virt_kend;
	top = l->kern_end;
	if (initrd_len && !img->unmapped_initrd) {
		l->initrd_start = top;
		l->initrd_end = top + initrd_len;
		top = round_page(l->initrd_end);
	}
	l->p2m_start = top;
	l->p2m_end = l->p2m_start + nr_pages * sizeof(uint64_t);
	l->si_start = round_page(l->p2m_end);
	l->pt_start = l->si_start + PAGE_SIZE;
	for (l->nr_pt = 2;; l->nr_pt++) {
		l->pt_end = l->pt_start + l->nr_pt * PAGE_SIZE;
		l->stack_start = l->pt_end;
		l->stack_end = l->stack_start + PAGE_SIZE;
		l->v_end = (l->stack_end + DOM0_REGION_ALIGN - 1) & ~(DOM0_REGION_ALIGN - 1);
		if (l->v_end - l->stack_end < DOM0_PADDING_MIN) {
			l->v_end += DOM0_REGION_ALIGN;
		}
		if (l->v_end <= l->v_start || l->stack_end <= l->v_start) {
			snprintf(err, errlen, "bootstrap region above %#llx wraps around",
				 (unsigned long long)l->v_start);
			return -EINVAL;
		}
		need = 1 + nr_blocks(l->v_start, l->v_end, 39) +
		       nr_blocks(l->v_start, l->v_end, 30) + nr_blocks(l->v_start, l->v_end, 21);
		if (need <= l->nr_pt) {
			break;
		}
	}
	if (l->v_end > LOWER_HALF_END && l->v_start < HOLE_END) {
		snprintf(err, errlen,
			 "bootstrap region %#llx-%#llx overlaps the hypervisor hole or is not "
			 "canonical",
			 (unsigned long long)l->v_start, (unsigned long long)l->v_end);
		return -EINVAL;
	}
	need = (l->v_end - l->v_start) / PAGE_SIZE;
	if (img->unmapped_initrd) {
		need += round_page(initrd_len) / PAGE_SIZE;
	}
	if (need > nr_pages) {
		snprintf(err, errlen,
			 "dom0 memory (%llu pages) is too small: the bootstrap region alone needs "
			 "%llu",
			 (unsigned long long)nr_pages, (unsigned long long)need);
		return -ENOMEM;
	}
	return 0;
}
