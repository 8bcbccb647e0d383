/*
 * x86_64 time internals: TSC calibration against PIT channel 2 and the
 * local APIC timer. The portable part (arch_now_ns, arch_tsc_hz) is the contract in
 * <arch/time.h>.
 */
#ifndef PALISADE_ASM_TIME_H
#define PALISADE_ASM_TIME_H

#include <arch/time.h>
#include <types.h>

/* Calibrates the TSC; returns 0 or -EIO when the PIT never counted down. */
int tsc_init(void);

/* Busy-wait (interrupts may be on or off). */
void udelay(uint64_t us);

/*
 * Maps and enables the local APIC, masks the legacy PICs, calibrates the
 * APIC timer against the TSC and starts it periodic at hz. Returns 0,
 * -ENODEV (no APIC) or -EIO (timer does not count).
 */
int apic_timer_init(unsigned int hz);
uint64_t apic_timer_ticks(void);
uint64_t apic_timer_hz(void);

/* The running CPU's local APIC id (0 before apic_timer_init mapped it). */
uint32_t apic_id(void);
bool apic_mapped(void);
void apic_eoi(void);

/*
 * Writes the interrupt command register (destination in physical mode,
 * the low word as given) and waits for delivery: 0, -ENODEV (no APIC) or
 * -EIO (the APIC never finished sending).
 */
int apic_send_icr(uint32_t dest_apic_id, uint32_t low);

/* On an AP: enables its local APIC and starts its timer at the boot CPU's rate. */
int apic_ap_init(void);

#endif /* PALISADE_ASM_TIME_H */
