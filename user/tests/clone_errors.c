/*
 * clone's refusals leave nothing behind.  A CLONE_SETTLS whose descriptor
 * the kernel refuses (an entry number outside the three TLS slots) fails
 * with EINVAL and makes no child; a thousand of them, with and without a
 * sigaltmm space set, leave the kernel heap exactly as it was
 * (/proc/kheap, our kernel only: on Linux just the errors are checked),
 * and a directory they were made in goes when it is removed.  The kernel
 * once undid such a child without giving back its reference to the
 * working directory, or the one to its sigaltmm space (and so to a whole
 * copy of the address space).
 */
#include "check.h"
#include <altmm.h>
#include <uapi/ldt.h>
#include <uapi/sched.h>
#include <sys/stat.h>

#define DIR "/tmp/clone_errors"

/* clone(flags, no new stack, no tids, tls): the raw result. */
static long clone_tls(const struct user_desc *tls)
{
	long r = raw_syscall6(__NR_clone, SIGCHLD | CLONE_SETTLS, 0, 0, (long)tls, 0, 0);
	if (r == 0)
		_exit(0);               /* it should not have been made */
	return r;
}

static void refuse_many(const struct user_desc *bad)
{
	for (int i = 0; i < 1000; i++)
		CHECK_EQ(clone_tls(bad), -EINVAL);
	CHECK_ERR(waitpid(-1, NULL, WNOHANG), ECHILD);  /* no child was made */
}

int main(void)
{
	struct user_desc bad = { .entry_number = GDT_ENTRY_TLS_MIN - 1, .limit = 0xfffff,
				 .flags = UD_SEG_32BIT | UD_LIMIT_IN_PAGES };
	refuse_many(&bad);                      /* warms up what the kernel keeps */
	long before = kheap_blocks();
	CHECK_OK(mkdir(DIR, 0755));             /* refused children would have had it as cwd */
	CHECK_OK(chdir(DIR));
	refuse_many(&bad);
	CHECK_OK(chdir("/"));
	CHECK_OK(rmdir(DIR));
	CHECK_EQ(kheap_blocks(), before);       /* the directory is gone: nothing held it */

	int self = on_our_kernel() ? mm_self() : -1;
	if (self >= 0) {                        /* the child would inherit sigaltmm */
		CHECK_OK(sigaltmm(self));
		refuse_many(&bad);
		CHECK_OK(sigaltmm(-1));
		CHECK_OK(close(self));
		CHECK_EQ(kheap_blocks(), before);
	}
	if (before < 0)
		printf("no /proc/kheap here: only the errors were checked\n");
	return 0;
}
