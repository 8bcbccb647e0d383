/*
 * PV-EXEC hypercalls with good and bad arguments: xen_version (every
 * sub-op), console_io, vm_assist, vcpu_op, sched_op, set_timer_op,
 * set_segment_base, stack_switch, set_callbacks, callback_op,
 * fpu_taskswitch, set_trap_table, multicall, and numbers nobody handles.
 *
 * Bad pointers come in three kinds: unmapped (a low page), inside the
 * hypervisor hole, non-canonical; and, for the writing calls, the guest's
 * own page tables, which are mapped read-only: the hypervisor's write must
 * fault and come back as -EFAULT, with the guest still running.
 */
#include <public/errno.h>
#include <public/grant_table.h>

#include "guest.h"

#define BAD_UNMAPPED 0x18UL
#define BAD_HOLE 0xffff800000001000UL
#define BAD_NONCANON 0x8000000000000000UL

static const uint64_t bad_ptrs[] = {BAD_UNMAPPED, BAD_HOLE, BAD_NONCANON};

static uint64_t ro_page; /* start_info.pt_base: mapped, but read-only */

#define EXPECT(expr, want, what)                                                                   \
	do {                                                                                       \
		long rc_ = (expr);                                                                 \
		test_check(rc_ == (want), "%s: got %ld, want %ld", what, rc_, (long)(want));       \
	} while (0)

static void test_xen_version(void)
{
	char buf[1024];
	struct xen_compile_info ci;
	struct xen_platform_parameters pp;
	struct xen_feature_info fi;
	unsigned int i;
	long rc;

	rc = hypercall_xen_version(XENVER_version, NULL);
	test_check(rc == ((4 << 16) | 17), "XENVER_version 0x%lx is 4.17", rc);
	memset(buf, 0x55, sizeof(buf));
	EXPECT(hypercall_xen_version(XENVER_extraversion, buf), 0, "extraversion");
	test_check(strnlen(buf, XEN_EXTRAVERSION_LEN) < XEN_EXTRAVERSION_LEN,
		   "extraversion \"%.16s\" is terminated in its 16 bytes", buf);
	memset(&ci, 0x55, sizeof(ci));
	EXPECT(hypercall_xen_version(XENVER_compile_info, &ci), 0, "compile_info");
	test_check(strnlen(ci.compiler, 64) < 64 && ci.compiler[0] && ci.compile_date[0],
		   "compile_info: compiler \"%.64s\", date \"%.32s\"", ci.compiler,
		   ci.compile_date);
	memset(buf, 0x55, sizeof(buf));
	EXPECT(hypercall_xen_version(XENVER_capabilities, buf), 0, "capabilities");
	test_check(strcmp(buf, "xen-3.0-x86_64") == 0, "capabilities \"%.64s\"", buf);
	memset(buf, 0x55, sizeof(buf));
	EXPECT(hypercall_xen_version(XENVER_changeset, buf), 0, "changeset");
	test_check(strnlen(buf, XEN_CHANGESET_INFO_LEN) < XEN_CHANGESET_INFO_LEN,
		   "changeset \"%.64s\" terminated", buf);
	pp.virt_start = 0;
	EXPECT(hypercall_xen_version(XENVER_platform_parameters, &pp), 0, "platform_parameters");
	test_check(pp.virt_start == HYPERVISOR_VIRT_START, "virt_start 0x%llx",
		   (unsigned long long)pp.virt_start);
	fi.submap_idx = 0;
	fi.submap = 0xdeadbeef;
	EXPECT(hypercall_xen_version(XENVER_get_features, &fi), 0, "get_features(0)");
	test_check(fi.submap & (1U << XENFEAT_dom0), "dom0 sees XENFEAT_dom0 (0x%x)", fi.submap);
	test_check(!(fi.submap & ((1U << XENFEAT_writable_page_tables) |
				  (1U << XENFEAT_auto_translated_physmap) |
				  (1U << XENFEAT_supervisor_mode_kernel))),
		   "no unimplemented feature advertised (0x%x)", fi.submap);
	fi.submap_idx = 1;
	EXPECT(hypercall_xen_version(XENVER_get_features, &fi), -XEN_EINVAL, "get_features(1)");
	EXPECT(hypercall_xen_version(XENVER_pagesize, NULL), 4096, "pagesize");
	EXPECT(hypercall_xen_version(8, buf), -XEN_ENOSYS, "xen_version(guest_handle)");
	/* dom0_t may read the hypervisor command line: hv-qemu's default one. */
	memset(buf, 0x55, sizeof(buf));
	EXPECT(hypercall_xen_version(XENVER_commandline, buf), 0, "commandline");
	test_check(strcmp(buf, "console=com1 loglvl=info dom0_mem=64M") == 0,
		   "commandline \"%.80s\" is the hypervisor's", buf);
	for (i = strnlen(buf, sizeof(buf)); i < sizeof(buf) && buf[i] == 0; i++) {
	}
	test_check(i == sizeof(buf), "commandline zero-padded to 1024 bytes (byte %u is 0x%x)", i,
		   i < sizeof(buf) ? (unsigned char)buf[i] : 0);
	{
		struct {
			uint32_t len;
			unsigned char id[60];
		} vb = {.len = 60};

		EXPECT(hypercall_xen_version(XENVER_build_id, &vb), -XEN_ENODATA,
		       "build_id (no build id: Xen's -ENODATA)");
	}
	EXPECT(hypercall_xen_version(1000, buf), -XEN_ENOSYS, "xen_version(1000)");

	for (i = 0; i < ARRAY_SIZE(bad_ptrs); i++) {
		void *p = (void *)bad_ptrs[i];

		EXPECT(hypercall_xen_version(XENVER_extraversion, p), -XEN_EFAULT,
		       "extraversion to a bad pointer");
		EXPECT(hypercall_xen_version(XENVER_compile_info, p), -XEN_EFAULT,
		       "compile_info to a bad pointer");
		EXPECT(hypercall_xen_version(XENVER_capabilities, p), -XEN_EFAULT,
		       "capabilities to a bad pointer");
		EXPECT(hypercall_xen_version(XENVER_changeset, p), -XEN_EFAULT,
		       "changeset to a bad pointer");
		EXPECT(hypercall_xen_version(XENVER_platform_parameters, p), -XEN_EFAULT,
		       "platform_parameters to a bad pointer");
		EXPECT(hypercall_xen_version(XENVER_get_features, p), -XEN_EFAULT,
		       "get_features from a bad pointer");
		EXPECT(hypercall_xen_version(XENVER_commandline, p), -XEN_EFAULT,
		       "commandline to a bad pointer");
		EXPECT(hypercall_xen_version(XENVER_build_id, p), -XEN_EFAULT,
		       "build_id from a bad pointer");
	}
	EXPECT(hypercall_xen_version(XENVER_capabilities, (void *)ro_page), -XEN_EFAULT,
	       "capabilities into a read-only page");
	EXPECT(hypercall_xen_version(XENVER_commandline, (void *)ro_page), -XEN_EFAULT,
	       "commandline into a read-only page");
}

