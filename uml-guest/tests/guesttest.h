/*
 * guesttest.h: what the guest's own tests (guesttest-*) share.
 *
 * These programs misbehave on purpose (fork bombs, memory hogs, privileged
 * instructions), so they must only ever run inside uml-guest, never on the
 * host kernel or on Linux.  in_guest_or_exit() refuses to go on anywhere
 * else: uml-guest's uname() says "uml-guest" in its version string
 * (uml-guest/sys_misc.c); the host kernel says "altmm kernel".
 */
#ifndef GUESTTEST_H
#define GUESTTEST_H

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>

/* Exit status 77 (and a message) unless we run inside uml-guest. */
static inline void in_guest_or_exit(const char *prog)
{
	struct new_utsname u;
	if (uname(&u) != 0 || !strstr(u.version, "uml-guest")) {
		fprintf(stderr, "%s: refusing to run outside uml-guest\n", prog);
		_exit(77);
	}
}

#endif
