/* Self-test of the PIT tick (kernel/arch/x86/pit.c): interrupts arrive. */
#include <kernel/arch.h>
#include <kernel/selftest.h>
#include <kernel/x86.h>

SELFTEST(timer_ticks)
{
	EXPECT(read_eflags() & EFLAGS_IF);
	uint64_t start = timer_ticks();
	/* Each hlt ends at the next interrupt; five ticks take about 50 ms. */
	for (int i = 0; i < 1000 && timer_ticks() < start + 5; i++)
		hlt();
	EXPECT(timer_ticks() >= start + 5);
}
