/*
 * Who may change a file's mode and owner, and what the set-id bits do
 * meanwhile, as Linux 6.1 answers (chmod(2), chown(2)):
 *   - chmod, fchmod, fchmodat: the owner or root, else EPERM; a non-root
 *     chmod of a file whose group is not among the caller's drops
 *     set-group-id (silently);
 *   - chown, fchown, lchown, fchownat, in the 16-bit and 32-bit forms:
 *     only root changes the owner (the owner may "change" it to itself);
 *     the owner may change the group to one of its groups; -1 (0xffff in
 *     the 16-bit form) leaves an id alone;
 *   - a chown of a non-directory clears set-user-id, and set-group-id
 *     when group execute is set, whoever does it: root too (Linux 6.1's
 *     ATTR_KILL_SUID; the man page says "when the owner or group is
 *     changed by an unprivileged user", Linux clears them for root and for
 *     chown(-1, -1) as well); clearing them is a mode change, so a
 *     chown(-1, -1) of a set-user-id file by a non-owner is EPERM, while
 *     on a plain file it succeeds;
 *   - a write or truncate by a non-root process clears set-user-id, and
 *     set-group-id with group execute; root's do not; a write of nothing
 *     clears nothing.
 */
#include "creds.h"

#define D "/tmp/perm_attr"

static void user_chmod(void)
{
	CHECK_OK(chmod(D "/mine", 0640));
	CHECK_EQ(mode_of(D "/mine"), 0640);
	CHECK_ERR(chmod(D "/others", 0777), EPERM);
	int fd = open(D "/others", O_RDONLY);
	CHECK(fd >= 0);
	CHECK_ERR(fchmod(fd, 0777), EPERM);
	close(fd);
	CHECK_ERR(sc(__NR_fchmodat, AT_FDCWD, D "/others", 0777), EPERM);
	CHECK_EQ(mode_of(D "/others"), 0644);
	/* Set-group-id: kept in our groups (primary, supplementary), dropped outside. */
	CHECK_OK(chmod(D "/mine", 02755));
	CHECK_EQ(mode_of(D "/mine"), 02755);
	CHECK_OK(chmod(D "/mine-supp", 02755));
	CHECK_EQ(mode_of(D "/mine-supp"), 02755);
	CHECK_OK(chmod(D "/mine-othergrp", 06755));
	CHECK_EQ(mode_of(D "/mine-othergrp"), 04755);
	/* A symlink's target is what fchmodat changes. */
	CHECK_ERR(sc(__NR_fchmodat, AT_FDCWD, D "/link-to-others", 0777), EPERM);
}

static void user_chown(void)
{
	/* The owner: only to itself; the group: to one of its own. */
	CHECK_ERR(sc(__NR_chown32, D "/c1", OTHER, -1), EPERM);
	CHECK_OK(sc(__NR_chown32, D "/c1", USER, -1));
	CHECK_OK(sc(__NR_chown32, D "/c1", -1, 3000));		/* supplementary */
	CHECK_ERR(sc(__NR_chown32, D "/c1", -1, OTHER), EPERM);
	CHECK_ERR(sc(__NR_chown32, D "/c1", USER, OTHER), EPERM);
	CHECK_OK(sc(__NR_chown, D "/c1", 0xffff, GROUP));		/* 16-bit, 0xffff: unchanged */
	struct stat64 st;
	CHECK_OK(stat(D "/c1", &st));
	CHECK(st.st_uid == USER && st.st_gid == GROUP);
	CHECK_ERR(sc(__NR_chown, D "/c1", OTHER, 0xffff), EPERM);
	/* Another's file: not even to our group; -1, -1 is fine (no change). */
	CHECK_ERR(sc(__NR_chown32, D "/others", -1, GROUP), EPERM);
	CHECK_OK(sc(__NR_chown32, D "/others", -1, -1));
	/* fchown, lchown, fchownat. */
	int fd = open(D "/c1", O_RDONLY);
	CHECK(fd >= 0);
	CHECK_OK(sc(__NR_fchown32, fd, -1, 3000));
	CHECK_ERR(sc(__NR_fchown32, fd, 0, -1), EPERM);
	CHECK_OK(sc(__NR_fchown, fd, 0xffff, GROUP));
	CHECK_ERR(sc(__NR_fchown, fd, 0, 0xffff), EPERM);
	close(fd);
	CHECK_OK(symlink("others", D "/mylink"));
	CHECK_OK(sc(__NR_lchown32, D "/mylink", -1, 3000));	/* the link is ours */
	CHECK_OK(lstat(D "/mylink", &st));
	CHECK_EQ(st.st_gid, 3000);
	CHECK_OK(sc(__NR_lchown, D "/mylink", 0xffff, GROUP));
	CHECK_ERR(sc(__NR_chown32, D "/mylink", -1, GROUP), EPERM);	/* follows: others' */
	CHECK_ERR(sc(__NR_fchownat, AT_FDCWD, D "/mylink", -1, GROUP, 0), EPERM);
	CHECK_OK(sc(__NR_fchownat, AT_FDCWD, D "/mylink", -1, 3000, AT_SYMLINK_NOFOLLOW));
	CHECK_ERR(sc(__NR_fchownat, AT_FDCWD, D "/mylink", -1, 3000, 0x1), EINVAL);
	/* Set-id bits: a chown clears set-user-id, and set-group-id with group x. */
	CHECK_OK(sc(__NR_chown32, D "/suid", -1, 3000));
	CHECK_EQ(mode_of(D "/suid"), 0755);
	CHECK_OK(sc(__NR_chown32, D "/sgid-nox", -1, 3000));	/* no group x: a locking mark */
	CHECK_EQ(mode_of(D "/sgid-nox"), 02644);
	CHECK_OK(sc(__NR_chown32, D "/suid-dir", -1, 3000));	/* directories keep them */
	CHECK_EQ(mode_of(D "/suid-dir"), 06755);
	/* Not the owner of a set-user-id file: clearing it is refused. */
	CHECK_ERR(sc(__NR_chown32, D "/others-suid", -1, -1), EPERM);
	CHECK_EQ(mode_of(D "/others-suid"), 04755);
}

