/*
 * The object classes and permissions the hypervisor asks about: Xen's
 * names in Xen's order (the same as policy/flask/). The security server maps
 * them by name onto whatever policy is loaded (flask/classmap.h), so this
 * list, not the policy, fixes the numbering the hooks use.
 *
 *   FLASK_CLASS(class, FLASK_P(class, perm) ...)
 */
/* clang-format off */
#define FLASK_XEN_CLASSES(FLASK_CLASS, FLASK_P) \
	FLASK_CLASS(xen, \
		FLASK_P(xen, settime) FLASK_P(xen, tbufcontrol) FLASK_P(xen, readconsole) FLASK_P(xen, clearconsole) \
		FLASK_P(xen, perfcontrol) FLASK_P(xen, mtrr_add) FLASK_P(xen, mtrr_del) FLASK_P(xen, mtrr_read) \
		FLASK_P(xen, microcode) FLASK_P(xen, physinfo) FLASK_P(xen, quirk) FLASK_P(xen, writeconsole) \
		FLASK_P(xen, readapic) FLASK_P(xen, writeapic) FLASK_P(xen, kexec) FLASK_P(xen, firmware) \
		FLASK_P(xen, sleep) FLASK_P(xen, frequency) FLASK_P(xen, getidle) FLASK_P(xen, debug) \
		FLASK_P(xen, getcpuinfo) FLASK_P(xen, heap) FLASK_P(xen, pm_op) FLASK_P(xen, mca_op) \
		FLASK_P(xen, lockprof) FLASK_P(xen, cpupool_op) FLASK_P(xen, hypfs_op) FLASK_P(xen, getscheduler) \
		FLASK_P(xen, setscheduler) \
	) \
	FLASK_CLASS(xen2, \
		FLASK_P(xen2, resource_op) FLASK_P(xen2, psr_cmt_op) FLASK_P(xen2, psr_alloc) FLASK_P(xen2, get_symbol) \
		FLASK_P(xen2, pmu_ctrl) FLASK_P(xen2, pmu_use) FLASK_P(xen2, get_cpu_featureset) FLASK_P(xen2, livepatch_op) \
		FLASK_P(xen2, coverage_op) FLASK_P(xen2, get_dom0_console) \
	) \
	FLASK_CLASS(domain, \
		FLASK_P(domain, setvcpucontext) FLASK_P(domain, pause) FLASK_P(domain, unpause) FLASK_P(domain, resume) \
		FLASK_P(domain, create) FLASK_P(domain, transition) FLASK_P(domain, max_vcpus) FLASK_P(domain, destroy) \
		FLASK_P(domain, setaffinity) FLASK_P(domain, getaffinity) FLASK_P(domain, getscheduler) FLASK_P(domain, getdomaininfo) \
		FLASK_P(domain, getvcpuinfo) FLASK_P(domain, getvcpucontext) FLASK_P(domain, setdomainmaxmem) FLASK_P(domain, setdomainhandle) \
		FLASK_P(domain, setdebugging) FLASK_P(domain, hypercall) FLASK_P(domain, settime) FLASK_P(domain, set_target) \
		FLASK_P(domain, shutdown) FLASK_P(domain, setaddrsize) FLASK_P(domain, getaddrsize) FLASK_P(domain, trigger) \
		FLASK_P(domain, getpodtarget) FLASK_P(domain, setpodtarget) FLASK_P(domain, set_misc_info) FLASK_P(domain, set_virq_handler) \
		FLASK_P(domain, getpagingmempool) FLASK_P(domain, setpagingmempool) \
	) \
	FLASK_CLASS(domain2, \
		FLASK_P(domain2, relabelfrom) FLASK_P(domain2, relabelto) FLASK_P(domain2, relabelself) FLASK_P(domain2, make_priv_for) \
		FLASK_P(domain2, set_as_target) FLASK_P(domain2, set_cpu_policy) FLASK_P(domain2, gettsc) FLASK_P(domain2, settsc) \
		FLASK_P(domain2, setscheduler) FLASK_P(domain2, setclaim) FLASK_P(domain2, cacheflush) FLASK_P(domain2, create_hardware_domain) \
		FLASK_P(domain2, set_vnumainfo) FLASK_P(domain2, get_vnumainfo) FLASK_P(domain2, psr_cmt_op) FLASK_P(domain2, vm_event) \
		FLASK_P(domain2, soft_reset) FLASK_P(domain2, mem_access) FLASK_P(domain2, mem_paging) FLASK_P(domain2, mem_sharing) \
		FLASK_P(domain2, psr_alloc) FLASK_P(domain2, resource_map) FLASK_P(domain2, get_cpu_policy) FLASK_P(domain2, vuart_op) \
		FLASK_P(domain2, dt_overlay) FLASK_P(domain2, set_llc_colors) FLASK_P(domain2, get_domain_state) \
	) \
	FLASK_CLASS(hvm, \
		FLASK_P(hvm, sethvmc) FLASK_P(hvm, gethvmc) FLASK_P(hvm, setparam) FLASK_P(hvm, getparam) \
		FLASK_P(hvm, bind_irq) FLASK_P(hvm, hvmctl) FLASK_P(hvm, mem_sharing) FLASK_P(hvm, audit_p2m) \
		FLASK_P(hvm, share_mem) FLASK_P(hvm, altp2mhvm) FLASK_P(hvm, altp2mhvm_op) FLASK_P(hvm, dm) \
	) \
	FLASK_CLASS(mmu, \
		FLASK_P(mmu, map_read) FLASK_P(mmu, map_write) FLASK_P(mmu, pageinfo) FLASK_P(mmu, adjust) \
		FLASK_P(mmu, stat) FLASK_P(mmu, updatemp) FLASK_P(mmu, physmap) FLASK_P(mmu, pinpage) \
		FLASK_P(mmu, memorymap) FLASK_P(mmu, remote_remap) FLASK_P(mmu, mmuext_op) FLASK_P(mmu, exchange) \
		FLASK_P(mmu, target_hack) \
	) \
	FLASK_CLASS(resource, \
		FLASK_P(resource, add) FLASK_P(resource, remove) FLASK_P(resource, use) FLASK_P(resource, use_iommu) \
		FLASK_P(resource, use_iommu_nointremap) FLASK_P(resource, use_noiommu) FLASK_P(resource, add_irq) FLASK_P(resource, remove_irq) \
		FLASK_P(resource, add_ioport) FLASK_P(resource, remove_ioport) FLASK_P(resource, add_iomem) FLASK_P(resource, remove_iomem) \
		FLASK_P(resource, stat_device) FLASK_P(resource, add_device) FLASK_P(resource, remove_device) FLASK_P(resource, plug) \
		FLASK_P(resource, unplug) FLASK_P(resource, setup) \
	) \
	FLASK_CLASS(shadow, \
		FLASK_P(shadow, disable) FLASK_P(shadow, enable) FLASK_P(shadow, logdirty) \
	) \
	FLASK_CLASS(event, \
		FLASK_P(event, bind) FLASK_P(event, send) FLASK_P(event, status) FLASK_P(event, create) \
		FLASK_P(event, reset) \
	) \
	FLASK_CLASS(grant, \
		FLASK_P(grant, map_read) FLASK_P(grant, map_write) FLASK_P(grant, unmap) FLASK_P(grant, transfer) \
		FLASK_P(grant, setup) FLASK_P(grant, copy) FLASK_P(grant, query) \
	) \
	FLASK_CLASS(security, \
		FLASK_P(security, compute_av) FLASK_P(security, compute_create) FLASK_P(security, compute_member) FLASK_P(security, check_context) \
		FLASK_P(security, load_policy) FLASK_P(security, compute_relabel) FLASK_P(security, setenforce) FLASK_P(security, setbool) \
		FLASK_P(security, setsecparam) FLASK_P(security, add_ocontext) FLASK_P(security, del_ocontext) \
	) \
	FLASK_CLASS(version, \
		FLASK_P(version, xen_extraversion) FLASK_P(version, xen_compile_info) FLASK_P(version, xen_capabilities) FLASK_P(version, xen_changeset) \
		FLASK_P(version, xen_pagesize) FLASK_P(version, xen_guest_handle) FLASK_P(version, xen_commandline) FLASK_P(version, xen_build_id) \
	) \
	FLASK_CLASS(argo, \
		FLASK_P(argo, enable) FLASK_P(argo, register_single_source) FLASK_P(argo, register_any_source) FLASK_P(argo, send) \
	)
/* clang-format on */