static void test_console_io(void)
{
	static const char msg[] = "exec_hcall: console_io write of 40 bytes\n";
	char big[600];
	char in[16];
	long rc;
	unsigned int i;

	EXPECT(hypercall_console_io(CONSOLEIO_write, sizeof(msg) - 1, msg), 0, "console write");
	EXPECT(hypercall_console_io(CONSOLEIO_write, 0, NULL), 0, "console write of 0 bytes");
	/* More than one internal chunk, with a control byte that must be neutralised. */
	for (i = 0; i < sizeof(big); i++) {
		big[i] = 'a' + i % 26;
	}
	big[100] = 0x1b;
	big[sizeof(big) - 1] = '\n';
	EXPECT(hypercall_console_io(CONSOLEIO_write, sizeof(big), big), 0, "console write 600");
	for (i = 0; i < ARRAY_SIZE(bad_ptrs); i++) {
		EXPECT(hypercall_console_io(CONSOLEIO_write, 8, (const char *)bad_ptrs[i]),
		       -XEN_EFAULT, "console write from a bad pointer");
	}
	/* Crossing from a good page into the hole. */
	EXPECT(hypercall_console_io(CONSOLEIO_write, 0x2000, (const char *)(BAD_HOLE - 0x1000)),
	       -XEN_EFAULT, "console write running into the hole");
	/* Nobody types on the harness's serial line: the read finds nothing. */
	rc = hypercall_console_io(CONSOLEIO_read, sizeof(in), in);
	test_check(rc == 0, "console read of an idle line returns 0 (got %ld)", rc);
	EXPECT(hypercall_console_io(2, 0, NULL), -XEN_ENOSYS, "console_io(2)");
}

