/*
 * The CPU list from the ACPI MADT.
 *
 * Everything here comes from firmware and is checked before use: the RSDP
 * checksum (and the extended one from revision 2), each table's signature,
 * length bounds and checksum, every MADT entry's length against the table.
 * Tables are read through the boot page tables' direct map, which covers
 * the first 4 GiB; anything beyond it is refused rather than mapped.
 * Layouts: ACPI 6.5, sections 5.2.5 (RSDP), 5.2.6 (headers), 5.2.7/5.2.8
 * (RSDT/XSDT), 5.2.12 (MADT, entry types 0 and 9).
 */
#include <asm/layout.h>
#include <asm/smp.h>
#include <console.h>
#include <lib.h>
#include <public/errno.h>

#define BOOT_MAPPED_LIMIT (4ULL << 30)
#define SDT_HEADER_LEN 36
#define MADT_ENTRIES_OFF 44
/* Far beyond any real RSDT, XSDT or MADT; a bigger length is garbage. */
#define SDT_MAX_LEN (256U * 1024)
#define MADT_LAPIC 0
#define MADT_X2APIC 9
#define MADT_ENABLED 1U

static const uint8_t *phys(uint64_t pa, uint64_t len)
{
	if (pa == 0 || len > BOOT_MAPPED_LIMIT || pa > BOOT_MAPPED_LIMIT - len) {
		return NULL;
	}
	return (const uint8_t *)(DIRECTMAP_VIRT_START + pa);
}