/* A write by anyone but root clears set-user-id (and set-group-id with x). */
static void user_write(void)
{
	int fd = open(D "/w1", O_WRONLY);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, "", 0), 0);
	CHECK_EQ(mode_of(D "/w1"), 06775);		/* nothing written: kept */
	CHECK_EQ(write(fd, "x", 1), 1);
	CHECK_EQ(mode_of(D "/w1"), 0775);
	close(fd);
	fd = open(D "/w2", O_WRONLY);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, "x", 1), 1);
	CHECK_EQ(mode_of(D "/w2"), 02664);		/* no group x: kept */
	close(fd);
	CHECK_OK(sc(__NR_truncate, D "/w3", 1));
	CHECK_EQ(mode_of(D "/w3"), 0775);
	fd = open(D "/w4", O_WRONLY | O_TRUNC);
	CHECK(fd >= 0);
	close(fd);
	CHECK_EQ(mode_of(D "/w4"), 0775);
}

static void root_side(void)
{
	/* Root's chmod keeps set-group-id whatever the group. */
	CHECK_OK(chmod(D "/others", 02755));
	CHECK_EQ(mode_of(D "/others"), 02755);
	/* Root's chown clears the set-id bits too (Linux 6.1), even -1, -1. */
	CHECK_OK(chmod(D "/others", 06755));
	CHECK_OK(sc(__NR_chown32, D "/others", -1, -1));
	CHECK_EQ(mode_of(D "/others"), 0755);
	CHECK_OK(chmod(D "/others", 06755));
	CHECK_OK(sc(__NR_chown32, D "/others", USER, GROUP));
	CHECK_EQ(mode_of(D "/others"), 0755);
	/* Root's write keeps them. */
	CHECK_OK(chmod(D "/others", 06755));
	int fd = open(D "/others", O_WRONLY);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, "x", 1), 1);
	close(fd);
	CHECK_EQ(mode_of(D "/others"), 06755);
}

int main(void)
{
	rm_rf(D);
	umask(0);
	make_dir(D, 0777, 0, 0);
	make_file(D "/mine", 0644, USER, GROUP);
	make_file(D "/mine-supp", 0644, USER, 3000);
	make_file(D "/mine-othergrp", 0644, USER, OTHER);
	make_file(D "/others", 0644, OTHER, OTHER);
	CHECK_OK(symlink("others", D "/link-to-others"));
	make_file(D "/c1", 0644, USER, GROUP);
	make_file(D "/suid", 06755, USER, GROUP);
	make_file(D "/sgid-nox", 02644, USER, GROUP);
	make_dir(D "/suid-dir", 06755, USER, GROUP);
	make_file(D "/others-suid", 04755, OTHER, GROUP);
	make_file(D "/w1", 06775, OTHER, GROUP);
	make_file(D "/w2", 02664, OTHER, GROUP);
	make_file(D "/w3", 06775, OTHER, GROUP);
	make_file(D "/w4", 06775, OTHER, GROUP);
	umask(022);
	static const unsigned groups[] = { 3000 };
	run_as(USER, GROUP, 1, groups, user_chmod);
	run_as(USER, GROUP, 1, groups, user_chown);
	run_as(USER, GROUP, 1, groups, user_write);
	run_as(0, 0, 0, 0, root_side);
	rm_rf(D);
	printf("perm_attr: ok\n");
	return 0;
}
