divert(-1)
# Building blocks for domain types.  Every domain type T comes with:
#   T_channel   the label of the event channel ends T owns
#   T_self      the label T sees when it acts on itself (Xen computes it with
#               a type_transition from T to T in class domain)
# and may come with:
#   T_building  a label T is created under and later relabelled from
#   T_target    the label a device model sees when it acts on its guest T
# The macros below declare those types and grant the usual rule sets.
# Each one names its arguments; the order is always (actor, acted upon).

# Operations every domain performs on itself while it runs: reading its
# grant table, managing its own memory and its own HVM parameters, and
# resetting its own event channels (kexec, resume).
define(`domain_self_ops', `
allow $1 $2:grant { query setup };
allow $1 $2:event reset;
allow $1 $2:mmu { adjust physmap map_read map_write stat pinpage updatemp mmuext_op };
allow $1 $2:hvm { getparam setparam altp2mhvm_op };
allow $1 $2:domain2 get_vnumainfo;
')

# declare_domain(type[, extra attributes])
#   A domain type whose label may be shared by several domains, with its
#   _self and _channel types.
define(`declare_domain', `
type $1, domain_type`'ifelse(`$2', `', `', `, $2');
type $1_self, domain_type, domain_self_type;
type_transition $1 $1:domain $1_self;
type $1_channel, event_type;
type_transition $1 domain_type:event $1_channel;
domain_self_ops($1, $1_self)
')

# declare_singleton_domain(type[, extra attributes])
#   A domain type held by one domain at most (dom0).  It has no separate
#   _self type: T_self names T itself, so rules written for the general case
#   still read naturally.
define(`declare_singleton_domain', `
type $1, domain_type`'ifelse(`$2', `', `', `, $2');
define(`$1_self', `$1')
type $1_channel, event_type;
type_transition $1 domain_type:event $1_channel;
domain_self_ops($1, $1)
')

# declare_build_label(type)
#   T_building: the toolstack creates the domain under this label, loads it,
#   then relabels it to T.  Channels opened while building already get the
#   final channel label.
define(`declare_build_label', `
type $1_building, domain_type;
type_transition $1_building domain_type:event $1_channel;
allow $1_building $1:domain transition;
')

# What a domain builder needs on the domain it is building.
define(`create_domain_common', `
allow $1 $2:domain { create max_vcpus setdomainmaxmem setaddrsize
	getdomaininfo hypercall setvcpucontext getscheduler getvcpuinfo
	getaddrsize getaffinity setaffinity settime setdomainhandle
	getvcpucontext getpagingmempool setpagingmempool set_misc_info };
allow $1 $2:domain2 { set_cpu_policy get_cpu_policy settsc setscheduler
	setclaim set_vnumainfo get_vnumainfo cacheflush soft_reset
	get_domain_state };
allow $1 $2:security check_context;
allow $1 $2:shadow enable;
allow $1 $2:mmu { map_read map_write adjust memorymap physmap pinpage
	mmuext_op updatemp };
allow $1 $2:grant setup;
allow $1 $2:hvm { getparam setparam hvmctl sethvmc altp2mhvm altp2mhvm_op };
')

# create_domain(builder, type)
#   The builder creates domains directly under their final label.
define(`create_domain', `
create_domain_common($1, $2)
allow $1 $2_channel:event create;
')

# create_domain_build_label(builder, type)
#   The builder creates the domain as T_building and then relabels it to T;
#   the rights it had on T_building are not carried over to T.
define(`create_domain_build_label', `
create_domain_common($1, $2_building)
allow $1 $2_channel:event create;
allow $1 $2_building:domain2 relabelfrom;
allow $1 $2:domain2 relabelto;
')

# manage_domain(manager, type)
#   Life-cycle control of a running domain (scheduling, memory limits,
#   pause, shutdown, destroy, event channel reset), without access to its
#   memory or vCPU state.
define(`manage_domain', `
allow $1 $2:domain { getdomaininfo getvcpuinfo getaffinity getaddrsize
	pause unpause resume trigger shutdown destroy setaffinity
	setdomainmaxmem getscheduler getpodtarget setpodtarget };
allow $1 $2:domain2 { set_vnumainfo get_domain_state setscheduler };
allow $1 $2:event reset;
')

# migrate_domain_out(manager, type)
#   Save or migrate a domain: read its memory and state.  Reading the
#   hypervisor pages of a guest goes through domxen_t.
define(`migrate_domain_out', `
allow $1 domxen_t:mmu map_read;
allow $1 $2:hvm { gethvmc getparam };
allow $1 $2:mmu { stat pageinfo map_read };
allow $1 $2:domain { getaddrsize getvcpucontext pause destroy };
allow $1 $2:domain2 gettsc;
allow $1 $2:shadow { enable disable logdirty };
')

# create_channel(owner, remote, channel type)
#   The owner may create and use an end labelled with the channel type, and
#   that end may be bound to the remote domain.
define(`create_channel', `
allow $1 $3:event { create send status };
allow $3 $2:event bind;
')

# domain_event_comms(a, b): event channels both ways between a and b.
define(`domain_event_comms', `
create_channel($1, $2, $1_channel)
create_channel($2, $1, $2_channel)
')

# domain_comms(a, b): event channels and grant mappings both ways.
define(`domain_comms', `
domain_event_comms($1, $2)
allow $1 $2:grant { map_read map_write copy unmap };
allow $2 $1:grant { map_read map_write copy unmap };
')

# domain_self_comms(type): a domain talks to itself (loopback channels and
# grants), which Xen checks against the _self label.
define(`domain_self_comms', `
create_channel($1, $1_self, $1_channel)
allow $1 $1_self:grant { map_read map_write copy unmap };
')

# device_model(dm, guest)
#   dm serves guest as its device model.  Acting on its guest, dm sees the
#   label guest_target, which carries only what a device model needs:
#   reading and writing guest memory, HVM parameters and device-model ops.
define(`device_model', `
type $2_target, domain_type, domain_target_type;
type_transition $2 $1:domain $2_target;
allow $1 $2:domain set_target;

type_transition $2_target domain_type:event $2_channel;
create_channel($1, $2_target, $1_channel)
create_channel($2, $1, $2_channel)
allow $1 $2_channel:event create;

allow $1 $2_target:domain { getdomaininfo shutdown };
allow $1 $2_target:mmu { map_read map_write adjust physmap target_hack };
allow $1 $2_target:hvm { getparam setparam hvmctl dm };
')

# make_device_model(manager, dm, guest)
#   The manager may pair dm with guest (XEN_DOMCTL_set_target).
define(`make_device_model', `
device_model($2, $3)
allow $1 $2:domain2 make_priv_for;
allow $1 $3:domain2 set_as_target;
')

# use_device(domain, device type): use a passed-through device, but only
# behind an IOMMU that remaps interrupts.
define(`use_device', `
allow $1 $1_self:mmu exchange;
allow $1 $2:resource { use use_iommu };
allow $1 domio_t:mmu { map_read map_write };
')

# admin_device(domain, device type): use the device and hand it out.
define(`admin_device', `
allow $1 $2:resource { setup stat_device add_device add_irq add_iomem
	add_ioport remove_device remove_irq remove_iomem remove_ioport plug
	unplug };
allow $1 $2:hvm bind_irq;
use_device($1, $2)
')

# delegate_devices(manager, domain type): give resources to such domains.
define(`delegate_devices', `
allow $1 $2:resource { add remove };
')

divert(0)dnl