static uint8_t sum(const uint8_t *p, size_t len)
{
	uint8_t s = 0;

	while (len--) {
		s += *p++;
	}
	return s;
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* The 20-byte ACPI 1.0 part must sum to 0; from revision 2 the whole 36 too. */
static bool rsdp_ok(const uint8_t *r, size_t avail)
{
	if (avail < 20 || memcmp(r, "RSD PTR ", 8) != 0 || sum(r, 20) != 0) {
		return false;
	}
	if (r[15] >= 2) {
		uint32_t len = get32(r + 20);

		return avail >= 36 && len >= 36 && len <= avail && sum(r, 36) == 0;
	}
	return true;
}

/* EBDA's first KiB, then the BIOS area 0xE0000-0xFFFFF, on 16-byte boundaries. */
static const uint8_t *rsdp_scan(void)
{
	const uint8_t *bda = phys(0x40e, 2);
	uint64_t ranges[2][2] = {{0, 0}, {0xe0000, 0x100000}};
	unsigned int i;

	if (bda) {
		uint64_t ebda = (uint64_t)(bda[0] | (bda[1] << 8)) << 4;

		if (ebda >= 0x80000 && ebda < 0xa0000) {
			ranges[0][0] = ebda;
			ranges[0][1] = ebda + 1024;
		}
	}
	for (i = 0; i < 2; i++) {
		uint64_t pa;

		for (pa = ranges[i][0]; pa + 36 <= ranges[i][1]; pa += 16) {
			const uint8_t *r = phys(pa, 36);

			if (r && rsdp_ok(r, 36)) {
				return r;
			}
		}
	}
	return NULL;
}

/* A table's header and then the whole of it; NULL with why on any problem. */
static const uint8_t *map_table(uint64_t pa, const char *sig, uint32_t min_len, char *why, size_t n)
{
	const uint8_t *t = phys(pa, SDT_HEADER_LEN);
	uint32_t len;

	if (!t) {
		snprintf(why, n, "%s at %#llx is outside the first 4 GiB", sig,
			 (unsigned long long)pa);
		return NULL;
	}
	if (sig && memcmp(t, sig, 4) != 0) {
		snprintf(why, n, "table at %#llx is not %s", (unsigned long long)pa, sig);
		return NULL;
	}
	len = get32(t + 4);
	if (len < min_len || len > SDT_MAX_LEN || !phys(pa, len)) {
		snprintf(why, n, "%.4s at %#llx has a bad length %u", (const char *)t,
			 (unsigned long long)pa, len);
		return NULL;
	}
	return t;
}

static bool table_sum_ok(const uint8_t *t)
{
	return sum(t, get32(t + 4)) == 0 &&
	       !(smp_test_faults & SMP_TEST_MADTSUM && memcmp(t, "APIC", 4) == 0);
}

/* The boot CPU is apic_id[0] from the start; it is counted when its entry comes. */
static void add_cpu(struct acpi_cpus *out, uint32_t apic_id, uint32_t bsp, bool *bsp_seen)
{
	unsigned int i;

	for (i = 1; i < out->nr; i++) {
		if (out->apic_id[i] == apic_id) {
			break;
		}
	}
	if (i < out->nr || (apic_id == bsp && *bsp_seen)) {
		pr_warn("ACPI: MADT lists APIC id %u twice; once is used\n", apic_id);
		return;
	}
	out->nr_enabled++;
	if (apic_id == bsp) {
		*bsp_seen = true;
		return;
	}
	if (apic_id >= 0xff) {
		pr_warn("ACPI: CPU with APIC id %u needs x2APIC mode: not used\n", apic_id);
		return;
	}
	if (out->nr == NR_CPUS) {
		return;
	}
	out->apic_id[out->nr++] = apic_id;
}

static int parse_madt(const uint8_t *m, uint32_t bsp, struct acpi_cpus *out, char *why, size_t n)
{
	uint32_t len = get32(m + 4), off = MADT_ENTRIES_OFF;
	bool bsp_seen = false;

	out->nr = 1;
	out->apic_id[0] = bsp;
	out->nr_enabled = 0;
	while (off < len) {
		uint8_t type, elen;
		uint32_t id, flags;

		if (len - off < 2) {
			snprintf(why, n, "MADT entry at offset %u is truncated", off);
			return -EINVAL;
		}
		type = m[off];
		elen = m[off + 1];
		if (elen < 2 || elen > len - off) {
			snprintf(why, n, "MADT entry at offset %u has a bad length %u", off, elen);
			return -EINVAL;
		}
		if ((type == MADT_LAPIC && elen != 8) || (type == MADT_X2APIC && elen != 16)) {
			snprintf(why, n, "MADT entry type %u at offset %u has length %u", type, off,
				 elen);
			return -EINVAL;
		}
		if (type == MADT_LAPIC || type == MADT_X2APIC) {
			id = type == MADT_LAPIC ? m[off + 3] : get32(m + off + 4);
			flags = get32(m + off + (type == MADT_LAPIC ? 4 : 8));
			if ((flags & MADT_ENABLED) && id != 0xffffffff) {
				add_cpu(out, id, bsp, &bsp_seen);
			}
		}
		off += elen;
	}
	if (!bsp_seen) {
		snprintf(why, n, "MADT does not list the boot CPU (APIC id %u) as enabled", bsp);
		return -EINVAL;
	}
	return 0;
}

int acpi_find_cpus(const struct boot_info *bi, uint32_t bsp_apic_id, struct acpi_cpus *out,
		   char *why, size_t n)
{
	const uint8_t *r, *root, *t;
	uint64_t root_pa;
	uint32_t i, nr, esize;
	bool xsdt;

	out->nr = 1;
	out->nr_enabled = 1;
	out->apic_id[0] = bsp_apic_id;
	if (bi->rsdp_len) {
		r = bi->rsdp;
		if (!rsdp_ok(r, bi->rsdp_len)) {
			snprintf(why, n, "the RSDP of the multiboot2 ACPI tag is malformed");
			return -EINVAL;
		}
	} else {
		r = rsdp_scan();
		if (!r) {
			snprintf(why, n,
				 "no RSDP (no multiboot2 ACPI tag, none in the BIOS areas)");
			return -ENODEV;
		}
	}
	xsdt = r[15] >= 2 && get64(r + 24) != 0;
	root_pa = xsdt ? get64(r + 24) : get32(r + 16);
	esize = xsdt ? 8 : 4;
	root = map_table(root_pa, xsdt ? "XSDT" : "RSDT", SDT_HEADER_LEN, why, n);
	if (!root) {
		return -EINVAL;
	}
	if (!table_sum_ok(root)) {
		snprintf(why, n, "%s checksum is wrong", xsdt ? "XSDT" : "RSDT");
		return -EINVAL;
	}
	nr = (get32(root + 4) - SDT_HEADER_LEN) / esize;
	for (i = 0; i < nr; i++) {
		const uint8_t *e = root + SDT_HEADER_LEN + i * esize;
		uint64_t pa = xsdt ? get64(e) : get32(e);

		t = phys(pa, SDT_HEADER_LEN);
		if (!t || memcmp(t, "APIC", 4) != 0) {
			continue;
		}
		t = map_table(pa, "APIC", MADT_ENTRIES_OFF, why, n);
		if (!t) {
			return -EINVAL;
		}
		if (!table_sum_ok(t)) {
			snprintf(why, n, "MADT checksum is wrong");
			return -EINVAL;
		}
		return parse_madt(t, bsp_apic_id, out, why, n);
	}
	snprintf(why, n, "no MADT in the %s", xsdt ? "XSDT" : "RSDT");
	return -ENODEV;
}
