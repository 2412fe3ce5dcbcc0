/*
 * The kernel never crashes because of what a program asks: every system
 * call number, 0 to 460 and altmm's own, is made with arguments that are
 * bad pointers or absurd values (a user page that is not mapped, a kernel
 * address, the top of memory, -1), each in a child of its own.  Whatever
 * the child gets (an error, a signal, its own exit) is fine: the test is
 * that the kernel is still here to reap it.
 *
 * Only on this kernel: on Linux, as root in the oracle's initramfs, some of
 * these calls would change the machine itself.  Calls that would signal or
 * stop other processes (kill, tkill, tgkill), power off (reboot), wait for
 * ever (pause, sigsuspend) or multiply (fork, vfork, clone) are left out.
 */
#include "check.h"
#include <uapi/unistd.h>

static int skipped(int nr)
{
	static const int never[] = {
		__NR_fork, __NR_vfork, __NR_clone, __NR_kill, __NR_tkill, __NR_tgkill,
		__NR_reboot, __NR_pause, __NR_sigsuspend, __NR_rt_sigsuspend,
	};
	for (unsigned i = 0; i < sizeof never / sizeof never[0]; i++)
		if (never[i] == nr)
			return 1;
	return 0;
}

int main(void)
{
	static const long bad[] = { 0, 1, 0x00000010, 0x0badf000, 0x7fffffff, (long)0xc0001000,
				    (long)0xfffff000, -1 };
	int calls = 0;
	if (!on_our_kernel())
		SKIP("only on the altmm kernel itself: elsewhere (Linux, the guest kernel) some calls would change the machine");
	for (int nr = 0; nr < 1005; nr++) {
		if ((nr >= 460 && nr < 1000) || skipped(nr))
			continue;
		for (unsigned k = 0; k < sizeof bad / sizeof bad[0]; k++) {
			fflush(NULL);
			pid_t pid = fork();
			CHECK_OK(pid);
			if (pid == 0) {
				alarm(2);	/* a call that blocks ends here */
				long v = bad[k];
				raw_syscall6(nr, v, v, v, v, v, v);
				_exit(0);
			}
			int status;
			CHECK_EQ(waitpid(pid, &status, 0), pid);
			calls++;
		}
	}
	printf("%d calls made with bad arguments, the kernel is still here\n", calls);
	return 0;
}
