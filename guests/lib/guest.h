/* Everything a test guest usually needs. */
#ifndef GUEST_GUEST_H
#define GUEST_GUEST_H

#include <lib.h>

#include "console.h"
#include "hypercall.h"
#include "report.h"
#include "runtime.h"
#include "traps.h"
#include "usermode.h"
#include "xencons.h"

#endif /* GUEST_GUEST_H */
