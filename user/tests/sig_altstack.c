/*
 * sigaltstack: setting and asking, handlers with SA_ONSTACK running on the
 * alternate stack (aligned like any frame), SS_ONSTACK while on it, EPERM
 * for changing it then, nested signals staying on it, uc_stack in the
 * frame, and the EINVAL / ENOMEM cases.
 */
#include "sigcheck.h"

static char altbuf[3 * SIGSTKSZ] __attribute__((aligned(16)));
static char *alt;               /* the stack: SIGSTKSZ bytes inside altbuf */

static int on_alt(const void *p)
{
	return (const char *)p >= alt && (const char *)p < alt + SIGSTKSZ;
}

static volatile int handled, nested_done;
static volatile uint32_t local_at, nested_local_at;
static stack_t inside, frame_stack, nested_frame_stack;
static volatile int set_err, disable_err;

static void handler(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	volatile int here;

	(void)si;
	if (sig == SIGUSR2) {           /* nested, from inside the first handler */
		nested_local_at = (uint32_t)&here;
		nested_frame_stack = uc->uc_stack;
		nested_done = 1;
		return;
	}
	handled++;
	local_at = (uint32_t)&here;
	frame_stack = uc->uc_stack;
	CHECK_OK(sigaltstack(NULL, &inside));
	/* While on it, it cannot be changed, nor disabled. */
	stack_t ss = { .ss_sp = altbuf, .ss_size = SIGSTKSZ };
	errno = 0;
	set_err = sigaltstack(&ss, NULL) < 0 ? errno : 0;
	ss.ss_flags = SS_DISABLE;
	errno = 0;
	disable_err = sigaltstack(&ss, NULL) < 0 ? errno : 0;
	raise(SIGUSR2);
}

/* esp at entry, for the alignment check (see sig_frame). */
void entry_stub(int);
uint32_t stub_esp;
__asm__(".text\n.globl entry_stub\nentry_stub:\n	movl %esp, stub_esp\n	ret\n");

static void test_query_and_errors(void)
{
	stack_t ss, old;

	CHECK_OK(sigaltstack(NULL, &old));      /* none at first */
	CHECK(old.ss_sp == NULL);
	CHECK_EQ(old.ss_size, 0);
	CHECK_EQ(old.ss_flags, SS_DISABLE);

	ss = (stack_t){ .ss_sp = alt, .ss_size = SIGSTKSZ, .ss_flags = 0 };
	CHECK_OK(sigaltstack(&ss, &old));
	CHECK_EQ(old.ss_flags, SS_DISABLE);
	CHECK_OK(sigaltstack(NULL, &old));
	CHECK(old.ss_sp == alt);
	CHECK_EQ(old.ss_size, SIGSTKSZ);
	CHECK_EQ(old.ss_flags, 0);              /* set, and we are not on it */

	/* Too small: ENOMEM, and nothing changes. */
	ss.ss_size = MINSIGSTKSZ - 1;
	CHECK_ERR(sigaltstack(&ss, NULL), ENOMEM);
	ss.ss_size = MINSIGSTKSZ;               /* exactly the minimum is fine */
	CHECK_OK(sigaltstack(&ss, NULL));
	/* Unknown flags: EINVAL.  SS_ONSTACK is accepted and means 0. */
	ss.ss_flags = 0x10;
	CHECK_ERR(sigaltstack(&ss, NULL), EINVAL);
	ss.ss_flags = SS_ONSTACK | SS_DISABLE;
	CHECK_ERR(sigaltstack(&ss, NULL), EINVAL);
	ss.ss_flags = SS_ONSTACK;
	ss.ss_size = SIGSTKSZ;
	CHECK_OK(sigaltstack(&ss, NULL));
	CHECK_OK(sigaltstack(NULL, &old));
	CHECK_EQ(old.ss_flags, 0);
	CHECK_ERR(sigaltstack((void *)8, NULL), EFAULT);
	CHECK_ERR(sigaltstack(NULL, (void *)8), EFAULT);

	/* SS_DISABLE: the size is not looked at, and it reads back empty. */
	ss = (stack_t){ .ss_sp = alt, .ss_size = 1, .ss_flags = SS_DISABLE };
	CHECK_OK(sigaltstack(&ss, NULL));
	CHECK_OK(sigaltstack(NULL, &old));
	CHECK(old.ss_sp == NULL);
	CHECK_EQ(old.ss_size, 0);
	CHECK_EQ(old.ss_flags, SS_DISABLE);
}

