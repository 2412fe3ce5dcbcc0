/*
 * The 8253/8254 programmable interval timer, channel 0, in rate-generator
 * mode: it divides its 1.193182 MHz input clock by PIT_DIVISOR and raises
 * IRQ 0 at TIMER_HZ (100 Hz, every 10 ms).  The tick counter is the
 * kernel's clock.
 */
#include <kernel/arch.h>
#include <kernel/trap.h>
#include <kernel/x86.h>

#define PIT_INPUT_HZ	1193182
#define PIT_DIVISOR	((PIT_INPUT_HZ + TIMER_HZ / 2) / TIMER_HZ)
#define PIT_CH0		0x40
#define PIT_CMD		0x43

static volatile uint64_t ticks;

static void timer_irq(struct trapframe *tf)
{
	(void)tf;
	ticks++;
}

uint64_t timer_ticks(void)
{
	uint32_t flags = irq_save();	/* a 64-bit read is two loads */
	uint64_t t = ticks;
	irq_restore(flags);
	return t;
}

void pit_init(void)
{
	outb(PIT_CMD, 0x34);	/* channel 0, low byte then high byte, mode 2 */
	outb(PIT_CH0, PIT_DIVISOR & 0xFF);
	outb(PIT_CH0, PIT_DIVISOR >> 8);
	irq_register(0, timer_irq);
}
