/*
 * Descriptor tables and vcpu_info placement:
 *  - update_descriptor writes checked descriptors into a free frame of the
 *    guest (a DPL 0 segment gets DPL 3, as on Xen); call gates, TSS descriptors, the reserved
 *    L+D code combination, misaligned addresses, frames the guest does not
 *    own and its page-table frames are refused with -EINVAL;
 *  - set_gdt installs that frame: its selectors load, the FLAT selectors
 *    of the hypervisor's reserved GDT part keep working, an entry beyond
 *    the table faults; a live update_descriptor takes effect at once;
 *    while installed, the frame cannot be mapped writable; oversize
 *    tables, bad lists and page-table frames are refused;
 *  - register_vcpu_info moves vcpu_info into a page of the guest: bad
 *    offsets and frames are refused, the contents move along, the
 *    hypervisor then keeps time and raises events there, and a second
 *    registration is refused.
 */
#include <public/errno.h>

#include "guest.h"

#define DATA3 0x00cff3000000ffffULL  /* flat data, DPL 3 */
#define CODE3 0x00affb000000ffffULL  /* 64-bit code, DPL 3 */
#define DATA0 0x00cf93000000ffffULL  /* flat data, DPL 0 */
#define CALLG 0x0000ec0000000000ULL  /* present call gate, DPL 3 */
#define TSS3 0x0000e90000000067ULL   /* present available TSS, DPL 3 */
#define CODELD 0x00effb000000ffffULL /* code with L and D both set */

static uint8_t vinfo_page[4096] __attribute__((aligned(4096)));

static uint64_t mfn_of_pfn(const struct start_info *si, uint64_t pfn)
{
	return ((const uint64_t *)si->mfn_list)[pfn];
}

static uint64_t mfn_of_va(const struct start_info *si, const void *va)
{
	return mfn_of_pfn(si, ((uint64_t)(uintptr_t)va - 0xffffffff80000000ULL) >> 12);
}

static void load_es(void *arg)
{
	uint16_t sel = (uint16_t)(uintptr_t)arg;

	asm volatile("mov %0, %%es" : : "r"(sel));
}

static uint16_t get_es(void)
{
	uint16_t s;

	asm volatile("mov %%es, %0" : "=r"(s));
	return s;
}

static void test_gdt(const struct start_info *si)
{
	uint64_t frame = mfn_of_pfn(si, si->nr_pages - 2);
	uint64_t ma = frame << 12, pt_mfn = mfn_of_va(si, (const void *)si->pt_base);
	uint64_t list[1] = {frame}, bad_list[1] = {pt_mfn};
	struct trap_record rec;
	long rc;

	rc = HYPERCALL2(__HYPERVISOR_update_descriptor, ma + 8, DATA3);
	test_check(rc == 0, "update_descriptor: DPL 3 data (%ld)", rc);
	rc = HYPERCALL2(__HYPERVISOR_update_descriptor, ma + 16, CODE3);
	test_check(rc == 0, "update_descriptor: DPL 3 code (%ld)", rc);
	rc = HYPERCALL2(__HYPERVISOR_update_descriptor, ma + 24, DATA3);
	test_check(rc == 0, "update_descriptor: entry 3 (%ld)", rc);
	rc = HYPERCALL2(__HYPERVISOR_update_descriptor, ma + 32, DATA0);
	test_check(rc == 0, "DPL 0 data accepted (raised to DPL 3) (%ld)", rc);
	test_check(HYPERCALL2(__HYPERVISOR_update_descriptor, ma + 32, CALLG) == -XEN_EINVAL,
		   "call gate refused");
	test_check(HYPERCALL2(__HYPERVISOR_update_descriptor, ma + 32, TSS3) == -XEN_EINVAL,
		   "TSS descriptor refused");
	test_check(HYPERCALL2(__HYPERVISOR_update_descriptor, ma + 32, CODELD) == -XEN_EINVAL,
		   "code with L and D refused");
	test_check(HYPERCALL2(__HYPERVISOR_update_descriptor, ma + 4, DATA3) == -XEN_EINVAL,
		   "misaligned descriptor address refused");
	test_check(HYPERCALL2(__HYPERVISOR_update_descriptor, 0x1000, DATA3) == -XEN_EINVAL,
		   "a frame the guest does not own refused");
	test_check(HYPERCALL2(__HYPERVISOR_update_descriptor, pt_mfn << 12, DATA3) == -XEN_EINVAL,
		   "a page-table frame refused");

	test_check(HYPERCALL2(__HYPERVISOR_set_gdt, list, 7169) == -XEN_EINVAL,
		   "set_gdt of 7169 entries refused (the reserved part starts at 7168)");
	test_check(HYPERCALL2(__HYPERVISOR_set_gdt, 0x18, 4) == -XEN_EFAULT,
		   "set_gdt with a bad frame list: -EFAULT");
	test_check(HYPERCALL2(__HYPERVISOR_set_gdt, bad_list, 4) == -XEN_EINVAL,
		   "set_gdt of a page-table frame refused");

	rc = HYPERCALL2(__HYPERVISOR_set_gdt, list, 5);
	if (!test_check(rc == 0, "set_gdt of 5 entries (%ld)", rc)) {
		return;
	}
	{
		uint32_t ar = 0;
		uint8_t ok;

		asm volatile("lar %2, %0; setz %1" : "=r"(ar), "=q"(ok) : "r"(0x23U));
		test_check(ok && ((ar >> 13) & 3) == 3,
			   "the DPL 0 descriptor runs with DPL 3 (lar 0x%x)", ar);
	}
	test_check(!trap_catch(TRAP_GP, load_es, (void *)0x0bUL, &rec) && get_es() == 0x0b,
		   "selector 0x0b of the guest GDT loads");
	test_check(!trap_catch(TRAP_GP, load_es, (void *)(uintptr_t)FLAT_RING3_DS32, &rec) &&
		       get_es() == FLAT_RING3_DS32,
		   "FLAT_RING3_DS32 still loads with a guest GDT");
	test_check(trap_catch(TRAP_GP, load_es, (void *)0x33UL, &rec) && rec.error_code == 0x30,
		   "selector 0x33 beyond the table: #GP(0x30) (0x%llx)",
		   (unsigned long long)rec.error_code);
	rc = HYPERCALL2(__HYPERVISOR_update_descriptor, ma + 24, 0);
	test_check(rc == 0, "live update to a null descriptor (%ld)", rc);
	test_check(trap_catch(TRAP_GP, load_es, (void *)0x1bUL, &rec) && rec.error_code == 0x18,
		   "the live update took effect: 0x1b now faults with #GP(0x18)");
	rc = hypercall_update_va_mapping((uint64_t)(uintptr_t)vinfo_page,
					 ma | _PAGE_PRESENT | _PAGE_RW | _PAGE_USER, UVMF_INVLPG);
	test_check(rc < 0, "the installed descriptor frame cannot be mapped writable (%ld)", rc);
	load_es((void *)0UL);
	rc = HYPERCALL2(__HYPERVISOR_set_gdt, 0, 0);
	test_check(rc == 0, "set_gdt of 0 entries releases the table (%ld)", rc);
	test_check(trap_catch(TRAP_GP, load_es, (void *)0x0bUL, &rec), "after release 0x0b faults");
}

