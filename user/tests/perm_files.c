/*
 * File permission checks, as Linux 6.1 makes them (path_resolution(7),
 * open(2), access(2), mkdir(2), unlink(2), rename(2), rmdir(2)), seen by an
 * ordinary user (uid 1000, gid 1000, supplementary group 3000) and by root:
 *   - one class decides: the owner's bits for the owner (even when group
 *     or others would allow more), else the group's for a member of the
 *     file's group (its gid or a supplementary group), else others';
 *   - every directory a path goes through needs search (x): EACCES, and
 *     EACCES before ENOENT; x without r lets a path through but not a
 *     listing; chdir needs x;
 *   - open asks for r and/or w as its access mode says, w for O_TRUNC,
 *     and w+x on the directory to create; an existing file needs nothing
 *     from its directory; EEXIST comes before EACCES (mkdir);
 *   - mkdir, unlink, rmdir, rename need w+x on the directories; in a
 *     sticky directory only the owner of the file or of the directory
 *     (or root) may remove or rename a name (EPERM);
 *   - root reads and writes anything, searches any directory, but
 *     executes only files with some x bit;
 *   - access and faccessat ask with the real ids, faccessat2's AT_EACCESS
 *     with the effective ones; the fs id is what open uses;
 *   - new files belong to the creator's fs ids, with the umask applied.
 */
#include "creds.h"

#define D "/tmp/perm_files"

