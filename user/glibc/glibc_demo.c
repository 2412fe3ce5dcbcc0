/*
 * A program built with Debian's ordinary cross compiler and glibc:
 *
 *     i686-linux-gnu-gcc -static -O2 -o glibc_demo glibc_demo.c
 *
 * It runs unchanged on Linux and on this kernel, because the kernel speaks
 * Linux's system-call ABI.  It exercises what glibc's start-up and a
 * typical program need (TLS through set_thread_area, brk and mmap for
 * malloc, stdio on files, fork and waitpid, the clock) and exits 0 only if
 * every result is right, printing what it checked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int failures;

static void check(int ok, const char *what)
{
	printf("glibc_demo: %s: %s\n", what, ok ? "ok" : "WRONG");
	if (!ok)
		failures++;
}

int main(int argc, char **argv)
{
	check(argc >= 1 && strstr(argv[0], "glibc_demo") != NULL, "argv[0]");

	char *small = malloc(100), *big = malloc(1 << 20);	/* brk, then mmap */
	check(small && big, "malloc");
	memset(big, 7, 1 << 20);
	check(big[12345] == 7, "large block usable");
	free(big);
	free(small);

	FILE *f = fopen("/tmp/glibc_demo.txt", "w");
	check(f != NULL, "fopen for writing");
	if (f) {
		fprintf(f, "%d %s\n", 42, "lines");
		fclose(f);
	}
	char word[16] = "";
	int n = 0;
	f = fopen("/tmp/glibc_demo.txt", "r");
	check(f && fscanf(f, "%d %15s", &n, word) == 2 && n == 42 && !strcmp(word, "lines"),
	      "read back with fscanf");
	if (f)
		fclose(f);
	check(unlink("/tmp/glibc_demo.txt") == 0, "unlink");

	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		_exit(7);
	int status = 0;
	check(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 7, "fork and waitpid");

	struct timespec ts;
	check(clock_gettime(CLOCK_MONOTONIC, &ts) == 0, "clock_gettime");
	check(getenv("PATH") != NULL, "environment");

	printf("glibc_demo: %s\n", failures ? "FAILED" : "all good");
	return failures ? 1 : 0;
}
