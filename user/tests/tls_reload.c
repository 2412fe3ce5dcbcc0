/*
 * A segment register that stops being loadable while a program holds it:
 * %gs names a TLS slot (set_thread_area), then the program empties that
 * slot.  On the way back to user mode the kernel reloads %gs; the reload
 * faults, and Linux loads the null selector instead.  A kernel that does
 * not catch that fault crashes: any program could bring it down.
 */
#include "check.h"
#include <uapi/ldt.h>
#include <uapi/unistd.h>

static long raw1(long nr, long a)
{
	long r;
	__asm__ volatile("int $0x80" : "=a"(r) : "a"(nr), "b"(a) : "memory");
	return r;
}

static uint32_t word = 0x600dd00d;

int main(void)
{
	struct user_desc d = { 0xffffffffu, (uint32_t)&word, 0xfffff, UD_SEG_32BIT | UD_LIMIT_IN_PAGES };
	uint16_t saved_gs, gs;
	__asm__ volatile("movw %%gs, %0" : "=r"(saved_gs));
	CHECK_EQ(raw1(__NR_set_thread_area, (long)&d), 0);
	uint16_t sel = (uint16_t)(d.entry_number << 3 | 3);
	uint32_t seen;
	__asm__ volatile("movw %w1, %%gs\n\tmovl %%gs:0, %0" : "=r"(seen) : "r"(sel));
	CHECK_EQ(seen, 0x600dd00d);	/* the slot works */

	struct user_desc empty = { d.entry_number, 0, 0, UD_READ_EXEC_ONLY | UD_SEG_NOT_PRESENT };
	long r = raw1(__NR_set_thread_area, (long)&empty);	/* %gs still names it */
	__asm__ volatile("movw %%gs, %0" : "=r"(gs));
	__asm__ volatile("movw %w0, %%gs" : : "r"(saved_gs));	/* libc's own again */
	CHECK_EQ(r, 0);
	CHECK_EQ(gs, 0);	/* reloaded as null, and we are still alive */
	return 0;
}