static void paths_as_user(void)
{
	/* One class only. */
	CHECK_ERR(open(D "/own0077", O_RDONLY), EACCES);
	int fd = open(D "/grp0040", O_RDONLY);
	CHECK(fd >= 0);
	close(fd);
	CHECK_ERR(open(D "/grp0040", O_WRONLY), EACCES);
	CHECK_ERR(open(D "/grp0604", O_RDONLY), EACCES);	/* group says no; others' r is not ours */
	fd = open(D "/supp0060", O_RDWR);			/* group 3000: a supplementary one */
	CHECK(fd >= 0);
	close(fd);
	fd = open(D "/oth0004", O_RDONLY);
	CHECK(fd >= 0);
	close(fd);
	CHECK_ERR(open(D "/oth0004", O_RDWR), EACCES);
	CHECK_ERR(open(D "/oth0000", O_RDONLY), EACCES);
	/* Access mode 3 asks for both (Linux's ACC_MODE). */
	CHECK_ERR(open(D "/grp0040", 3), EACCES);
	/* O_TRUNC and O_CREAT on an existing read-only file. */
	CHECK_ERR(open(D "/mine0444", O_RDONLY | O_TRUNC), EACCES);
	CHECK_ERR(open(D "/mine0444", O_WRONLY | O_CREAT, 0666), EACCES);
	CHECK_ERR(sc(__NR_truncate, D "/mine0444", 0), EACCES);
	struct stat64 st;
	CHECK_OK(stat(D "/mine0444", &st));
	CHECK_EQ(st.st_size, 4);
	/* O_PATH needs nothing of the file. */
	fd = open(D "/oth0000", O_PATH);
	CHECK(fd >= 0);
	close(fd);

	/* Search permission on the way. */
	CHECK_ERR(open(D "/noexec/f", O_RDONLY), EACCES);
	CHECK_ERR(stat(D "/noexec/f", &st), EACCES);
	CHECK_ERR(stat(D "/noexec/missing", &st), EACCES);	/* EACCES before ENOENT */
	CHECK_ERR(open(D "/noexec/../grp0040", O_RDONLY), EACCES);	/* ".." is looked up too */
	CHECK_OK(stat(D "/noexec", &st));			/* its own name is in D */
	CHECK_ERR(chdir(D "/noexec"), EACCES);
	CHECK_ERR(open(D "/deep/a/b/f", O_RDONLY), EACCES);	/* a is another's, 0700 */
	/* x only: through, but no listing. */
	fd = open(D "/xonly/f", O_RDONLY);
	CHECK(fd >= 0);
	close(fd);
	CHECK_ERR(open(D "/xonly", O_RDONLY | O_DIRECTORY), EACCES);
	CHECK_OK(chdir(D "/xonly"));
	CHECK_ERR(open(".", O_RDONLY), EACCES);
	CHECK_OK(chdir("/"));
	/* A symlink's target is walked with the same checks. */
	CHECK_ERR(open(D "/link-into-noexec", O_RDONLY), EACCES);

	/* Creating and removing need w+x on the directory. */
	CHECK_ERR(open(D "/ro/new", O_CREAT | O_WRONLY, 0644), EACCES);
	CHECK_ERR(mkdir(D "/ro/newdir", 0755), EACCES);
	CHECK_ERR(mkdir(D "/ro/f", 0755), EEXIST);		/* EEXIST first */
	CHECK_ERR(sc(__NR_symlink, "x", D "/ro/sl"), EACCES);
	CHECK_ERR(sc(__NR_link, D "/mine0444", D "/ro/hl"), EACCES);
	CHECK_ERR(unlink(D "/ro/f"), EACCES);
	CHECK_ERR(unlink(D "/ro/missing"), ENOENT);		/* ENOENT first */
	CHECK_ERR(rmdir(D "/ro/sub"), EACCES);
	CHECK_ERR(rename(D "/ro/f", D "/rw/f"), EACCES);	/* from */
	CHECK_ERR(rename(D "/rw/mine", D "/ro/mine"), EACCES);	/* to */
	fd = open(D "/ro/f", O_RDWR);				/* the file itself is 0666 */
	CHECK(fd >= 0);
	close(fd);
	/* A directory moved to another parent must be writable (its ".."). */
	CHECK_ERR(rename(D "/rw/lockeddir", D "/rw2/lockeddir"), EACCES);
	CHECK_OK(rename(D "/rw/lockeddir", D "/rw/lockeddir2"));	/* same parent: fine */

	/* The sticky bit: only the file's owner, the directory's owner or root. */
	CHECK_ERR(unlink(D "/sticky/others"), EPERM);
	CHECK_ERR(rename(D "/sticky/others", D "/sticky/x"), EPERM);
	CHECK_ERR(rmdir(D "/sticky/othersdir"), EPERM);
	CHECK_ERR(rename(D "/sticky/mine", D "/sticky/others"), EPERM);	/* replacing it */
	CHECK_OK(rename(D "/sticky/mine", D "/sticky/mine2"));
	CHECK_OK(unlink(D "/sticky/mine2"));
	CHECK_OK(unlink(D "/mysticky/others"));			/* my directory */

	/* New files: the fs ids, the umask. */
	umask(027);
	fd = open(D "/rw/created", O_CREAT | O_WRONLY, 0666);
	CHECK(fd >= 0);
	CHECK_OK(fstat(fd, &st));
	close(fd);
	CHECK_EQ(st.st_uid, USER);
	CHECK_EQ(st.st_gid, GROUP);
	CHECK_EQ(st.st_mode & 07777, 0640);
	CHECK_OK(mkdir(D "/rw/cdir", 0777));
	CHECK_EQ(mode_of(D "/rw/cdir"), 0750);
	/* A set-group-id directory gives its group, and its bit to directories. */
	fd = open(D "/sgid/f", O_CREAT | O_WRONLY, 0644);
	CHECK(fd >= 0);
	CHECK_OK(fstat(fd, &st));
	close(fd);
	CHECK_EQ(st.st_gid, 4000);
	CHECK_OK(mkdir(D "/sgid/d", 0755));
	CHECK_OK(stat(D "/sgid/d", &st));
	CHECK_EQ(st.st_gid, 4000);
	CHECK_EQ(st.st_mode & 07777, 02750);
	/* ... and a new set-group-id file there keeps the bit only for a
	 * member of that group (we are not in 4000). */
	fd = open(D "/sgid/g", O_CREAT | O_WRONLY, 02755);
	CHECK(fd >= 0);
	CHECK_OK(fstat(fd, &st));
	close(fd);
	CHECK_EQ(st.st_mode & 07777, 0750);
	/* Devices need root. */
	CHECK_ERR(mknod(D "/rw/dev", S_IFCHR | 0600, 0x103), EPERM);
}

/* access: the real ids.  Real user, effective root here. */
static void access_real(void)
{
	CHECK_OK(sc(__NR_setresuid32, USER, 0, 0));
	CHECK_ERR(access(D "/root0600", R_OK), EACCES);
	CHECK_ERR(sc(__NR_faccessat, AT_FDCWD, D "/root0600", R_OK), EACCES);
	CHECK_OK(sc(__NR_faccessat2, AT_FDCWD, D "/root0600", R_OK, AT_EACCESS));
	CHECK_ERR(sc(__NR_faccessat2, AT_FDCWD, D "/root0600", R_OK, 0), EACCES);
	CHECK_ERR(access(D "/noexec/f", F_OK), EACCES);		/* the walk too */
	int fd = open(D "/root0600", O_RDONLY);			/* open: the fs id, 0 */
	CHECK(fd >= 0);
	close(fd);
	CHECK_OK(access(D "/oth0004", R_OK));
	CHECK_ERR(access(D "/oth0004", W_OK), EACCES);
	CHECK_ERR(access(D "/oth0004", 8), EINVAL);
	/* The other way round: real root, effective user. */
	CHECK_OK(sc(__NR_setresuid32, 0, USER, 0));
	CHECK_OK(access(D "/root0600", R_OK | W_OK));
	CHECK_ERR(sc(__NR_faccessat2, AT_FDCWD, D "/root0600", R_OK, AT_EACCESS), EACCES);
	CHECK_ERR(open(D "/root0600", O_RDONLY), EACCES);
	/* setfsuid alone changes what open sees. */
	CHECK_OK(sc(__NR_setresuid32, 0, 0, 0));
	CHECK_EQ(sc(__NR_setfsuid32, USER), 0);
	CHECK_ERR(open(D "/root0600", O_RDONLY), EACCES);
	CHECK_OK(access(D "/root0600", R_OK));			/* real id 0 */
}

