/* Bring-up of the x86 machine (kernel/arch/x86): one call per piece. */
#ifndef KERNEL_ARCH_H
#define KERNEL_ARCH_H

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>

void gdt_init(void);
void idt_init(void);
void pic_init(void);
void pic_unmask(int irq);
void pic_eoi(int irq);
/* Program the PIT to interrupt TIMER_HZ times a second. */
void pit_init(void);

#define TIMER_HZ 100

/* Timer ticks since pit_init. */
uint64_t timer_ticks(void);
/* Nanoseconds since pit_init, finer than a tick (the PIT's counter); never
 * goes backwards. */
uint64_t timer_nanoseconds(void);
/* Seconds since 1970 from the CMOS clock (UTC, as QEMU and Bochs keep it). */
uint32_t rtc_read_unix_time(void);

#endif

/* Selectors of the GDT (kernel/arch/x86/gdt.c). */
#define SEL_KERNEL_CS	0x08
#define SEL_KERNEL_DS	0x10
#define SEL_USER_CS	(0x18 | 3)
#define SEL_USER_DS	(0x20 | 3)
#define SEL_TSS		0x28

#ifndef __ASSEMBLER__
/* The stack the CPU switches to on a trap from ring 3. */
void tss_set_kernel_stack(uint32_t esp0);
#endif

#endif