static void test_vcpu_info(const struct start_info *si)
{
	struct vcpu_register_vcpu_info r = {0};
	volatile struct vcpu_info *nv = (volatile struct vcpu_info *)(vinfo_page + 128);
	uint32_t ver;
	long rc;

	r.mfn = mfn_of_va(si, vinfo_page);
	r.offset = 4096 - 32;
	test_check(hypercall_vcpu_op(VCPUOP_register_vcpu_info, 0, &r) == -XEN_EINVAL,
		   "vcpu_info crossing the page end refused");
	r.offset = 4;
	test_check(hypercall_vcpu_op(VCPUOP_register_vcpu_info, 0, &r) == -XEN_EINVAL,
		   "misaligned vcpu_info refused");
	r.offset = 128;
	r.mfn = mfn_of_va(si, (const void *)si->pt_base);
	test_check(hypercall_vcpu_op(VCPUOP_register_vcpu_info, 0, &r) == -XEN_EINVAL,
		   "vcpu_info in a page-table frame refused");
	r.mfn = 1;
	test_check(hypercall_vcpu_op(VCPUOP_register_vcpu_info, 1, &r) == -XEN_ENOENT,
		   "vcpu_info of vcpu 1 (none)");
	test_check(hypercall_vcpu_op(VCPUOP_register_vcpu_info, 0, &r) == -XEN_EINVAL,
		   "vcpu_info in a frame the guest does not own refused");

	r.mfn = mfn_of_va(si, vinfo_page);
	rc = hypercall_vcpu_op(VCPUOP_register_vcpu_info, 0, &r);
	if (!test_check(rc == 0, "register_vcpu_info (%ld)", rc)) {
		return;
	}
	test_check(nv->evtchn_upcall_mask == 1, "the mask moved along");
	test_check(nv->time.system_time > 0 && nv->time.tsc_to_system_mul,
		   "time is kept in the new place");
	ver = nv->time.version;
	{
		struct evtchn_bind_virq bv = {.virq = VIRQ_TIMER, .vcpu = 0};

		/* The timer reaches the guest only through a bound port. */
		test_check(hypercall_event_channel_op(EVTCHNOP_bind_virq, &bv) == 0,
			   "VIRQ_TIMER bound");
	}
	hypercall_set_timer_op(1);
	while (!nv->evtchn_upcall_pending && nv->time.version - ver < 100) {
		hypercall_sched_op(SCHEDOP_yield, NULL);
	}
	test_check(nv->evtchn_upcall_pending == 1, "the timer event arrives in the new vcpu_info");
	test_check(nv->time.version != ver && !(nv->time.version & 1),
		   "time updates continue there");
	test_check(hypercall_vcpu_op(VCPUOP_register_vcpu_info, 0, &r) == -XEN_EINVAL,
		   "a second registration is refused");
}

void guest_main(struct start_info *si)
{
	gprintf("exec_desc: set_gdt, update_descriptor, register_vcpu_info\n");
	test_gdt(si);
	test_vcpu_info(si);
	test_finish();
}
