/*
 * Ending a run: how the kernel tells the emulator (and through it the test
 * harness) its verdict.  Under QEMU with isa-debug-exit at port 0xf4 the
 * status QEMU exits with is (code << 1) | 1; under Bochs the string
 * "Shutdown" on port 0x8900 ends the emulator.  The command line word
 * `exit=qemu` or `exit=bochs` chooses; without it the machine just halts.
 */
#ifndef KERNEL_MACHINE_H
#define KERNEL_MACHINE_H

enum exit_code {
	EXIT_SUCCESS_CODE = 0x10,	/* QEMU status 33: everything asked for passed */
	EXIT_FAILURE_CODE = 0x11,	/* QEMU status 35: a self-test failed */
	EXIT_PANIC_CODE = 0x12,		/* QEMU status 37: panic or unexpected exception */
};

#include <stdbool.h>

void machine_init_exit(void);	/* reads `exit=` from the command line */
bool machine_can_exit(void);	/* true when an exit device was named */
__attribute__((noreturn)) void machine_exit(enum exit_code code);
__attribute__((noreturn)) void machine_halt(void);

#endif
