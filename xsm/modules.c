/*
 * The registered XSM modules. The core (xsm_core.c) walks this list and
 * names no module itself; a new module adds its record here (and its
 * xsm= name to hypervisor/common/cmdline.c).
 */
#include <xsm/xsm.h>

extern const struct xsm_module xsm_flask_module, xsm_dummy_module, xsm_silo_module;

const struct xsm_module *const xsm_modules[] = {
    &xsm_flask_module,
    &xsm_dummy_module,
    &xsm_silo_module,
    NULL,
};

/* Decides before xsm_boot and when the picked module declines (flask=disabled). */
const struct xsm_module *const xsm_default_module = &xsm_dummy_module;