static void test_vm_assist(void)
{
	EXPECT(hypercall_vm_assist(VMASST_CMD_enable, VMASST_TYPE_runstate_update_flag), 0,
	       "vm_assist enable runstate_update_flag");
	EXPECT(hypercall_vm_assist(VMASST_CMD_disable, VMASST_TYPE_runstate_update_flag), 0,
	       "vm_assist disable runstate_update_flag");
	EXPECT(hypercall_vm_assist(VMASST_CMD_enable, VMASST_TYPE_pae_extended_cr3), 0,
	       "vm_assist pae_extended_cr3");
	EXPECT(hypercall_vm_assist(VMASST_CMD_enable, VMASST_TYPE_writable_pagetables), -XEN_EINVAL,
	       "vm_assist writable_pagetables (not supported)");
	EXPECT(hypercall_vm_assist(VMASST_CMD_enable, VMASST_TYPE_4gb_segments), -XEN_EINVAL,
	       "vm_assist 4gb_segments (32-bit only)");
	EXPECT(hypercall_vm_assist(VMASST_CMD_enable, 40), -XEN_EINVAL, "vm_assist type 40");
	EXPECT(hypercall_vm_assist(7, VMASST_TYPE_pae_extended_cr3), -XEN_ENOSYS,
	       "vm_assist cmd 7");
}

static void test_vcpu_op(void)
{
	struct vcpu_runstate_info ri;
	struct vcpu_set_singleshot_timer st = {0};
	unsigned int i;

	EXPECT(hypercall_vcpu_op(VCPUOP_is_up, 0, NULL), 1, "vcpu 0 is up");
	EXPECT(hypercall_vcpu_op(VCPUOP_is_up, 1, NULL), -XEN_ENOENT, "vcpu 1 does not exist");
	EXPECT(hypercall_vcpu_op(VCPUOP_is_up, 5000, NULL), -XEN_ENOENT, "vcpu 5000");
	memset(&ri, 0xff, sizeof(ri));
	EXPECT(hypercall_vcpu_op(VCPUOP_get_runstate_info, 0, &ri), 0, "get_runstate_info");
	test_check(ri.state == RUNSTATE_running, "runstate %d is running", ri.state);
	test_check(ri.time[RUNSTATE_running] > 0 && ri.time[RUNSTATE_offline] == 0,
		   "running time %llu ns", (unsigned long long)ri.time[RUNSTATE_running]);
	for (i = 0; i < ARRAY_SIZE(bad_ptrs); i++) {
		EXPECT(hypercall_vcpu_op(VCPUOP_get_runstate_info, 0, (void *)bad_ptrs[i]),
		       -XEN_EFAULT, "get_runstate_info to a bad pointer");
		EXPECT(hypercall_vcpu_op(VCPUOP_set_singleshot_timer, 0, (void *)bad_ptrs[i]),
		       -XEN_EFAULT, "set_singleshot_timer from a bad pointer");
		EXPECT(hypercall_vcpu_op(VCPUOP_register_vcpu_info, 0, (void *)bad_ptrs[i]),
		       -XEN_EFAULT, "register_vcpu_info from a bad pointer");
	}
	EXPECT(hypercall_vcpu_op(VCPUOP_get_runstate_info, 0, (void *)ro_page), -XEN_EFAULT,
	       "get_runstate_info into a read-only page");
	st.timeout_abs_ns = 1;
	st.flags = VCPU_SSHOTTMR_future;
	EXPECT(hypercall_vcpu_op(VCPUOP_set_singleshot_timer, 0, &st), -XEN_ETIME,
	       "singleshot timer in the past with VCPU_SSHOTTMR_future");
	EXPECT(hypercall_vcpu_op(VCPUOP_stop_singleshot_timer, 0, NULL), 0, "stop singleshot");
	EXPECT(hypercall_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL), 0, "stop periodic");
	EXPECT(hypercall_vcpu_op(VCPUOP_send_nmi, 0, NULL), -XEN_ENOSYS, "vcpu_op send_nmi");
	EXPECT(hypercall_vcpu_op(77, 0, NULL), -XEN_ENOSYS, "vcpu_op(77)");
}

