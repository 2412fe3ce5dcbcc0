/*
 * The user and group ids of a process: getuid, geteuid, getresuid and the
 * set*id calls, in the 32-bit forms (setuid32...) and the old 16-bit ones
 * (setuid...), with Linux's rules (setuid(2), setreuid(2), setresuid(2),
 * setfsuid(2) and the gid twins):
 *   - root may set any id; others only among their real, effective and
 *     saved ids (setreuid's real id only to the real or effective one);
 *   - setuid of -1 is EINVAL; -1 elsewhere means "unchanged";
 *   - the fs id follows the effective id; setfsuid always returns the old
 *     fs id and changes it only to one of the four ids (or as root);
 *   - a failed call changes nothing;
 *   - the 16-bit calls take 0xffff as -1 and report ids above 65535 as
 *     65534;
 *   - getresuid's stores fault one at a time (EFAULT);
 *   - fork copies every id.
 * The same scenarios run for uids and for gids (the rules are the same,
 * with CAP_SETGID for CAP_SETUID).
 */
#include "creds.h"

struct kind {
	const char *name;
	long get, get32, geteff, geteff32, set, set32, setre, setre32, setres, setres32;
	long getres, getres32, setfs, setfs32;
};

static const struct kind kinds[2] = {
	{ "uid", __NR_getuid, __NR_getuid32, __NR_geteuid, __NR_geteuid32, __NR_setuid,
	  __NR_setuid32, __NR_setreuid, __NR_setreuid32, __NR_setresuid, __NR_setresuid32,
	  __NR_getresuid, __NR_getresuid32, __NR_setfsuid, __NR_setfsuid32 },
	{ "gid", __NR_getgid, __NR_getgid32, __NR_getegid, __NR_getegid32, __NR_setgid,
	  __NR_setgid32, __NR_setregid, __NR_setregid32, __NR_setresgid, __NR_setresgid32,
	  __NR_getresgid, __NR_getresgid32, __NR_setfsgid, __NR_setfsgid32 },
};
static const struct kind *k;

/* The real, effective and saved ids must be r, e, s (and fs the fs id). */
static void expect(unsigned r, unsigned e, unsigned s, unsigned fs)
{
	unsigned v[3] = { 1, 1, 1 };
	CHECK_OK(sc(k->getres32, &v[0], &v[1], &v[2]));
	if (v[0] != r || v[1] != e || v[2] != s)
		check_fail(__FILE__, __LINE__, "%s: expected %u %u %u, got %u %u %u", k->name,
			   r, e, s, v[0], v[1], v[2]);
	CHECK_EQ(sc(k->get32), r);
	CHECK_EQ(sc(k->geteff32), e);
	CHECK_EQ(sc(k->setfs32, -1), fs);	/* -1: only asks */
}

/* Root may set any id; setuid sets all three, and then root is gone. */
static void root_setid(void)
{
	expect(0, 0, 0, 0);
	CHECK_ERR(sc(k->set32, -1), EINVAL);
	CHECK_ERR(sc(k->set, 0xffff), EINVAL);	/* 16-bit -1 */
	expect(0, 0, 0, 0);
	CHECK_OK(sc(k->set32, 70000));
	expect(70000, 70000, 70000, 70000);
	if (k == &kinds[0]) {			/* uid: root is gone for good */
		CHECK_ERR(sc(k->set32, 0), EPERM);
		CHECK_ERR(sc(k->setres32, -1, 0, -1), EPERM);
		expect(70000, 70000, 70000, 70000);
	}
}

/* An ordinary process: setuid moves only the effective id, to the real
 * or the saved one. */
static void user_setid(void)
{
	CHECK_OK(sc(k->setres32, 1000, 2000, 3000));
	if (k == &kinds[1])
		CHECK_OK(sc(__NR_setresuid32, 5, 5, 5));	/* not root any more */
	expect(1000, 2000, 3000, 2000);
	CHECK_OK(sc(k->set32, 3000));
	expect(1000, 3000, 3000, 3000);
	CHECK_ERR(sc(k->set32, 2000), EPERM);	/* the old effective id is not kept */
	CHECK_ERR(sc(k->set32, -1), EINVAL);
	expect(1000, 3000, 3000, 3000);
	CHECK_OK(sc(k->set, 1000));		/* the 16-bit form */
	expect(1000, 1000, 3000, 1000);
	CHECK_OK(sc(k->set32, 3000));
	CHECK_OK(sc(k->set32, 3000));		/* no change is fine */
	expect(1000, 3000, 3000, 3000);
}

/* setreuid: the real id may become the real or effective id, the
 * effective id any of the three; the saved id follows the new effective
 * id when the real id is set or the effective id moves off the real id. */
static void user_setreid(void)
{
	CHECK_OK(sc(k->setres32, 1000, 2000, 3000));
	if (k == &kinds[1])
		CHECK_OK(sc(__NR_setresuid32, 5, 5, 5));
	CHECK_ERR(sc(k->setre32, 3000, -1), EPERM);	/* the saved id is not for the real one */
	CHECK_ERR(sc(k->setre32, -1, 4000), EPERM);
	CHECK_ERR(sc(k->setre32, 1000, 4000), EPERM);	/* nothing changes */
	expect(1000, 2000, 3000, 2000);
	CHECK_OK(sc(k->setre32, -1, -1));
	CHECK_OK(sc(k->setre, 0xffff, 0xffff));		/* 16-bit -1, -1 */
	expect(1000, 2000, 3000, 2000);
	CHECK_OK(sc(k->setre32, -1, 1000));		/* to the real id: saved stays */
	expect(1000, 1000, 3000, 1000);
	CHECK_OK(sc(k->setre32, -1, 3000));		/* off the real id: saved follows */
	expect(1000, 3000, 3000, 3000);
	CHECK_OK(sc(k->setre32, 3000, 1000));		/* real set: saved follows */
	expect(3000, 1000, 1000, 1000);
	CHECK_OK(sc(k->setre, 1000, 0xffff));		/* 16-bit */
	expect(1000, 1000, 1000, 1000);
	CHECK_ERR(sc(k->setre32, 3000, -1), EPERM);
}

