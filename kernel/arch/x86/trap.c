/*
 * Trap dispatch: every interrupt, exception and system call arrives here.
 *  - int $0x80 goes to the system-call dispatcher;
 *  - hardware interrupts go to the handler a driver registered;
 *  - page faults go to the memory manager, which resolves them or not;
 *  - any other exception in user mode kills the task with the signal
 *    Linux would send (signal handlers arrive with the signals issue);
 *  - an exception in the kernel is a kernel bug: panic_trap prints the
 *    registers and a backtrace and stops the machine.
 * On the way back to user mode, a task whose time slice is over gives up
 * the CPU.
 */
#include <kernel/arch.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <kernel/trap.h>
#include <kernel/x86.h>
#include <stdbool.h>
#include <uapi/signal.h>

void page_fault(struct trapframe *tf);
__attribute__((noreturn)) void task_exit_by_signal(int sig);

static irq_handler_t irq_handlers[16];

static const char *const exception_names[32] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow",
	"bound range exceeded", "invalid opcode", "device not available",
	"double fault", "coprocessor segment overrun", "invalid TSS",
	"segment not present", "stack-segment fault", "general protection fault",
	"page fault", "reserved (15)", "x87 floating-point error", "alignment check",
	"machine check", "SIMD floating-point error",
};

const char *trap_name(uint32_t trapno)
{
	if (trapno < 32)
		return exception_names[trapno] ? exception_names[trapno] : "reserved exception";
	if (trapno >= IRQ_BASE && trapno < IRQ_BASE + 16)
		return "hardware interrupt";
	return "software interrupt";
}

void irq_register(int irq, irq_handler_t handler)
{
	irq_handlers[irq] = handler;
	pic_unmask(irq);
}

void trap_dump(const struct trapframe *tf)
{
	printk("trap %u (%s), error code 0x%x\n", tf->trapno, trap_name(tf->trapno), tf->err);
	printk("eax=%08x ebx=%08x ecx=%08x edx=%08x\n", tf->eax, tf->ebx, tf->ecx, tf->edx);
	printk("esi=%08x edi=%08x ebp=%08x esp=%08x\n", tf->esi, tf->edi, tf->ebp,
	       (tf->cs & 3) ? tf->user_esp : (uint32_t)&tf->user_esp);
	printk("eip=%08x eflags=%08x cs=%04x ds=%04x es=%04x fs=%04x gs=%04x\n",
	       tf->eip, tf->eflags, tf->cs, tf->ds, tf->es, tf->fs, tf->gs);
	printk("cr0=%08x cr2=%08x cr3=%08x cr4=%08x\n", read_cr0(), read_cr2(), read_cr3(), read_cr4());
}

/*
 * A page fault in the kernel that the memory manager could not resolve:
 * if it happened in the user-copy routine, resume at its fixup, which
 * makes the copy report failure (kernel/mm/uaccess.c).
 */
extern const char uaccess_copy_start[], uaccess_copy_fixup[];

bool uaccess_fixup(struct trapframe *tf)
{
	if (tf->eip != (uint32_t)uaccess_copy_start)
		return false;	/* rep movsb is the only instruction that touches user memory */
	tf->eip = (uint32_t)uaccess_copy_fixup;
	return true;
}

/* The signal Linux sends for a CPU exception in user mode. */
int trap_signal(uint32_t trapno)
{
	switch (trapno) {
	case T_DIVIDE: case T_FPU_ERROR: case T_SIMD: return SIGFPE;
	case T_DEBUG: case T_BREAKPOINT: return SIGTRAP;
	case T_INVALID_OP: return SIGILL;
	case T_NO_SEGMENT: case T_STACK: case T_ALIGNMENT: return SIGBUS;
	default: return SIGSEGV;	/* overflow, bound, GPF, and the rest */
	}
}

void trap_dispatch(struct trapframe *tf)
{
	if (tf->trapno == T_SYSCALL) {
		syscall_dispatch(tf);
	} else if (tf->trapno >= IRQ_BASE && tf->trapno < IRQ_BASE + 16) {
		int irq = (int)(tf->trapno - IRQ_BASE);
		/* IRQ 7 and 15 also fire spuriously; an unhandled line is just acknowledged. */
		if (irq_handlers[irq])
			irq_handlers[irq](tf);
		pic_eoi(irq);
	} else if (tf->trapno == T_PAGE_FAULT) {
		page_fault(tf);
	} else if (trap_from_user(tf)) {
		task_exit_by_signal(trap_signal(tf->trapno));
	} else {
		panic_trap(tf, "unexpected trap");
	}
	if (trap_from_user(tf) && need_resched)
		schedule();
}