static void test_sched_op(void)
{
	struct sched_shutdown sd = {.reason = 77};
	struct sched_poll poll = {0};
	uint32_t port = 1;
	unsigned int i;

	EXPECT(hypercall_sched_op(SCHEDOP_yield, NULL), 0, "sched_op yield");
	EXPECT(hypercall_sched_op(SCHEDOP_shutdown, &sd), -XEN_EINVAL, "shutdown reason 77");
	EXPECT(hypercall_sched_op(SCHEDOP_shutdown_code, &sd), -XEN_EINVAL, "shutdown_code 77");
	for (i = 0; i < ARRAY_SIZE(bad_ptrs); i++) {
		EXPECT(hypercall_sched_op(SCHEDOP_shutdown, (void *)bad_ptrs[i]), -XEN_EFAULT,
		       "shutdown from a bad pointer");
		EXPECT(hypercall_sched_op(SCHEDOP_poll, (void *)bad_ptrs[i]), -XEN_EFAULT,
		       "poll from a bad pointer");
	}
	poll.nr_ports = 129;
	EXPECT(hypercall_sched_op(SCHEDOP_poll, &poll), -XEN_EINVAL, "poll of 129 ports");
	poll.nr_ports = 1;
	poll.ports = BAD_HOLE;
	EXPECT(hypercall_sched_op(SCHEDOP_poll, &poll), -XEN_EFAULT, "poll with a bad port list");
	poll.ports = (uint64_t)(uintptr_t)&port;
	EXPECT(hypercall_sched_op(SCHEDOP_poll, &poll), -XEN_EINVAL, "poll of an unbound port");
	EXPECT(hypercall_sched_op(SCHEDOP_watchdog, NULL), -XEN_ENOSYS, "sched_op watchdog");
	EXPECT(hypercall_sched_op(50, NULL), -XEN_ENOSYS, "sched_op(50)");
	EXPECT(hypercall_set_timer_op(0), 0, "set_timer_op(0) cancels");
}

static void test_cpu_state_calls(void)
{
	static uint64_t fs_word = 0x1122334455667788ULL;
	struct callback_register cb = {.type = CALLBACKTYPE_nmi, .address = 0x1000};
	struct callback_unregister un = {.type = CALLBACKTYPE_event};
	uint64_t v;
	unsigned int i;

	EXPECT(hypercall_set_segment_base(SEGBASE_FS, (uint64_t)(uintptr_t)&fs_word), 0,
	       "set fs base");
	asm volatile("mov %%fs:0, %0" : "=r"(v));
	test_check(v == fs_word, "%%fs:0 reads the word at the new fs base (0x%llx)",
		   (unsigned long long)v);
	EXPECT(hypercall_set_segment_base(SEGBASE_FS, 0), 0, "fs base back to 0");
	EXPECT(hypercall_set_segment_base(SEGBASE_FS, BAD_NONCANON), -XEN_EINVAL,
	       "non-canonical fs base");
	EXPECT(hypercall_set_segment_base(SEGBASE_GS_USER, BAD_NONCANON), -XEN_EINVAL,
	       "non-canonical user gs base");
	EXPECT(hypercall_set_segment_base(SEGBASE_GS_KERNEL, BAD_NONCANON), -XEN_EINVAL,
	       "non-canonical kernel gs base");
	EXPECT(hypercall_set_segment_base(SEGBASE_GS_USER_SEL, FLAT_RING3_DS32), 0,
	       "user gs selector 0xe02b");
	EXPECT(hypercall_set_segment_base(SEGBASE_GS_USER_SEL, 0x0abb), 0,
	       "a bad user gs selector loads the null one");
	EXPECT(hypercall_set_segment_base(9, 0), -XEN_EINVAL, "set_segment_base(9)");

	EXPECT(hypercall_stack_switch(FLAT_KERNEL_SS, 0xffffffff80100000ULL), 0, "stack_switch");

	EXPECT(hypercall_callback_op(CALLBACKOP_register, &cb), 0, "register an NMI callback");
	un.type = CALLBACKTYPE_nmi;
	EXPECT(hypercall_callback_op(CALLBACKOP_unregister, &un), 0, "unregister the NMI one");
	un.type = CALLBACKTYPE_event;
	EXPECT(hypercall_callback_op(CALLBACKOP_unregister, &un), -XEN_EINVAL,
	       "the event callback cannot be unregistered");
	cb.type = 99;
	EXPECT(hypercall_callback_op(CALLBACKOP_register, &cb), -XEN_ENOSYS,
	       "register callback type 99");
	cb.type = CALLBACKTYPE_syscall32;
	EXPECT(hypercall_callback_op(CALLBACKOP_register, &cb), 0,
	       "syscall32 callback (accepted, as Xen; exec_callbacks uses it)");
	EXPECT(hypercall_callback_op(7, &cb), -XEN_ENOSYS, "callback_op(7)");
	for (i = 0; i < ARRAY_SIZE(bad_ptrs); i++) {
		EXPECT(hypercall_callback_op(CALLBACKOP_register, (void *)bad_ptrs[i]), -XEN_EFAULT,
		       "callback register from a bad pointer");
		EXPECT(hypercall_set_trap_table((const struct trap_info *)bad_ptrs[i]), -XEN_EFAULT,
		       "set_trap_table from a bad pointer");
		EXPECT(hypercall_multicall((struct multicall_entry *)bad_ptrs[i], 1), -XEN_EFAULT,
		       "multicall from a bad pointer");
	}
	EXPECT(HYPERCALL1(__HYPERVISOR_fpu_taskswitch, 0), 0, "fpu_taskswitch(0)");
}

