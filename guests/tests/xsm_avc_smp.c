/*
 * XSM test guest (dom0_t) for the FLASK caches on many CPUs, with the test
 * build's test_avc=ap: while every AP looks up domU_t -> xen_t
 * xen:writeconsole and checks each answer against the boolean
 * guest_writeconsole, this guest reloads the policy it was given as its
 * initrd module LOADS times (FLASK_LOAD) and flips the boolean after each
 * load (FLASK_SETBOOL without commit, then FLASK_COMMITBOOLS). Then it
 * reads FLASK_AVC_CACHESTATS for every CPU: CPUs 0..cpus-1 answer and each
 * AP counted lookups during the reloads; CPU `cpus` (and far beyond) is
 * -ENOENT. SUCCESS only if no AP reported a wrong decision in the console
 * ring ("test_avc: CPUn: wrong decision").
 *
 * Command line: cpus=N (the CPUs the boot must have) [loads=N] (100).
 */
#include "xsm_lib.h"

static char ring[65536];

static unsigned int parse_dec(const char *s)
{
	unsigned int v = 0;

	while (*s >= '0' && *s <= '9') {
		v = v * 10 + (unsigned int)(*s++ - '0');
	}
	return v;
}

static unsigned int opt(const char *cmdline, const char *name, unsigned int def)
{
	size_t n = strlen(name);
	const char *s = cmdline;

	while (*s) {
		while (*s == ' ') {
			s++;
		}
		if (strncmp(s, name, n) == 0 && s[n] == '=') {
			return parse_dec(s + n + 1);
		}
		while (*s && *s != ' ') {
			s++;
		}
	}
	return def;
}

static long load(const void *p, uint32_t size)
{
	struct xen_flask_op op = {0};

	op.u.load.buffer = (uint64_t)(uintptr_t)p;
	op.u.load.size = size;
	return xsm_flask(&op, FLASK_LOAD);
}

static long stats(uint32_t cpu, struct xen_flask_cache_stats *out)
{
	struct xen_flask_op op = {0};
	long rc;

	op.u.cache_stats.cpu = cpu;
	rc = xsm_flask(&op, FLASK_AVC_CACHESTATS);
	*out = op.u.cache_stats;
	return rc;
}

/* guest_writeconsole's id and current value (-1 on failure). */
static int get_bool(uint32_t *id)
{
	static const char name[] = "guest_writeconsole";
	struct xen_flask_op op = {0};

	op.u.boolean.bool_id = ~0u;
	op.u.boolean.name = (uint64_t)(uintptr_t)name;
	op.u.boolean.size = sizeof(name);
	if (xsm_flask(&op, FLASK_GETBOOL)) {
		return -1;
	}
	*id = op.u.boolean.bool_id;
	return op.u.boolean.enforcing;
}

/* Set the pending value, then commit it: two calls, as xl and flask-setbool do. */
static long set_bool(uint32_t id, int value)
{
	struct xen_flask_op op = {0};
	long rc;

	op.u.boolean.bool_id = id;
	op.u.boolean.new_value = (uint8_t)value;
	op.u.boolean.commit = 0;
	rc = xsm_flask(&op, FLASK_SETBOOL);
	if (rc) {
		return rc;
	}
	memset(&op, 0, sizeof(op));
	return xsm_flask(&op, FLASK_COMMITBOOLS);
}

void guest_main(struct start_info *si)
{
	const unsigned char *mod = (const unsigned char *)(uintptr_t)si->mod_start;
	uint32_t len = (uint32_t)si->mod_len;
	const char *cmdline = (const char *)si->cmd_line;
	unsigned int cpus = opt(cmdline, "cpus", 0), loads = opt(cmdline, "loads", 100);
	struct xen_flask_cache_stats before[8], after[8], st;
	unsigned int i, cpu, failed_loads = 0, failed_flips = 0, wrong_value = 0;
	uint32_t id = 0;
	int value;
	long rc;

	if (!test_check(cpus >= 2 && cpus <= 8, "cpus=%u (2..8)", cpus) ||
	    !test_check(mod && len > 16, "a policy module (%u bytes)", len)) {
		test_finish();
	}
	value = get_bool(&id);
	test_check(value == 1, "guest_writeconsole is on at first (%d)", value);
	for (cpu = 0; cpu < cpus; cpu++) {
		rc = stats(cpu, &before[cpu]);
		test_check(rc == 0, "cache stats of CPU%u before (%ld)", cpu, rc);
	}
	for (i = 0; i < loads; i++) {
		int want = (int)(i & 1);

		failed_loads += load(mod, len) != 0;
		/* The load keeps the boolean's value; then it flips. */
		if (get_bool(&id) != !want) {
			wrong_value++;
		}
		failed_flips += set_bool(id, want) != 0;
		if (get_bool(&id) != want) {
			wrong_value++;
		}
	}
	test_check(failed_loads == 0, "%u FLASK_LOADs of the %u-byte policy, %u failed", loads, len,
		   failed_loads);
	test_check(failed_flips == 0 && wrong_value == 0,
		   "%u SETBOOL+COMMITBOOLS flips of guest_writeconsole, %u failed, %u wrong values",
		   loads, failed_flips, wrong_value);
	for (cpu = 0; cpu < cpus; cpu++) {
		rc = stats(cpu, &after[cpu]);
		test_check(rc == 0, "cache stats of CPU%u after (%ld)", cpu, rc);
		gprintf(
		    "xsm_avc_smp: CPU%u: lookups %u hits %u misses %u allocations %u reclaims %u "
		    "frees %u\n",
		    cpu, after[cpu].lookups, after[cpu].hits, after[cpu].misses,
		    after[cpu].allocations, after[cpu].reclaims, after[cpu].frees);
		test_check(after[cpu].lookups > before[cpu].lookups,
			   "CPU%u looked up during the reloads (%u -> %u lookups)", cpu,
			   before[cpu].lookups, after[cpu].lookups);
		/* Exact only for this CPU: the APs go on counting while they are read. */
		test_check(cpu != 0 || after[0].hits + after[0].misses == after[0].lookups,
			   "CPU0: hits + misses = lookups (%u + %u, %u)", after[0].hits,
			   after[0].misses, after[0].lookups);
		/*
		 * A change makes the next lookup miss: this CPU looks up after each
		 * load; an AP may sleep through several changes at once.
		 */
		test_check(after[cpu].misses >= before[cpu].misses + (cpu == 0 ? loads : 1),
			   "CPU%u missed again after the changes (%u -> %u misses)", cpu,
			   before[cpu].misses, after[cpu].misses);
	}
	rc = stats(cpus, &st);
	test_check(rc == -ENOENT, "cache stats of CPU%u (not online) are -ENOENT (%ld)", cpus, rc);
	rc = stats(1000, &st);
	test_check(rc == -ENOENT, "cache stats of CPU1000 are -ENOENT (%ld)", rc);
	rc = stats(~0u, &st);
	test_check(rc == -ENOENT, "cache stats of CPU 0xffffffff are -ENOENT (%ld)", rc);
	rc = xsm_readconsole(ring, sizeof(ring));
	test_check(rc == 0, "readconsole (%ld)", rc);
	for (cpu = 1; cpu < cpus; cpu++) {
		char line[64];

		snprintf(line, sizeof(line), "test_avc: CPU%u: checking", cpu);
		test_check(xsm_count(ring, line) == 1, "CPU%u runs the lookup loop", cpu);
	}
	test_check(xsm_count(ring, "wrong decision") == 0,
		   "no AP saw a wrong decision (%u lines say one)",
		   xsm_count(ring, "wrong decision"));
	test_finish();
}
