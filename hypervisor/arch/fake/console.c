/*
 * Host stand-in for the console lock. Unit tests are single-threaded, but
 * the lock still counts its depth so that a test can check printk never
 * leaves it held or takes it twice.
 */
#include <arch/console.h>
#include <fake/mem.h>

int fake_console_lock_depth;

void arch_console_lock(void)
{
	if (fake_console_lock_depth++ != 0) {
		fake_fatal("arch_console_lock: taken twice");
	}
}

void arch_console_unlock(void)
{
	if (--fake_console_lock_depth != 0) {
		fake_fatal("arch_console_unlock: not held");
	}
}