/* setresuid: each id to any of the three; -1 leaves it. */
static void user_setresid(void)
{
	CHECK_OK(sc(k->setres32, 1000, 2000, 3000));
	if (k == &kinds[1])
		CHECK_OK(sc(__NR_setresuid32, 5, 5, 5));
	CHECK_OK(sc(k->setres32, 3000, 1000, 2000));
	expect(3000, 1000, 2000, 1000);
	CHECK_ERR(sc(k->setres32, -1, -1, 4000), EPERM);
	CHECK_ERR(sc(k->setres32, 1000, 2000, 4000), EPERM);	/* all or nothing */
	expect(3000, 1000, 2000, 1000);
	CHECK_OK(sc(k->setres32, -1, -1, -1));
	CHECK_OK(sc(k->setres, 0xffff, 3000, 0xffff));	/* 16-bit */
	expect(3000, 3000, 2000, 3000);
}

/* setfsuid: returns the old fs id whatever happens; the fs id follows
 * every change of the effective id. */
static void fsid(void)
{
	CHECK_EQ(sc(k->setfs32, 1234), 0);		/* root: anything */
	CHECK_EQ(sc(k->setfs32, 4321), 1234);
	expect(0, 0, 0, 4321);
	CHECK_EQ(sc(k->setfs, 0xffff), 4321);		/* 16-bit -1: only asks */
	CHECK_EQ(sc(k->setfs, 77), 4321);
	CHECK_OK(sc(k->setres32, 1000, 2000, 3000));	/* the fs id follows the effective one */
	if (k == &kinds[1])
		CHECK_OK(sc(__NR_setresuid32, 5, 5, 5));
	expect(1000, 2000, 3000, 2000);
	CHECK_EQ(sc(k->setfs32, 4000), 2000);		/* not one of ours: refused, old id back */
	CHECK_EQ(sc(k->setfs32, 3000), 2000);		/* the saved id: allowed */
	CHECK_EQ(sc(k->setfs32, 1000), 3000);		/* the real one */
	CHECK_EQ(sc(k->setfs32, -1), 1000);
	expect(1000, 2000, 3000, 1000);
	CHECK_OK(sc(k->set32, 3000));			/* effective moves: fs follows */
	expect(1000, 3000, 3000, 3000);
}

/* 16-bit views of ids above 65535: 65534.  (65535 itself fits.) */
static void overflow(void)
{
	CHECK_OK(sc(k->setres32, 100000, 70000, 65535));
	CHECK_EQ(sc(k->get), 65534);
	CHECK_EQ(sc(k->geteff), 65534);
	CHECK_EQ(sc(k->get32), 100000);
	unsigned short v[4] = { 1, 1, 1, 0x5a5a };
	CHECK_OK(sc(k->getres, &v[0], &v[1], &v[2]));
	CHECK_EQ(v[0], 65534);
	CHECK_EQ(v[1], 65534);
	CHECK_EQ(v[2], 65535);
	CHECK_EQ(v[3], 0x5a5a);			/* 16-bit stores: two bytes each */
	/* Linux's setfsuid16 returns the old fs id unconverted (uid16.c). */
	CHECK_EQ(sc(k->setfs, 0xffff), 70000);
}

/* getresuid with a bad pointer: EFAULT, the stores before it done. */
static void faults(void)
{
	CHECK_OK(sc(k->setres32, 11, 12, 13));
	unsigned a = 0, c = 0;
	CHECK_ERR(sc(k->getres32, &a, (void *)1, &c), EFAULT);
	CHECK_EQ(a, 11);
	CHECK_EQ(c, 0);
	CHECK_ERR(sc(k->getres32, (void *)0xc0000000, &a, &c), EFAULT);
	unsigned short s = 0;
	CHECK_ERR(sc(k->getres, &s, &s, (void *)4), EFAULT);
	CHECK_EQ(s, 12);
}

/* fork copies the ids (and exec keeps them: exec's test). */
static void inherit(void)
{
	CHECK_OK(sc(k->setres32, 21, 22, 23));
	CHECK_EQ(sc(k->setfs32, 21), 22);
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		expect(21, 22, 23, 21);
		_exit(0);
	}
	int status;
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK_EQ(status, 0);
}

int main(void)
{
	/* init (and so every test) starts as root: all ids 0. */
	for (int i = 0; i < 2; i++) {
		k = &kinds[i];
		CHECK_EQ(sc(k->get), 0);
		CHECK_EQ(sc(k->geteff), 0);
		expect(0, 0, 0, 0);
		run_as(0, 0, 0, 0, root_setid);
		run_as(0, 0, 0, 0, user_setid);
		run_as(0, 0, 0, 0, user_setreid);
		run_as(0, 0, 0, 0, user_setresid);
		run_as(0, 0, 0, 0, fsid);
		run_as(0, 0, 0, 0, overflow);
		run_as(0, 0, 0, 0, faults);
		run_as(0, 0, 0, 0, inherit);
	}
	printf("cred_ids: ok\n");
	return 0;
}
