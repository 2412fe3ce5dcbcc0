/*
 * Ending the machine.  See <kernel/machine.h> for the exit protocol the
 * test harness relies on.
 */
#include <kernel/cmdline.h>
#include <kernel/console.h>
#include <kernel/machine.h>
#include <kernel/string.h>
#include <kernel/x86.h>

#define QEMU_DEBUG_EXIT_PORT	0xF4
#define BOCHS_SHUTDOWN_PORT	0x8900

static enum { EXIT_HALT, EXIT_QEMU, EXIT_BOCHS } exit_method = EXIT_HALT;

void machine_init_exit(void)
{
	char how[16];
	if (!cmdline_get("exit", how, sizeof how))
		return;
	if (strcmp(how, "qemu") == 0)
		exit_method = EXIT_QEMU;
	else if (strcmp(how, "bochs") == 0)
		exit_method = EXIT_BOCHS;
}

bool machine_can_exit(void)
{
	return exit_method != EXIT_HALT;
}

void machine_halt(void)
{
	for (;;) {
		cli();
		hlt();
	}
}

void machine_exit(enum exit_code code)
{
	cli();
	serial_drain();
	if (exit_method == EXIT_QEMU) {
		outl(QEMU_DEBUG_EXIT_PORT, code);
	} else if (exit_method == EXIT_BOCHS) {
		for (const char *s = "Shutdown"; *s; s++)
			outb(BOCHS_SHUTDOWN_PORT, (uint8_t)*s);
	}
	machine_halt();	/* without an exit device, or if it failed */
}
