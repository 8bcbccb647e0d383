/*
 * TLB maintenance for the page-type logic and mmuext_op (x86_64 only: the
 * host unit tests provide their own counting versions, so this file is
 * not part of their build).
 */
#include <asm/cpu.h>
#include <mm.h>

void mm_tlb_flush_local(void)
{
	/* Reloading CR3 drops every non-global translation; guest mappings are never global. */
	write_cr3(read_cr3());
}

void mm_tlb_flush_one(uint64_t va)
{
	asm volatile("invlpg (%0)" ::"r"(va) : "memory");
}
