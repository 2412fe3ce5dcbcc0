/*
 * kmain: the order in which the kernel comes up.  boot/boot.S calls it on
 * the boot stack, with paging on (the first 16 MiB mapped at 0xC0000000)
 * and interrupts off.
 */
#include <kernel/arch.h>
#include <kernel/cmdline.h>
#include <kernel/console.h>
#include <kernel/heap.h>
#include <kernel/layout.h>
#include <kernel/machine.h>
#include <kernel/multiboot.h>
#include <kernel/paging.h>
#include <kernel/pmm.h>
#include <kernel/printk.h>
#include <kernel/selftest.h>
#include <kernel/string.h>
#include <kernel/vfs.h>
#include <kernel/x86.h>

#define KERNEL_NAME	"altmm kernel"
#define KERNEL_VERSION	"0.1"

void monitor_run(void);

/* `crash=panic|divide|pagefault`: fail on purpose, so the harness can check
 * what a failure looks like (a register dump, a backtrace, the exit code). */
__attribute__((noinline)) static void crash_if_asked(void)
{
	char how[16];
	if (!cmdline_get("crash", how, sizeof how))
		return;
	if (strcmp(how, "panic") == 0)
		panic("deliberate panic (crash=panic)");
	if (strcmp(how, "divide") == 0) {
		volatile int zero = 0, ten = 10;
		printk("%d\n", ten / zero);
	}
	if (strcmp(how, "pagefault") == 0) {
		volatile uint32_t unmapped = 0x10;	/* nothing is mapped at 0 */
		*(volatile int *)unmapped = 1;
	}
	printk("crash=%s: unknown crash kind (panic, divide, pagefault)\n", how);
}

void kmain(uint32_t magic, uint32_t mbi_phys)
{
	console_init();
	if (magic != MULTIBOOT_BOOTLOADER_MAGIC)
		panic("not started by a multiboot boot loader (magic %08x)", magic);
	if (mbi_phys >= EARLY_MAP_SIZE - sizeof(struct multiboot_info))
		panic("multiboot info at %08x, above the early map", mbi_phys);
	const struct multiboot_info *mbi = phys_to_virt(mbi_phys);

	const char *cmd = "";
	if ((mbi->flags & MB_INFO_CMDLINE) && mbi->cmdline < EARLY_MAP_SIZE)
		cmd = phys_to_virt(mbi->cmdline);
	cmdline_init(cmd);
	machine_init_exit();

	printk("%s %s (i386, multiboot)\n", KERNEL_NAME, KERNEL_VERSION);
	printk("command line: %s\n", cmdline_get_all());
	if (mbi->flags & MB_INFO_LOADER && mbi->boot_loader_name < EARLY_MAP_SIZE)
		printk("boot loader: %s\n", (const char *)phys_to_virt(mbi->boot_loader_name));

	gdt_init();
	idt_init();
	pic_init();
	pmm_init(mbi);
	paging_init();
	heap_init();
	pmm_print_map();

	pit_init();
	keyboard_init();
	serial_enable_input();
	sti();
	printk("timer at %d Hz; console on COM1 and VGA\n", TIMER_HZ);

	crash_if_asked();
	vfs_init();

	/* Under a harness (exit=qemu or exit=bochs) a self-test run ends the
	 * machine with its verdict; by hand, the monitor follows. */
	bool asked;
	bool ok = selftest_run_requested(&asked);
	if (asked && machine_can_exit())
		machine_exit(ok ? EXIT_SUCCESS_CODE : EXIT_FAILURE_CODE);
	monitor_run();
}
