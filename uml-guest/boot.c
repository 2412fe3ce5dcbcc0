/*
 * uml [mem=SIZE] [root=HOSTDIR] [debug|trace] [--] PROGRAM ARGS...
 *
 * Boot the guest kernel: make its physical memory, take over the signals
 * that will bring it traps, start PROGRAM as its init (pid 1), and idle.
 * From then on everything happens in the trap handler (trap.c); this
 * file's code only runs again as the idle loop, when no guest process
 * can run.  When init exits, so do we, with its exit status.
 */
#include "uml.h"
#include "sys.h"
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

extern char **environ;

static void usage(void)
{
	fprintf(stderr, "usage: uml [mem=SIZE] [root=HOSTDIR] [debug|trace] [--] PROGRAM ARGS...\n");
	exit(2);
}

/*
 * Nothing can run: wait for a signal (a tick, a host descriptor some
 * process waits for) and let the handler see what it brought.  The
 * handler enters a guest process from here directly when it finds one
 * runnable; otherwise it returns and we wait again.  Entered afresh on
 * its own stack each time the guest goes idle (trap.c, go_idle).
 */
void idle(void) __attribute__((noreturn));
void idle(void)
{
	sigset_t none;
	sigemptyset(&none);
	for (;;) {
		if (host_wait_poll(-1) > 0)
			raise(SIGUSR1);         /* a host descriptor is ready: look */
		else
			sigsuspend(&none);
	}
}

/*
 * mem=SIZE: the guest's memory in MiB, or with a suffix K, M or G (as
 * Linux's mem=), in whole MiB from 1 MiB to 3 GiB; 0 if it is not that.
 * Whether we can have that much is for mem_init to find out.
 */
static unsigned parse_mib(const char *s)
{
	char *end;
	unsigned long long n = strtoull(s, &end, 10), kib;
	if (end == s)
		return 0;
	if (*end == 'K' || *end == 'k')
		kib = n, end++;
	else if (*end == 'G' || *end == 'g')
		kib = n << 20, end++;
	else if (*end == 'M' || *end == 'm' || !*end)
		kib = n << 10, end += !!*end;
	else
		return 0;
	if (*end || n > (3ull << 30) || kib % 1024 || kib < 1024 || kib > (3ull << 20))
		return 0;
	return (unsigned)(kib / 1024);
}

int main(int argc, char **argv)
{
	unsigned mib = DEFAULT_MEM_MIB;
	int i = 1;

	for (; i < argc; i++) {
		if (!strncmp(argv[i], "mem=", 4)) {
			mib = parse_mib(argv[i] + 4);
			if (!mib)
				boot_fail("%s: not a memory size (whole MiB, 1M to 3G)", argv[i]);
		} else if (!strncmp(argv[i], "root=", 5)) {
			static char root[PATH_MAX_];
			size_t n = snprintf(root, sizeof root, "%s", argv[i] + 5);
			while (n > 1 && root[n - 1] == '/')
				root[--n] = 0;  /* "/srv/guest/" is "/srv/guest" */
			if (root[0] != '/')
				usage();
			guest_root = root;
		} else if (!strcmp(argv[i], "debug")) {
			debug = 1;
		} else if (!strcmp(argv[i], "trace")) {
			debug = 2;              /* and every system call */
		} else if (!strcmp(argv[i], "--")) {
			i++;
			break;
		} else {
			break;
		}
	}
	char *sh_argv[] = { "/bin/sh", NULL };
	char **init_argv = i < argc ? &argv[i] : sh_argv;
	if (init_argv[0][0] != '/')
		usage();

	umask(0);                       /* the guest's umask is applied by the guest */
	signal(SIGPIPE, SIG_IGN);       /* a guest's write to a dead host pipe is its EPIPE, not our end */
	mem_init(mib);
	fpu_init();
	trap_init();
	struct proc *init = proc_create_init();
	long err = exec_first(init, init_argv[0], init_argv, environ);
	if (err < 0) {
		fprintf(stderr, "uml-guest: cannot start %s: %s\n", init_argv[0], strerror(-err));
		return 127;
	}
	klog("%u MiB, init %s", mib, init_argv[0]);   /* on stderr: stdout is init's */

	sched_start_timer();
	enter_first();                  /* the handler enters init from here */
	idle();
}