/* Root: rw always, directories always searchable, x only with an x bit. */
static void root_overrides(void)
{
	int fd = open(D "/oth0000", O_RDWR);
	CHECK(fd >= 0);
	close(fd);
	fd = open(D "/noexec/f", O_RDWR);
	CHECK(fd >= 0);
	close(fd);
	CHECK_OK(access(D "/oth0000", R_OK | W_OK));
	CHECK_ERR(access(D "/oth0000", X_OK), EACCES);
	CHECK_OK(access(D "/x0100", X_OK));
	CHECK_OK(access(D "/noexec", X_OK));			/* a directory: always */
	CHECK_OK(unlink(D "/sticky/others2"));
	/* New files take the fs ids, not the effective ones. */
	CHECK_EQ(sc(__NR_setfsgid32, 4321), 0);
	CHECK_EQ(sc(__NR_setfsuid32, 1234), 0);
	fd = open(D "/rw/created2", O_CREAT | O_WRONLY, 0600);
	CHECK(fd >= 0);
	struct stat64 st;
	CHECK_OK(fstat(fd, &st));
	close(fd);
	CHECK_EQ(st.st_uid, 1234);
	CHECK_EQ(st.st_gid, 4321);
	CHECK_EQ(sc(__NR_geteuid32), 0);
}

int main(void)
{
	rm_rf(D);
	umask(0);
	make_dir(D, 0755, 0, 0);
	make_file(D "/own0077", 0077, USER, GROUP);
	make_file(D "/grp0040", 0040, OTHER, GROUP);
	make_file(D "/grp0604", 0604, OTHER, GROUP);
	make_file(D "/supp0060", 0060, OTHER, 3000);
	make_file(D "/oth0004", 0004, OTHER, OTHER);
	make_file(D "/oth0000", 0000, OTHER, OTHER);
	make_file(D "/x0100", 0100, OTHER, OTHER);
	make_file(D "/mine0444", 0444, USER, GROUP);
	make_file(D "/root0600", 0600, 0, 0);
	make_dir(D "/noexec", 0666, USER, GROUP);
	make_file(D "/noexec/f", 0666, USER, GROUP);
	CHECK_OK(symlink("noexec/f", D "/link-into-noexec"));
	make_dir(D "/deep", 0777, 0, 0);
	make_dir(D "/deep/a", 0700, OTHER, OTHER);
	make_dir(D "/deep/a/b", 0777, USER, GROUP);
	make_file(D "/deep/a/b/f", 0666, USER, GROUP);
	make_dir(D "/xonly", 0111, OTHER, OTHER);
	make_file(D "/xonly/f", 0444, OTHER, OTHER);
	make_dir(D "/ro", 0555, USER, GROUP);
	make_file(D "/ro/f", 0666, USER, GROUP);
	make_dir(D "/ro/sub", 0777, USER, GROUP);
	make_dir(D "/rw", 0777, OTHER, OTHER);
	make_dir(D "/rw2", 0777, OTHER, OTHER);
	make_file(D "/rw/mine", 0644, USER, GROUP);
	make_dir(D "/rw/lockeddir", 0555, USER, GROUP);
	make_dir(D "/sticky", 01777, 0, 0);
	make_file(D "/sticky/others", 0666, OTHER, OTHER);
	make_file(D "/sticky/others2", 0666, OTHER, OTHER);
	make_dir(D "/sticky/othersdir", 0777, OTHER, OTHER);
	make_file(D "/sticky/mine", 0644, USER, GROUP);
	make_dir(D "/mysticky", 01777, USER, GROUP);
	make_file(D "/mysticky/others", 0600, OTHER, OTHER);
	make_dir(D "/sgid", 02777, OTHER, 4000);
	umask(022);

	static const unsigned groups[] = { 3000 };
	run_as(USER, GROUP, 1, groups, paths_as_user);
	run_as(0, 0, 0, 0, access_real);
	run_as(0, 0, 0, 0, root_overrides);
	rm_rf(D);
	printf("perm_files: ok\n");
	return 0;
}
