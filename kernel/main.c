/*
 * kmain: the order in which the kernel comes up.  boot/boot.S calls it on
 * the boot stack, with paging on (the first 16 MiB mapped at 0xC0000000)
 * and interrupts off.
 */
#include <kernel/altmm.h>
#include <kernel/arch.h>
#include <kernel/cmdline.h>
#include <kernel/exec.h>
#include <kernel/fpu.h>
#include <kernel/random.h>
#include <kernel/sched.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <kernel/vfs.h>
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
#include <uapi/fcntl.h>

#define KERNEL_NAME	"altmm kernel"
#define KERNEL_VERSION	"0.1"

void monitor_run(void);
void time_init(void);
void rlimits_init(struct task *t);
struct inode *vfs_root(void);

/* Give back the initrd's pages that unpacking has gone past. */
static void initrd_consumed(size_t upto, void *arg)
{
	const struct multiboot_mod *mod = arg;
	pmm_release_range(mod->mod_start, mod->mod_start + (uint32_t)upto);
}

/* The first multiboot module is the initrd: unpack it into the root file
 * system, giving its memory back as it goes.  Returns true if there was
 * one and it unpacked whole. */
static bool load_initrd(const struct multiboot_info *mbi)
{
	if (!(mbi->flags & MB_INFO_MODS) || mbi->mods_count == 0) {
		printk("no initrd (no multiboot module)\n");
		return false;
	}
	const struct multiboot_mod *mod = phys_to_virt(mbi->mods_addr);
	if (mod->mod_end < mod->mod_start || mod->mod_end > pmm_direct_map_end()) {
		printk("initrd: refused: it lies at %08x-%08x, outside the directly mapped RAM "
		       "(below %08x)\n", mod->mod_start, mod->mod_end, pmm_direct_map_end());
		if (mod->mod_end >= mod->mod_start)
			pmm_release_range(mod->mod_start, mod->mod_end);
		return false;
	}
	uint32_t size = mod->mod_end - mod->mod_start;
	printk("initrd: %u bytes at %08x\n", size, mod->mod_start);
	int err = initrd_unpack_progress(phys_to_virt(mod->mod_start), size, initrd_consumed,
					 (void *)mod);
	if (err)
		printk("initrd: refused (error %d); the root file system may be incomplete\n", err);
	pmm_release_range(mod->mod_start, mod->mod_end);
	return err == 0;
}

/*
 * Start the first program, as Linux does: with /dev/console as its
 * standard input, output and error, in the root directory, as pid 1.
 * `init=PATH` on the command line chooses it; otherwise the usual places
 * are tried.  Returns only if no program could be started.
 */
static void start_init(void)
{
	static const char *const candidates[] = { "/sbin/init", "/bin/init", "/bin/sh", 0 };
	static const char *const envp[] = { "HOME=/", "TERM=linux", "PATH=/bin:/sbin:/usr/bin", 0 };
	char chosen[128];
	const char *one[2] = { chosen, 0 };
	const char *const *paths = candidates;
	if (cmdline_get("init", chosen, sizeof chosen))
		paths = one;

	struct task *t = task_create("init");
	if (!t)
		panic("out of memory creating init");
	t->files = files_new();
	t->cwd = vfs_root();
	t->pgid = t->sid = t->pid;
	rlimits_init(t);
	current = t;
	struct file *console;
	if (vfs_open("/dev/console", O_RDWR, 0, &console) == 0) {
		for (int fd = 0; fd < 3; fd++) {
			file_get(console);
			fd_install(t->files, console, fd, false);
		}
		file_put(console);
	} else {
		printk("warning: no /dev/console for init\n");
	}
	/* init's arguments: the words after "--" on the command line; as in
	 * Linux, a word in double quotes may hold spaces. */
	enum { MAX_INIT_ARGS = 16 };
	static char argbuf[256];
	const char *argv[MAX_INIT_ARGS + 2];
	int argc = 1;
	const char *extra = cmdline_init_args();
	if (extra) {
		strlcpy(argbuf, extra, sizeof argbuf);
		char *p = argbuf;
		while (*p && argc <= MAX_INIT_ARGS) {
			while (*p == ' ')
				p++;
			if (!*p)
				break;
			bool quoted = *p == '"';
			char *word = quoted ? ++p : p;
			while (*p && (quoted ? *p != '"' : *p != ' '))
				p++;
			if (*p)
				*p++ = '\0';
			argv[argc++] = word;
		}
	}
	argv[argc] = 0;
	for (; *paths; paths++) {
		argv[0] = *paths;
		struct exec_args args;
		if (exec_args_from_kernel(&args, argv, envp))
			panic("out of memory for init's arguments");
		long err = do_execve(*paths, &args);
		exec_args_free(&args);
		if (err == 0) {
			printk("starting %s as pid 1\n", *paths);
			sched_enqueue(t);
			sched_start();
		}
		/* A usual place that is simply empty is not worth a message. */
		if (paths == one || err != -ENOENT)
			printk("init: cannot run %s (error %ld)\n", *paths, err);
	}
	current = 0;	/* the half-made init is abandoned; the monitor takes over */
}

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
	pmm_init_high();
	heap_init();
	pmm_print_map();
	fpu_init();
	syscall_init();
	time_init();
	random_init();

	pit_init();
	keyboard_init();
	serial_enable_input();
	sti();
	printk("timer at %d Hz; console on COM1 and VGA\n", TIMER_HZ);

	crash_if_asked();
	vfs_init();
	altmm_init();
	bool have_initrd = load_initrd(mbi);

	/* Under a harness (exit=qemu or exit=bochs) a self-test run ends the
	 * machine with its verdict; by hand, the monitor follows. */
	bool asked;
	bool ok = selftest_run_requested(&asked);
	if (asked && machine_can_exit())
		machine_exit(ok ? EXIT_SUCCESS_CODE : EXIT_FAILURE_CODE);
	if (have_initrd)
		start_init();
	monitor_run();
}
