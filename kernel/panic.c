/*
 * panic: the kernel found something it cannot go on from.  It prints the
 * message, the registers and a symbolic backtrace, then ends the run: with
 * `exit=qemu` or `exit=bochs` the emulator exits at once with the panic
 * code, otherwise the CPU halts for good.
 */
#include <kernel/ksyms.h>
#include <kernel/machine.h>
#include <kernel/printk.h>
#include <kernel/trap.h>
#include <kernel/x86.h>

static int panicking;

static void enter_panic(void)
{
	cli();
	if (panicking++) {
		/* A panic while panicking: print nothing more that could fault again. */
		machine_exit(EXIT_PANIC_CODE);
	}
}

void panic(const char *fmt, ...)
{
	enter_panic();
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	printk("\nKERNEL PANIC: %s\n", msg);

	uint32_t eax, ebx, ecx, edx, esi, edi, ebp, esp;
	__asm__ volatile("" : "=a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx), "=S"(esi), "=D"(edi));
	__asm__ volatile("mov %%ebp, %0; mov %%esp, %1" : "=r"(ebp), "=r"(esp));
	printk("eax=%08x ebx=%08x ecx=%08x edx=%08x\n", eax, ebx, ecx, edx);
	printk("esi=%08x edi=%08x ebp=%08x esp=%08x\n", esi, edi, ebp, esp);
	printk("cr0=%08x cr2=%08x cr3=%08x cr4=%08x eflags=%08x\n",
	       read_cr0(), read_cr2(), read_cr3(), read_cr4(), read_eflags());
	/* Start from our caller: panic's own frame says nothing. */
	uint32_t *frame = (uint32_t *)ebp;
	backtrace_from(frame[1], frame[0]);
	machine_exit(EXIT_PANIC_CODE);
}

void panic_trap(const struct trapframe *tf, const char *what)
{
	enter_panic();
	printk("\nKERNEL PANIC: %s: %s at eip %08x\n", what, trap_name(tf->trapno), tf->eip);
	trap_dump(tf);
	backtrace_from(tf->eip, tf->ebp);
	machine_exit(EXIT_PANIC_CODE);
}
