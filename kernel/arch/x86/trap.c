/*
 * Trap dispatch: every interrupt, exception and system call arrives here.
 *  - int $0x80 goes to the system-call dispatcher;
 *  - hardware interrupts go to the handler a driver registered;
 *  - page faults go to the memory manager, which resolves them or not;
 *  - any other exception in user mode sends the task the signal Linux
 *    would send, with the same si_code;
 *  - an exception in the kernel is a kernel bug: panic_trap prints the
 *    registers and a backtrace and stops the machine.
 * On the way back to user mode, a task whose time slice is over gives up
 * the CPU, and then, if its one signal word says so, takes its signals.
 */
#include <kernel/altmm.h>
#include <kernel/arch.h>
#include <kernel/fpu.h>
#include <kernel/layout.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/stats.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <kernel/trap.h>
#include <kernel/user_return.h>
#include <kernel/x86.h>
#include <stdbool.h>
#include <stddef.h>
#include <uapi/signal.h>

void page_fault(struct trapframe *tf);

#define PF_ERR_PROTECTION	0x1		/* page-fault error code: the page was present */

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
extern const char uaccess_copy_words[], uaccess_copy_bytes[], uaccess_fixup_words[], uaccess_fixup_bytes[];

bool uaccess_fixup(struct trapframe *tf)
{
	/* These two string copies are the only instructions that touch user memory. */
	if (tf->eip == (uint32_t)uaccess_copy_words)
		tf->eip = (uint32_t)uaccess_fixup_words;
	else if (tf->eip == (uint32_t)uaccess_copy_bytes)
		tf->eip = (uint32_t)uaccess_fixup_bytes;
	else
		return false;
	return true;
}

/*
 * A segment register that cannot be reloaded on the way back to user mode
 * (its TLS slot was emptied, or a frame named it): the pop faulted in the
 * kernel.  The value it tried to pop lies at the interrupted stack pointer,
 * which for a trap without a privilege change is where the frame's
 * user_esp would be; make it the null selector and let the pop run again.
 */
extern const char trap_pop_gs[], trap_pop_fs[], trap_pop_es[], trap_pop_ds[];

static bool segment_pop_fixup(struct trapframe *tf)
{
	if (tf->trapno != T_GPF && tf->trapno != T_NO_SEGMENT && tf->trapno != T_STACK)
		return false;
	if (tf->eip != (uint32_t)trap_pop_gs && tf->eip != (uint32_t)trap_pop_fs &&
	    tf->eip != (uint32_t)trap_pop_es && tf->eip != (uint32_t)trap_pop_ds)
		return false;
	*(uint32_t *)&tf->user_esp = 0;
	/* This trap's own frame saved the same unloadable %fs/%gs (the kernel
	 * does not use them, so they still hold the user's): null them too, or
	 * returning from this trap would fault again. */
	tf->fs = tf->gs = 0;
	return true;
}

/*
 * The iret back to user mode faulted (#GP, #NP or #SS): the frame it
 * tried names a code or stack segment ring 3 cannot use, which only
 * sigreturn can put there (kernel/arch/x86/signal_frame.c: as Linux, it
 * forces RPL 3 and leaves the rest to the CPU).  Resume at
 * trap_iret_failed, which hands that frame, the current task's, to
 * iret_failed below.
 */
extern const char trap_iret[], trap_iret_failed[];

static bool iret_fixup(struct trapframe *tf)
{
	if (tf->trapno != T_GPF && tf->trapno != T_NO_SEGMENT && tf->trapno != T_STACK)
		return false;
	if (tf->eip != (uint32_t)trap_iret || !current)
		return false;
	/* The iret was reading the frame at the interrupted stack pointer. */
	struct trapframe *utf = (struct trapframe *)((char *)&tf->user_esp - offsetof(struct trapframe, eip));
	if (utf != task_trapframe(current) || !trap_from_user(utf))
		return false;	/* not a return to user mode: a kernel bug */
	tf->eip = (uint32_t)trap_iret_failed;
	return true;
}

/*
 * What Linux does when the return to user mode fails: SIGILL, si_code
 * ILL_BADSTK, trap number 32, the error code 0, the frame's registers as
 * they were (the handler sees the bad selectors in its sigcontext).  The
 * signal is forced, so it either runs a handler, whose entry loads the
 * user selectors, or ends the task: the bad frame is never tried again.
 */
void iret_failed(struct trapframe *tf);
void iret_failed(struct trapframe *tf)
{
	current->trap_nr = T_IRET;
	current->trap_err = 0;
	force_trap_signal(tf, SIGILL, ILL_BADSTK, 0);
	trap_return_to_user(tf);
}

/* A CPU exception in user mode: the signal and si_code Linux sends. */
static void user_exception(struct trapframe *tf)
{
	current->trap_nr = tf->trapno;
	current->trap_err = tf->err;
	int sig, code = SI_KERNEL;
	uint32_t addr = 0;
	switch (tf->trapno) {
	case T_DIVIDE: sig = SIGFPE; code = FPE_INTDIV; addr = tf->eip; break;
	case T_FPU_ERROR: case T_SIMD: sig = SIGFPE; code = 0; addr = tf->eip; break;
	case T_DEBUG: sig = SIGTRAP; code = TRAP_TRACE; addr = tf->eip; break;	/* single step */
	case T_BREAKPOINT: sig = SIGTRAP; break;
	case T_INVALID_OP: sig = SIGILL; code = ILL_ILLOPN; addr = tf->eip; break;
	case T_NO_SEGMENT: case T_STACK: case T_ALIGNMENT: sig = SIGBUS; break;
	default: sig = SIGSEGV; break;	/* overflow, bound, GPF, and the rest */
	}
	force_trap_signal(tf, sig, code, addr);
}

void trap_dispatch(struct trapframe *tf)
{
	bool user = trap_from_user(tf);
	if (user && current)
		current->syscall_nr = -1;	/* not in a system call (those come in by syscall_trap) */
	if (tf->trapno >= IRQ_BASE && tf->trapno < IRQ_BASE + 16) {
		int irq = (int)(tf->trapno - IRQ_BASE);
		/* IRQ 7 and 15 also fire spuriously; an unhandled line is just acknowledged. */
		kstats.irqs[irq]++;
		if (irq_handlers[irq])
			irq_handlers[irq](tf);
		pic_eoi(irq);
	} else if (tf->trapno == T_PAGE_FAULT) {
		/* A program's access to the kernel half is a protection fault
		 * whatever the kernel's page tables hold there, as Linux reports
		 * it: their layout is none of the program's business. */
		if (user && read_cr2() >= KERNEL_VIRT)
			tf->err |= PF_ERR_PROTECTION;
		page_fault(tf);
	} else if (user && tf->trapno == T_NO_FPU) {
		fpu_device_not_available(current, altmm_foreign(current));
	} else if (user) {
		user_exception(tf);
	} else if (!segment_pop_fixup(tf) && !iret_fixup(tf)) {
		panic_trap(tf, "unexpected trap");
	}
	if (user)
		trap_return_to_user(tf);
}
