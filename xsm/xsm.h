/*
 * XSM: the access-control hooks of the hypervisor.
 *
 * Every hypercall handler decodes its arguments, then calls the xsm_* hook
 * for the operation, then acts; nothing changes before the hook has said 0.
 * The hooks are generated from xsm/hooks.def: struct xsm_ops holds one
 * function per hook, xsm_ops is the active module's table, and the xsm_*
 * inline wrappers call through it. A hook returns 0 or a negative errno:
 * -EPERM from the dummy and silo modules, -EACCES from FLASK.
 *
 * The core (xsm_core.c) knows the ops table and the registered modules
 * (struct xsm_module, listed in xsm/modules.c) and nothing else: it picks
 * the module xsm= names and lets that module boot itself. The xsm_op
 * hypercall is a hook too (xsm_do_xsm_op), so its handler does not ask
 * which module is active.
 *
 * struct domain and struct evtchn are only pointed to here, so this header
 * compiles on its own and the callers' headers need not include ours. It
 * includes cmdline.h only for enum xsm_choice, the xsm= values.
 */
#ifndef PALISADE_XSM_H
#define PALISADE_XSM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmdline.h>

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
#define XSM_HOOK_LONG(name, params, args) long(*name) params;
#include "hooks.def"
#undef XSM_HOOK
#undef XSM_HOOK_OTHER
#undef XSM_HOOK_LONG
};

/*
 * The active module's table. Written once during boot, read-only
 * afterwards; until then it holds the dummy module's decisions (xsm/dummy.c
 * initialises it).
 */
extern struct xsm_ops xsm_ops;

/* The modules' tables (xsm/dummy.c, xsm/flask/hooks.c; silo builds its own). */
extern const struct xsm_ops xsm_dummy_ops;
extern const struct xsm_ops xsm_flask_ops;

#define XSM_HOOK(name, action, src, tgt, params, args)                                             \
	static inline int xsm_##name params                                                        \
	{                                                                                          \
		return xsm_ops.name args;                                                          \
	}
#define XSM_HOOK_OTHER(name, params, args) XSM_HOOK(name, XSM_OTHER, 0, 0, params, args)
#define XSM_HOOK_LONG(name, params, args)                                                          \
	static inline long xsm_##name params                                                       \
	{                                                                                          \
		return xsm_ops.name args;                                                          \
	}
#include "hooks.def"
#undef XSM_HOOK
#undef XSM_HOOK_OTHER
#undef XSM_HOOK_LONG

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
 * A security module. Each one defines its own record (dummy.c, silo.c,
 * flask/flask_boot.c) and xsm/modules.c lists them; the core names none.
 */
struct xsm_module {
	/* What xsm_module_name() reports while this module decides. */
	const char *name;
	/* The xsm= value that picks it (cmdline.h; cmdline.c parses the names). */
	enum xsm_choice choice;
	/*
	 * Its fixed table, or NULL when boot builds one. The default module
	 * must have one: the core installs it before any boot and when the
	 * picked module declines.
	 */
	const struct xsm_ops *ops;
	/*
	 * Boots the module: reads its own options, takes the boot policy
	 * (policy, size; NULL when there is none) if it uses one and prints
	 * what it booted. Returns 0 with *ops set to the table to install, 0
	 * with *ops left NULL when it declines (flask=disabled: the default
	 * module decides, silently), or a negative errno with a one-line
	 * reason in why (the boot stops).
	 */
	int (*boot)(const void *policy, size_t size, const struct xsm_ops **ops, char *why,
		    size_t whylen);
	/* Optional: the hypervisor leaves its boot phase (xsm_boot_done). */
	void (*boot_done)(void);
	/* Optional: the running CPU passed a quiescent point (xsm_cpu_quiescent). */
	void (*quiescent)(void);
	/*
	 * Optional: true when a boot module's contents are this module's
	 * policy; policy_name names such a policy in the log ("FLASK").
	 */
	bool (*is_policy)(const void *data, size_t size);
	const char *policy_name;
};

/* The registered modules, NULL-terminated, and the default one (xsm/modules.c). */
extern const struct xsm_module *const xsm_modules[];
extern const struct xsm_module *const xsm_default_module;

/*
 * Boot. xsm_boot() runs once, after the heap is up and before the first
 * domain is created. It takes the policy module (the first boot module a
 * registered module calls its policy), picks the module xsm= names and
 * boots it (that module reads its own options: flask=, dom0_label=). It
 * returns 0, or a negative errno with a one-line reason in why: the caller
 * stops the boot with it (xsm/ never does; it does not know how).
 *
 * Boot modules are given as {data, size} pairs already mapped, so that
 * xsm/ does not depend on the boot loader's format. The policy module is
 * not dom0's kernel or initrd: the domain builder skips every module for
 * which xsm_module_is_policy() holds.
 */
struct xsm_boot_module {
	const void *data;
	size_t size;
};

int xsm_boot(const struct xsm_boot_module *mods, size_t nr, char *why, size_t whylen);

/*
 * The running CPU is at a quiescent point: it is inside no XSM hook and
 * holds nothing a hook looked up (FLASK frees the AVC nodes it unlinked
 * once every online CPU has passed one). Call it on every CPU, often, and
 * only at such points, with interrupts off or from a place no hook can
 * interrupt: today the APs' idle loop (arch_cpu_idle_loop) and any
 * interrupt or exception taken while guest code ran (traps.c); a
 * scheduler calls it from its idle loop and at each context switch.
 * Cheap when nothing waits to be freed.
 */
void xsm_cpu_quiescent(void);
bool xsm_module_is_policy(size_t index);
/* Pieces of xsm_boot, for tests: the policy module search and the module choice. */
void xsm_multiboot_policy_init(const struct xsm_boot_module *mods, size_t nr);
void xsm_set_boot_policy(const void *data, size_t size);
int xsm_init(char *why, size_t whylen);
/*
 * The boot domains are built: the active module's boot_done (FLASK: the
 * hypervisor's label moves from xenboot_t to xen_t; it also does so when
 * the first guest runs, whichever comes first).
 */
void xsm_boot_done(void);

/* Name of the active module ("dummy", "silo" or "flask"). */
const char *xsm_module_name(void);

/*
 * Counts the module's denials: FLASK calls xsm_note_denial() whenever its
 * access check refuses (after auditing it, or being told not to by
 * dontaudit). The hypercall dispatcher compares the count around a call to
 * tell such a -EACCES from a handler's own (a version check), which it
 * logs at loglvl=debug. The dummy and silo modules refuse with -EPERM,
 * which the dispatcher does not log, so they need not count.
 */
extern unsigned long xsm_denials;

static inline void xsm_note_denial(void)
{
	xsm_denials++;
}

#endif /* PALISADE_XSM_H */
