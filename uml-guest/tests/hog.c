/*
 * guesttest-hog: a memory hog inside the guest stays inside it.
 *
 * A child maps far more anonymous memory (256 MiB) than the guest has
 * (the suite runs it in a 16 MiB guest: mem=16M) and touches every page.
 * The guest must either refuse the mapping (ENOMEM, the child exits 2)
 * or kill the child when its memory runs out (SIGKILL); the parent, and
 * uml, go on.  Then a second
 * child touches 4 MiB and exits 0: the hog's memory came back.
 * Exits 0 when all of that held.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "guesttest.h"

#define MiB (1024u * 1024u)
#define PAGE 4096u

/* In a child: map and touch len bytes; exit 0 if all pages were touched,
 * 2 if the mapping was refused. */
static void touch(size_t len)
{
	uint8_t *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		_exit(errno == ENOMEM ? 2 : 3);
	for (size_t off = 0; off < len; off += PAGE)
		p[off] = 1;
	_exit(0);
}

/* Run touch(len) in a child; return its wait status (-1 if fork failed). */
static int run_child(size_t len)
{
	int status;
	pid_t pid = fork();
	if (pid == 0)
		touch(len);
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

int main(void)
{
	in_guest_or_exit("guesttest-hog");
	int st = run_child(256 * MiB);
	int killed = st != -1 && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL;
	int refused = st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 2;
	if (killed)
		printf("hog: killed by SIGKILL\n");
	else if (refused)
		printf("hog: mapping refused with ENOMEM\n");
	else
		printf("hog: unexpected wait status %#x\n", st);

	int after = run_child(4 * MiB);
	int ok_after = after != -1 && WIFEXITED(after) && WEXITSTATUS(after) == 0;
	printf("hog: 4 MiB afterwards: %s\n", ok_after ? "ok" : "FAILED");
	return (killed || refused) && ok_after ? 0 : 1;
}
