/* Self-tests of the load average (kernel/stats.c) and its text in /proc/loadavg. */
#include <kernel/printk.h>
#include <kernel/selftest.h>
#include <kernel/stats.h>
#include <kernel/string.h>
#include <lib/proc_text.h>

SELFTEST(stats_loadavg)
{
	/* One task always running for a minute (12 steps of 5 s): 1 - 1/e,
	 * as Linux's fixed point has it; then a minute of nothing. */
	uint32_t load = 0;
	EXPECT(stats_calc_load(0, 1884, LOAD_FIXED_1) == 164);
	for (int i = 0; i < 12; i++)
		load = stats_calc_load(load, 1884, LOAD_FIXED_1);
	EXPECT(load == 1299);
	uint32_t idle = load;
	for (int i = 0; i < 12; i++)
		idle = stats_calc_load(idle, 1884, 0);
	EXPECT(idle == 474);
	char buf[64];
	struct ptext o = { buf, sizeof buf, 0 };
	const uint32_t avg[3] = { load, idle, 2 * LOAD_FIXED_1 };
	pt_loadavg(&o, avg, 1, 7, 42);
	EXPECT(strcmp(buf, "0.63 0.23 2.00 1/7 42\n") == 0);
	snprintf(buf, sizeof buf, "%o %04o 0%o", 8u, 022u, 02002u);
	EXPECT(strcmp(buf, "10 0022 02002") == 0);
}
