/*
 * kill [-SIGNAL | -s SIGNAL] PID...: send a signal (default SIGTERM) to
 * processes; a negative PID names a process group.  SIGNAL is a number
 * or a name with or without "SIG" (INT, TERM, KILL, ...).  kill -l lists
 * the names.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const names[] = {
	[SIGHUP] = "HUP", [SIGINT] = "INT", [SIGQUIT] = "QUIT", [SIGILL] = "ILL",
	[SIGTRAP] = "TRAP", [SIGABRT] = "ABRT", [SIGBUS] = "BUS", [SIGFPE] = "FPE",
	[SIGKILL] = "KILL", [SIGUSR1] = "USR1", [SIGSEGV] = "SEGV", [SIGUSR2] = "USR2",
	[SIGPIPE] = "PIPE", [SIGALRM] = "ALRM", [SIGTERM] = "TERM", [SIGCHLD] = "CHLD",
	[SIGCONT] = "CONT", [SIGSTOP] = "STOP", [SIGTSTP] = "TSTP", [SIGTTIN] = "TTIN",
	[SIGTTOU] = "TTOU", [SIGWINCH] = "WINCH",
};
#define NNAMES ((int)(sizeof names / sizeof names[0]))

static int parse_signal(const char *s)
{
	if (s[0] >= '0' && s[0] <= '9')
		return atoi(s);
	if (!strncmp(s, "SIG", 3))
		s += 3;
	for (int i = 1; i < NNAMES; i++)
		if (names[i] && !strcmp(s, names[i]))
			return i;
	return -1;
}

int main(int argc, char **argv)
{
	int sig = SIGTERM, i = 1;
	if (argc > 1 && !strcmp(argv[1], "-l")) {
		for (int n = 1; n < NNAMES; n++)
			if (names[n])
				printf("%2d %s\n", n, names[n]);
		return 0;
	}
	if (argc > 2 && !strcmp(argv[1], "-s")) {
		sig = parse_signal(argv[2]);
		i = 3;
	} else if (argc > 1 && argv[1][0] == '-' && argv[1][1] && !(argv[1][1] >= '0' && argv[1][1] <= '9' && argc == 2)) {
		sig = parse_signal(argv[1] + 1);
		i = 2;
	}
	if (sig < 0 || sig > 64) {
		fprintf(stderr, "kill: unknown signal\n");
		return 2;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: kill [-SIGNAL] PID...\n");
		return 2;
	}
	int status = 0;
	for (; i < argc; i++) {
		if (kill(atoi(argv[i]), sig) < 0) {
			perror(argv[i]);
			status = 1;
		}
	}
	return status;
}