static void test_multicall(void)
{
	static struct multicall_entry mc[5];
	static struct multicall_entry ro_probe;
	char caps[1024];

	memset(mc, 0, sizeof(mc));
	mc[0].op = __HYPERVISOR_xen_version;
	mc[0].args[0] = XENVER_pagesize;
	mc[1].op = __HYPERVISOR_xen_version;
	mc[1].args[0] = XENVER_capabilities;
	mc[1].args[1] = (uint64_t)(uintptr_t)caps;
	mc[2].op = __HYPERVISOR_multicall;
	mc[3].op = 60;
	mc[4].op = __HYPERVISOR_vcpu_op;
	mc[4].args[0] = VCPUOP_is_up;
	mc[4].args[1] = 3;
	EXPECT(hypercall_multicall(mc, 5), 0, "multicall of 5");
	test_check(mc[0].result == 4096, "multicall[0] pagesize %lld", (long long)mc[0].result);
	test_check(mc[1].result == 0 && strcmp(caps, "xen-3.0-x86_64") == 0,
		   "multicall[1] capabilities");
	test_check((long)mc[2].result == -XEN_EINVAL, "nested multicall refused (%lld)",
		   (long long)mc[2].result);
	test_check((long)mc[3].result == -XEN_ENOSYS, "multicall of number 60 is -ENOSYS");
	test_check((long)mc[4].result == -XEN_ENOENT, "multicall vcpu_op(is_up, 3) -ENOENT");
	EXPECT(hypercall_multicall(mc, 0), 0, "empty multicall");
	(void)ro_probe;
	/* The list itself read-only: the result cannot be written back. */
	EXPECT(hypercall_multicall((struct multicall_entry *)ro_page, 1), -XEN_EFAULT,
	       "multicall whose list is read-only");
}

static void test_unknown_numbers(void)
{
	EXPECT(HYPERCALL0(7), -XEN_ENOSYS, "platform_op (7)");
	EXPECT(HYPERCALL0(__HYPERVISOR_xenoprof_op), -XEN_ENOSYS, "xenoprof_op (31)");
	/* grant_table_op exists now: of its sub-ops, dump_table is not built. */
	EXPECT(hypercall_grant_table_op(GNTTABOP_dump_table, NULL, 1), -XEN_ENOSYS,
	       "grant_table_op dump_table");
	EXPECT(HYPERCALL0(__HYPERVISOR_nmi_op), -XEN_ENOSYS, "nmi_op (28)");
	EXPECT(HYPERCALL0(__HYPERVISOR_hvm_op), -XEN_ENOSYS, "hvm_op (34)");
	EXPECT(HYPERCALL0(__HYPERVISOR_domctl), -XEN_ENOSYS, "domctl (36)");
	EXPECT(HYPERCALL0(63), -XEN_ENOSYS, "number 63");
	EXPECT(HYPERCALL0(64), -XEN_ENOSYS, "number 64 (beyond the table)");
	EXPECT(HYPERCALL0(127), -XEN_ENOSYS, "number 127 (last stub)");
}

void guest_main(struct start_info *si)
{
	ro_page = si->pt_base;
	gprintf("exec_hcall: PV-EXEC hypercalls, good and bad arguments\n");
	test_xen_version();
	test_console_io();
	test_vm_assist();
	test_vcpu_op();
	test_sched_op();
	test_cpu_state_calls();
	test_multicall();
	test_unknown_numbers();
	test_finish();
}
