/*
 * sigaction keeps every flag it was given.  SA_RESETHAND resets the
 * handler to SIG_DFL when the signal is delivered, and nothing else: a
 * handler installed with SA_SIGINFO | SA_RESETHAND (| SA_ONSTACK |
 * SA_NODEFER | SA_RESTART) reads back afterwards as SIG_DFL with all of
 * them.  Flags Linux knows (SA_EXPOSE_TAGBITS among them, on every
 * architecture) read back as set; unknown ones (SA_UNSUPPORTED, 0x400)
 * as clear.
 */
#include "sigcheck.h"

#define SA_UNSUPPORTED_ 0x400
#define SA_EXPOSE_TAGBITS_ 0x800

static volatile int got;

static void on_info(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got = sig == SIGUSR1 && si->si_signo == SIGUSR1 ? 1 : -1;
}

int main(void)
{
	struct sigaction old;
	unsigned flags = SA_SIGINFO | SA_RESETHAND | SA_NODEFER | SA_RESTART | SA_ONSTACK;
	catch_info(SIGUSR1, on_info, flags);
	CHECK_OK(sigaction(SIGUSR1, NULL, &old));
	CHECK_EQ(old.sa_flags, flags | SA_RESTORER);
	CHECK_OK(raise(SIGUSR1));
	CHECK_EQ(got, 1);
	CHECK_OK(sigaction(SIGUSR1, NULL, &old));
	CHECK(old.sa_handler == SIG_DFL);
	CHECK_EQ(old.sa_flags, flags | SA_RESTORER);    /* SA_SIGINFO stays */

	/* SA_RESETHAND alone with SA_SIGINFO, through the old action of the
	 * next sigaction call. */
	got = 0;
	catch_info(SIGUSR1, on_info, SA_SIGINFO | SA_RESETHAND);
	CHECK_OK(raise(SIGUSR1));
	CHECK_EQ(got, 1);
	struct sigaction ign = { .sa_handler = SIG_IGN };
	CHECK_OK(sigaction(SIGUSR1, &ign, &old));
	CHECK(old.sa_handler == SIG_DFL);
	CHECK_EQ(old.sa_flags, SA_SIGINFO | SA_RESETHAND | SA_RESTORER);

	/* Known flags read back set, unknown ones clear. */
	struct sigaction act = { .sa_handler = SIG_IGN,
	                         .sa_flags = SA_EXPOSE_TAGBITS_ | SA_UNSUPPORTED_ | SA_NOCLDSTOP };
	CHECK_OK(sigaction(SIGUSR2, &act, NULL));
	CHECK_OK(sigaction(SIGUSR2, NULL, &old));
	CHECK_EQ(old.sa_flags, SA_EXPOSE_TAGBITS_ | SA_NOCLDSTOP | SA_RESTORER);
	printf("sig_flags_kept: ok\n");
	return 0;
}