static void test_on_stack(void)
{
	stack_t ss = { .ss_sp = alt, .ss_size = SIGSTKSZ };
	volatile int main_local;

	CHECK_OK(sigaltstack(&ss, NULL));
	catch_info(SIGUSR1, handler, SA_ONSTACK);
	catch_info(SIGUSR2, handler, SA_ONSTACK);
	handled = nested_done = 0;
	CHECK_OK(raise(SIGUSR1));
	CHECK_EQ(handled, 1);
	CHECK(on_alt((void *)local_at));
	CHECK(!on_alt((const void *)&main_local));
	/* The frame records the settings. */
	CHECK(frame_stack.ss_sp == alt);
	CHECK_EQ(frame_stack.ss_size, SIGSTKSZ);
	CHECK_EQ(frame_stack.ss_flags, 0);
	/* Inside: SS_ONSTACK. */
	CHECK(inside.ss_sp == alt);
	CHECK_EQ(inside.ss_size, SIGSTKSZ);
	CHECK_EQ(inside.ss_flags, SS_ONSTACK);
	CHECK_EQ(set_err, EPERM);
	CHECK_EQ(disable_err, EPERM);
	/* The nested one went below the first frame, on the same stack. */
	CHECK(nested_done);
	CHECK(on_alt((void *)nested_local_at));
	CHECK(nested_local_at < local_at);
	/* uc_stack holds the settings (flags as set: 0 or SS_DISABLE), not
	 * whether the interrupted code was on it. */
	CHECK(nested_frame_stack.ss_sp == alt);
	CHECK_EQ(nested_frame_stack.ss_flags, 0);
	/* Back: not on it any more. */
	stack_t now;
	CHECK_OK(sigaltstack(NULL, &now));
	CHECK_EQ(now.ss_flags, 0);

	/* A handler without SA_ONSTACK stays on the normal stack. */
	catch_info(SIGUSR1, handler, 0);
	CHECK_OK(raise(SIGUSR1));
	CHECK_EQ(handled, 2);
	CHECK(!on_alt((void *)local_at));
	CHECK_EQ(inside.ss_flags, 0);

	/* Frames on it are aligned like all frames, at the top. */
	catch_plain(SIGHUP, entry_stub, SA_ONSTACK | SA_SIGINFO);
	CHECK_OK(raise(SIGHUP));
	CHECK(on_alt((void *)stub_esp));
	CHECK_EQ((stub_esp + 4) % 16, 0);
	CHECK(stub_esp > (uint32_t)alt + SIGSTKSZ - 2048);

	/* Disabled: SA_ONSTACK handlers use the normal stack. */
	ss.ss_flags = SS_DISABLE;
	CHECK_OK(sigaltstack(&ss, NULL));
	catch_info(SIGUSR1, handler, SA_ONSTACK);
	CHECK_OK(raise(SIGUSR1));
	CHECK(!on_alt((void *)local_at));
	CHECK_EQ(frame_stack.ss_flags, SS_DISABLE);
}

/* rt_sigreturn sets the alternate stack from uc_stack, as edited; a bad
 * setting there is ignored (only a fault reading it kills). */
static stack_t new_stack;

static void edit_stack(int sig, siginfo_t *si, void *ucv)
{
	(void)sig;
	(void)si;
	((ucontext_t *)ucv)->uc_stack = new_stack;
}

static void test_sigreturn_sets(void)
{
	stack_t now;

	catch_info(SIGUSR1, edit_stack, 0);
	new_stack = (stack_t){ .ss_sp = altbuf, .ss_size = 2 * SIGSTKSZ };
	CHECK_OK(raise(SIGUSR1));
	CHECK_OK(sigaltstack(NULL, &now));
	CHECK(now.ss_sp == altbuf);
	CHECK_EQ(now.ss_size, 2 * SIGSTKSZ);
	CHECK_EQ(now.ss_flags, 0);
	new_stack = (stack_t){ .ss_sp = alt, .ss_size = 100 };     /* ENOMEM: ignored */
	CHECK_OK(raise(SIGUSR1));
	CHECK_OK(sigaltstack(NULL, &now));
	CHECK(now.ss_sp == altbuf);
	new_stack = (stack_t){ .ss_flags = SS_DISABLE };
	CHECK_OK(raise(SIGUSR1));
	CHECK_OK(sigaltstack(NULL, &now));
	CHECK_EQ(now.ss_flags, SS_DISABLE);
	set_disp(SIGUSR1, SIG_DFL);
}

/* The alternate stack is inherited by fork. */
static void test_fork(void)
{
	stack_t ss = { .ss_sp = alt, .ss_size = SIGSTKSZ }, old;

	CHECK_OK(sigaltstack(&ss, NULL));
	pid_t pid = fork();
	if (pid == 0) {
		if (sigaltstack(NULL, &old) < 0 || old.ss_sp != alt || old.ss_size != SIGSTKSZ)
			_exit(1);
		_exit(0);
	}
	CHECK_EQ(wait_status(pid), 0);
	ss.ss_flags = SS_DISABLE;
	CHECK_OK(sigaltstack(&ss, NULL));
}

int main(void)
{
	set_mask(0);
	watchdog(20);
	alt = altbuf + SIGSTKSZ;
	test_query_and_errors();
	test_on_stack();
	test_sigreturn_sets();
	test_fork();
	return 0;
}
