/*
 * Trap dispatch: hardware interrupts go to the handler a driver registered;
 * CPU exceptions, which the kernel does not yet expect from anywhere, are
 * fatal: they print the registers and a backtrace and stop the machine
 * (panic_trap).
 */
#include <kernel/arch.h>
#include <kernel/printk.h>
#include <kernel/trap.h>
#include <kernel/x86.h>

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

void trap_dispatch(struct trapframe *tf)
{
	if (tf->trapno >= IRQ_BASE && tf->trapno < IRQ_BASE + 16) {
		int irq = (int)(tf->trapno - IRQ_BASE);
		/* IRQ 7 and 15 also fire spuriously; an unhandled line is just acknowledged. */
		if (irq_handlers[irq])
			irq_handlers[irq](tf);
		pic_eoi(irq);
		return;
	}
	panic_trap(tf, "unexpected trap");
}
