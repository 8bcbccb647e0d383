/*
 * XSM: the access-control hooks of the hypervisor.
 *
 * Every hypercall handler decodes its arguments, then calls the xsm_* hook
 * for the operation, then acts; nothing changes before the hook has said 0.
 * The hooks are generated from xsm/hooks.def: struct xsm_ops holds one
 * function per hook, xsm_ops is the active module's table (dummy, silo or
 * flask, picked once at boot by xsm=), and the xsm_* inline wrappers call
 * through it. A hook returns 0 or a negative errno: -EPERM from the dummy
 * and silo modules, -EACCES from FLASK.
 *
 * struct domain and struct evtchn are only pointed to here, so this header
 * compiles on its own and the callers' headers need not include ours.
 */
#ifndef PALISADE_XSM_H
#define PALISADE_XSM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct domain;
struct evtchn;

/* Dummy decisions, as Xen's default module makes them. */
enum xsm_default {
	XSM_HOOK,    /* always allowed */
	XSM_DM_PRIV, /* the target's device model, or the privileged domain */
	XSM_TARGET,  /* the domain itself, its device model, or the privileged domain */
	XSM_XS_PRIV, /* the xenstore domain or the privileged domain */
	XSM_PRIV,    /* the privileged (control) domain only */
	XSM_OTHER,   /* decided by the hook's own code */
};

/* mmu_update flags: what the update does with the page of domain f. */
#define XSM_MMU_UPDATE_READ 1u
#define XSM_MMU_UPDATE_WRITE 2u
#define XSM_MMU_NORMAL_UPDATE 4u
#define XSM_MMU_MACHPHYS_UPDATE 8u

/* Names used in hooks.def for the source and target of a dummy decision. */
#define XSM_CUR xsm_current_domain()
#define XSM_NONE ((struct domain *)0)

#define XSM_UNPAREN(...) __VA_ARGS__

struct xsm_ops {
#define XSM_HOOK(name, action, src, tgt, params, args) int(*name) params;
#define XSM_HOOK_OTHER(name, params, args) int(*name) params;
#include "hooks.def"
#undef XSM_HOOK
#undef XSM_HOOK_OTHER
};

/* The active module. Written once during boot, read-only afterwards. */
extern struct xsm_ops xsm_ops;

/* The modules' tables (xsm/dummy.c, xsm/silo.c, xsm/flask/hooks.c). */
extern const struct xsm_ops xsm_dummy_ops;
extern const struct xsm_ops xsm_flask_ops;
/* Silo is the dummy module with communication confined: it patches a copy. */
void xsm_silo_install(struct xsm_ops *ops);

#define XSM_HOOK(name, action, src, tgt, params, args)                                             \
	static inline int xsm_##name params                                                        \
	{                                                                                          \
		return xsm_ops.name args;                                                          \
	}
#define XSM_HOOK_OTHER(name, params, args) XSM_HOOK(name, XSM_OTHER, 0, 0, params, args)
#include "hooks.def"
#undef XSM_HOOK
#undef XSM_HOOK_OTHER

/*
 * The few domain facts the dummy and silo modules need, as functions so
 * that this header does not depend on struct domain's layout
 * (xsm/xsm_domain.c; host unit tests provide their own).
 */
/* The calling domain; the hypervisor (dom_xen) when no guest is running. */
struct domain *xsm_current_domain(void);
/* The hypervisor counts as privileged: it acts for itself at boot. */
bool xsm_domain_is_privileged(const struct domain *d);
/* The domain whose device model @d is, or NULL. */
struct domain *xsm_domain_target(const struct domain *d);
bool xsm_domain_is_xenstore(const struct domain *d);
uint16_t xsm_domain_id(const struct domain *d);
/* DOMID_IO's pseudo-domain (owner of I/O frames), or NULL before boot sets it. */
struct domain *xsm_dom_io(void);
/* The security blob of a domain (FLASK: struct domain_security). */
void *xsm_domain_ssid(const struct domain *d);
void xsm_domain_set_ssid(struct domain *d, void *ssid);

/* The dummy module's decision for @action by @src on @tgt: 0 or -EPERM. */
int xsm_default_action(enum xsm_default action, const struct domain *src, const struct domain *tgt);

/*
 * Boot. xsm_boot() runs once, after the heap is up and before the first
 * domain is created: it takes the policy module (the first boot module
 * that starts with XSM_POLICY_MAGIC), reads xsm=, flask= and dom0_label=
 * and installs the module; it does not return when flask=enforcing has no
 * usable policy. The policy module is not dom0's kernel or initrd: the
 * domain builder skips every module for which xsm_module_is_policy() holds.
 * The hypervisor's label moves from xenboot_t to xen_t when the first
 * guest runs (or at xsm_boot_done(), whichever comes first).
 */
#define XSM_POLICY_MAGIC 0xf97cff8cU

struct boot_info;

void xsm_boot(const struct boot_info *bi);
bool xsm_module_is_policy(size_t index);
/* Pieces of xsm_boot, for tests: the policy module search and the module choice. */
void xsm_multiboot_policy_init(const struct boot_info *bi);
void xsm_set_boot_policy(const void *data, size_t size);
int xsm_init(void);
void xsm_boot_done(void);

/* Name of the active module ("dummy", "silo" or "flask"). */
const char *xsm_module_name(void);

#endif /* PALISADE_XSM_H */
