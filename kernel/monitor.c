/*
 * The kernel monitor: a tiny command loop on the console, what `make run`
 * shows until user space exists.  It reads a line with echo and erase, and
 * runs one of a few built-in commands that show the kernel's state.
 */
#include <kernel/arch.h>
#include <kernel/cmdline.h>
#include <kernel/console.h>
#include <kernel/heap.h>
#include <kernel/machine.h>
#include <kernel/pmm.h>
#include <kernel/printk.h>
#include <kernel/string.h>

#define LINE_MAX 80

static void read_line(char *buf, int size)
{
	int n = 0;
	for (;;) {
		char c = console_getc();
		if (c == '\n') {
			printk("\n");
			break;
		}
		if (c == '\b') {
			if (n > 0) {
				n--;
				printk("\b \b");
			}
			continue;
		}
		if (c < ' ' || n == size - 1)
			continue;	/* control keys and overlong lines are ignored */
		buf[n++] = c;
		printk("%c", c);
	}
	buf[n] = '\0';
}

static void cmd_mem(void)
{
	struct heap_stats hs;
	heap_get_stats(&hs);
	pmm_print_map();
	printk("heap: %u pages mapped, %u bytes in %u live blocks, %u free blocks\n",
	       hs.pages, hs.used_bytes, hs.live_blocks, hs.free_blocks);
}

static void cmd_uptime(void)
{
	uint64_t t = timer_ticks();
	printk("up %llu ticks (%llu.%02llu s at %d Hz)\n", t, t / TIMER_HZ, t % TIMER_HZ, TIMER_HZ);
}

static void cmd_panic(void)
{
	panic("panic requested from the monitor");
}

static void cmd_halt(void)
{
	printk("halted\n");
	machine_exit(EXIT_SUCCESS_CODE);
}

static void cmd_help(void);

static const struct command {
	const char *name;
	const char *help;
	void (*run)(void);
} commands[] = {
	{ "help", "list the commands", cmd_help },
	{ "mem", "memory map, free pages, heap", cmd_mem },
	{ "uptime", "timer ticks since boot", cmd_uptime },
	{ "panic", "panic on purpose (shows the register dump and backtrace)", cmd_panic },
	{ "halt", "stop the machine (exits QEMU when booted with exit=qemu)", cmd_halt },
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void cmd_help(void)
{
	for (unsigned i = 0; i < NCOMMANDS; i++)
		printk("  %-8s %s\n", commands[i].name, commands[i].help);
}

void monitor_run(void)
{
	char line[LINE_MAX];
	printk("kernel monitor: type 'help' for commands\n");
	for (;;) {
		printk("kmon> ");
		read_line(line, sizeof line);
		if (line[0] == '\0')
			continue;
		unsigned i;
		for (i = 0; i < NCOMMANDS; i++)
			if (strcmp(line, commands[i].name) == 0)
				break;
		if (i < NCOMMANDS)
			commands[i].run();
		else
			printk("%s: unknown command (try 'help')\n", line);
	}
}
