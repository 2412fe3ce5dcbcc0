/*
 * System-call numbers the kernel has no call for, inside Linux's table
 * (500, unused on i386) and far past it (2000 ... 0xffffffff, negative
 * as an int), each made several times: every one is ENOSYS, as on
 * Linux.  The suite (check "enosys-log") also counts what the kernel
 * said about them: one line for 500 and one for all the numbers past
 * the table, however many calls (it used to be a line per call, so a
 * program making random calls flooded the console: found by the fuzzer).
 */
#include "check.h"

int main(void)
{
	static const long nrs[] = { 500, 2000, 0x10000, 0x7fffffff, (long)0x80000000, -2, -1 };
	for (int round = 0; round < 50; round++)
		for (unsigned i = 0; i < sizeof nrs / sizeof nrs[0]; i++)
			CHECK_EQ(raw_syscall6(nrs[i], 0, 0, 0, 0, 0, 0), -ENOSYS);
	printf("enosys_range: %d calls, all ENOSYS\n", 50 * (int)(sizeof nrs / sizeof nrs[0]));
	return 0;
}
