/*
 * The trap frame: what the CPU and kernel/arch/x86/trap_entry.S push on
 * every interrupt or exception, lowest address first.  The layout is fixed
 * by the assembly; the C code reads and may edit it.
 */
#ifndef KERNEL_TRAP_H
#define KERNEL_TRAP_H

#include <stdint.h>

struct trapframe {
	/* pushed by trap_entry.S (pusha order, reversed) */
	uint32_t edi, esi, ebp, esp_dummy, ebx, edx, ecx, eax;
	uint32_t gs, fs, es, ds;
	uint32_t trapno;
	uint32_t err;		/* error code, or 0 for vectors without one */
	/* pushed by the CPU */
	uint32_t eip;
	uint32_t cs;
	uint32_t eflags;
	/* pushed by the CPU only when the trap came from ring 3 */
	uint32_t user_esp;
	uint32_t user_ss;
};

/* CPU exception vectors. */
enum {
	T_DIVIDE = 0, T_DEBUG = 1, T_NMI = 2, T_BREAKPOINT = 3, T_OVERFLOW = 4,
	T_BOUND = 5, T_INVALID_OP = 6, T_NO_FPU = 7, T_DOUBLE_FAULT = 8,
	T_BAD_TSS = 10, T_NO_SEGMENT = 11, T_STACK = 12, T_GPF = 13,
	T_PAGE_FAULT = 14, T_FPU_ERROR = 16, T_ALIGNMENT = 17,
	T_MACHINE_CHECK = 18, T_SIMD = 19,
	T_IRET = 32,	/* Linux's number for a failed return to user mode */
};

#define T_SYSCALL	0x80	/* int $0x80: Linux's system-call vector */
#define IRQ_BASE	32	/* the PIC's IRQ 0..15 arrive on vectors 32..47 */
#define NUM_VECTORS	256

/* The C side of a system call (vector 0x80; trap_entry.S). */
void syscall_trap(struct trapframe *tf);

typedef void (*irq_handler_t)(struct trapframe *tf);
/* Install the handler for hardware IRQ line irq (0..15) and unmask it. */
void irq_register(int irq, irq_handler_t handler);

/* True when the trap interrupted user mode (ring 3). */
static inline int trap_from_user(const struct trapframe *tf) { return (tf->cs & 3) == 3; }

const char *trap_name(uint32_t trapno);
void trap_dump(const struct trapframe *tf);

#endif
