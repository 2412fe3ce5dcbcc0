/*
 * The 8253/8254 programmable interval timer, channel 0, in rate-generator
 * mode: it divides its 1.193182 MHz input clock by PIT_DIVISOR and raises
 * IRQ 0 at TIMER_HZ (100 Hz, every 10 ms).  The tick counter is the
 * kernel's clock.
 */
#include <kernel/arch.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/stats.h>
#include <kernel/trap.h>
#include <kernel/x86.h>

#define PIT_INPUT_HZ	1193182
#define PIT_DIVISOR	((PIT_INPUT_HZ + TIMER_HZ / 2) / TIMER_HZ)
#define PIT_CH0		0x40
#define PIT_CMD		0x43

static volatile uint64_t ticks;

static void timer_irq(struct trapframe *tf)
{
	ticks++;
	itimer_tick(ticks, trap_from_user(tf));
	stats_tick(ticks, trap_from_user(tf));
	sched_tick(ticks);
}

uint64_t timer_ticks(void)
{
	uint32_t flags = irq_save();	/* a 64-bit read is two loads */
	uint64_t t = ticks;
	irq_restore(flags);
	return t;
}

uint64_t timer_nanoseconds(void)
{
	static uint64_t last;
	uint32_t flags = irq_save();
	outb(PIT_CMD, 0x00);	/* latch channel 0's count */
	uint32_t count = inb(PIT_CH0);
	count |= (uint32_t)inb(PIT_CH0) << 8;
	uint64_t ns = ticks * (1000000000ull / TIMER_HZ);
	if (count <= PIT_DIVISOR)	/* counts down from PIT_DIVISOR within a tick */
		ns += (uint64_t)(PIT_DIVISOR - count) * 1000000000ull / PIT_INPUT_HZ;
	/* A tick whose interrupt is still pending would make time step back. */
	if (ns < last)
		ns = last;
	last = ns;
	irq_restore(flags);
	return ns;
}

void pit_init(void)
{
	outb(PIT_CMD, 0x34);	/* channel 0, low byte then high byte, mode 2 */
	outb(PIT_CH0, PIT_DIVISOR & 0xFF);
	outb(PIT_CH0, PIT_DIVISOR >> 8);
	irq_register(0, timer_irq);
}
