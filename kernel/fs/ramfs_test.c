/*
 * Self-tests of ramfs and path lookup: creating, finding, removing and
 * renaming, with the errors Linux gives, and the corner cases of paths.
 */
#include <kernel/selftest.h>
#include "fs_test.h"

SELFTEST(ramfs_create_lookup_unlink)
{
	uint32_t pages = t_pages();
	char buf[16];
	EXPECT(t_mkdir("/t-ramfs") == 0);
	EXPECT(t_mkdir("/t-ramfs") == -EEXIST);
	EXPECT(t_write("/t-ramfs/a", "hello", 5) == 0);
	EXPECT(S_ISREG(t_mode("/t-ramfs/a")));
	EXPECT(t_read("/t-ramfs/a", buf, sizeof buf) == 5 && memcmp(buf, "hello", 5) == 0);
	EXPECT(do_create(0, "/t-ramfs/a", S_IFREG | 0644, 0, 0) == -EEXIST);
	EXPECT(t_lookup("/t-ramfs/missing", 0) == -ENOENT);
	EXPECT(do_remove(0, "/t-ramfs/missing", false) == -ENOENT);
	/* unlink refuses directories, rmdir refuses files and full directories */
	EXPECT(do_remove(0, "/t-ramfs", false) == -EISDIR);
	EXPECT(do_remove(0, "/t-ramfs/a", true) == -ENOTDIR);
	EXPECT(do_remove(0, "/t-ramfs", true) == -ENOTEMPTY);
	EXPECT(do_remove(0, "/t-ramfs/a/", false) == -ENOTDIR);
	EXPECT(do_remove(0, "/t-ramfs/", false) == -EISDIR);
	EXPECT(do_remove(0, "/t-ramfs/.", true) == -EINVAL);
	EXPECT(do_remove(0, "/t-ramfs/..", true) == -ENOTEMPTY);
	EXPECT(do_remove(0, "/", true) == -EBUSY);
	EXPECT(do_remove(0, "/proc", true) == -EBUSY);
	EXPECT(do_create(0, "/t-ramfs/a/x", S_IFDIR | 0755, 0, 0) == -ENOTDIR);
	EXPECT(do_create(0, "/t-ramfs/nodir/x", S_IFDIR | 0755, 0, 0) == -ENOENT);
	EXPECT(do_create(0, "/", S_IFDIR | 0755, 0, 0) == -EEXIST);
	EXPECT(do_create(0, "/t-ramfs/d/", S_IFDIR | 0755, 0, 0) == 0);	/* mkdir takes "d/" */
	EXPECT(do_create(0, "/t-ramfs/f/", S_IFREG | 0644, 0, 0) == -ENOENT);
	EXPECT(do_remove(0, "/t-ramfs/d/", true) == 0);
	EXPECT(do_remove(0, "/t-ramfs/a", false) == 0);
	EXPECT(t_lookup("/t-ramfs/a", 0) == -ENOENT);
	EXPECT(do_remove(0, "/t-ramfs", true) == 0);
	EXPECT(t_pages() == pages);
}

SELFTEST(ramfs_nlink_and_unlinked_open_file)
{
	uint32_t pages = t_pages();
	struct inode *dir, *f;
	char buf[8];
	EXPECT(t_mkdir("/t-nlink") == 0);
	EXPECT(path_lookup(0, "/t-nlink", 0, &dir) == 0);
	EXPECT(dir->nlink == 2);
	EXPECT(t_mkdir("/t-nlink/sub") == 0);
	EXPECT(dir->nlink == 3);		/* sub's ".." */
	EXPECT(t_write("/t-nlink/file", "data", 4) == 0);
	EXPECT(path_lookup(0, "/t-nlink/file", 0, &f) == 0);
	EXPECT(f->nlink == 1);
	inode_put(f);
	/* unlink while open: the data stays until the last close */
	struct file *open;
	EXPECT(do_open(0, "/t-nlink/file", O_RDONLY, 0, &open) == 0);
	EXPECT(do_remove(0, "/t-nlink/file", false) == 0);
	EXPECT(open->inode->nlink == 0);
	EXPECT(vfs_read_at(open, buf, sizeof buf, 0) == 4 && memcmp(buf, "data", 4) == 0);
	file_put(open);
	EXPECT(do_remove(0, "/t-nlink/sub", true) == 0);
	EXPECT(dir->nlink == 2);
	inode_put(dir);
	t_rm_tree("/t-nlink");
	EXPECT(t_pages() == pages);
}

SELFTEST(ramfs_rename)
{
	uint32_t pages = t_pages();
	char buf[8];
	EXPECT(t_mkdir("/t-ren") == 0);
	EXPECT(t_mkdir("/t-ren/d1") == 0);
	EXPECT(t_mkdir("/t-ren/d1/inner") == 0);
	EXPECT(t_mkdir("/t-ren/empty") == 0);
	EXPECT(t_write("/t-ren/f1", "one", 3) == 0);
	EXPECT(t_write("/t-ren/f2", "two", 3) == 0);
	EXPECT(do_rename(0, "/t-ren/nothere", 0, "/t-ren/x", 0) == -ENOENT);
	/* a file replaces a file */
	EXPECT(do_rename(0, "/t-ren/f1", 0, "/t-ren/f2", 0) == 0);
	EXPECT(t_lookup("/t-ren/f1", 0) == -ENOENT);
	EXPECT(t_read("/t-ren/f2", buf, sizeof buf) == 3 && memcmp(buf, "one", 3) == 0);
	EXPECT(do_rename(0, "/t-ren/f2", 0, "/t-ren/f2", 0) == 0);	/* to itself: nothing */
	/* types must match */
	EXPECT(do_rename(0, "/t-ren/f2", 0, "/t-ren/empty", 0) == -EISDIR);
	EXPECT(do_rename(0, "/t-ren/empty", 0, "/t-ren/f2", 0) == -ENOTDIR);
	EXPECT(do_rename(0, "/t-ren/empty", 0, "/t-ren/d1", 0) == -ENOTEMPTY);
	EXPECT(do_rename(0, "/t-ren/f2/", 0, "/t-ren/f3", 0) == -ENOTDIR);
	/* a directory cannot move below itself */
	EXPECT(do_rename(0, "/t-ren/d1", 0, "/t-ren/d1/inner/x", 0) == -EINVAL);
	EXPECT(do_rename(0, "/t-ren/d1", 0, "/t-ren/d1/x", 0) == -EINVAL);
	EXPECT(do_rename(0, "/t-ren/.", 0, "/t-ren/x", 0) == -EBUSY);
	EXPECT(do_rename(0, "/t-ren/f2", 0, "/t-ren/empty/..", 0) == -EBUSY);
	EXPECT(do_rename(0, "/t-ren/f2", 0, "/proc/x", 0) == -EXDEV);
	EXPECT(do_rename(0, "/t-ren/f2", 0, "/t-ren/empty", 1 /* NOREPLACE */) == -EEXIST);
	/* a directory moves (".." follows it), an empty one can be replaced */
	EXPECT(do_rename(0, "/t-ren/d1", 0, "/t-ren/empty", 0) == 0);
	EXPECT(t_lookup("/t-ren/empty/inner/../../f2", 0) == 0);
	EXPECT(t_lookup("/t-ren/d1", 0) == -ENOENT);
	EXPECT(do_rename(0, "/t-ren/empty/inner", 0, "/t-ren/moved/", 0) == 0);
	EXPECT(S_ISDIR(t_mode("/t-ren/moved")));
	t_rm_tree("/t-ren");
	EXPECT(t_lookup("/t-ren", 0) == -ENOENT);
	EXPECT(t_pages() == pages);
}

SELFTEST(ramfs_file_data_truncate)
{
	uint32_t pages = t_pages();
	struct file *f;
	char buf[16];
	EXPECT(do_open(0, "/t-trunc", O_CREAT | O_RDWR, 0644, &f) == 0);
	/* a write far out leaves a hole that reads as zeros and uses no page */
	uint64_t pos = 3 * 4096 + 10;
	EXPECT(f->ops->write(f, "xyz", 3, &pos) == 3);
	EXPECT(f->inode->size == 3 * 4096 + 13);
	EXPECT(f->inode->blocks == 1);
	EXPECT(vfs_read_at(f, buf, 4, 4096) == 4 && memcmp(buf, "\0\0\0\0", 4) == 0);
	EXPECT(vfs_read_at(f, buf, 16, 3 * 4096 + 10) == 3 && memcmp(buf, "xyz", 3) == 0);
	/* shrink into the middle of "xyz", grow again: the cut part reads 0 */
	EXPECT(do_truncate(f->inode, 3 * 4096 + 11) == 0);
	EXPECT(do_truncate(f->inode, 3 * 4096 + 13) == 0);
	EXPECT(vfs_read_at(f, buf, 16, 3 * 4096 + 10) == 3 && memcmp(buf, "x\0\0", 3) == 0);
	/* vfs_get_page gives the file's own page; beyond the end ENXIO */
	uint32_t phys;
	EXPECT(vfs_get_page(f->inode, 3, &phys) == 0);
	EXPECT(pmm_page_refs(phys) == 2);
	pmm_page_put(phys);
	EXPECT(vfs_get_page(f->inode, 4, &phys) == -ENXIO);
	EXPECT(vfs_get_page(f->inode, 0, &phys) == 0);	/* a hole gets a page */
	EXPECT(f->inode->blocks == 2);
	pmm_page_put(phys);
	EXPECT(do_truncate(f->inode, 0) == 0);
	EXPECT(f->inode->blocks == 0 && f->inode->size == 0);
	/* O_APPEND writes at the end whatever the position */
	f->flags |= O_APPEND;
	pos = 0;
	EXPECT(f->ops->write(f, "ab", 2, &pos) == 2);
	pos = 0;
	EXPECT(f->ops->write(f, "cd", 2, &pos) == 2 && pos == 4);
	EXPECT(vfs_read_at(f, buf, 16, 0) == 4 && memcmp(buf, "abcd", 4) == 0);
	file_put(f);
	EXPECT(do_remove(0, "/t-trunc", false) == 0);
	EXPECT(t_pages() == pages);
}

SELFTEST(path_lookup_corners)
{
	uint32_t pages = t_pages();
	struct inode *root, *i;
	char name[300];
	EXPECT(t_mkdir("/t-path") == 0);
	EXPECT(t_mkdir("/t-path/d") == 0);
	EXPECT(t_write("/t-path/d/f", "x", 1) == 0);
	EXPECT(path_lookup(0, "/", 0, &root) == 0);
	EXPECT(root == fs_root());
	inode_put(root);
	EXPECT(path_lookup(0, "/..", 0, &i) == 0 && i == fs_root());	/* the root's parent is itself */
	inode_put(i);
	EXPECT(t_lookup("", 0) == -ENOENT);
	EXPECT(t_lookup("//t-path///d//f", 0) == 0);
	EXPECT(t_lookup("/t-path/./d/../d/f", 0) == 0);
	EXPECT(t_lookup("/t-path/d/", 0) == 0);
	EXPECT(t_lookup("/t-path/d/f/", 0) == -ENOTDIR);
	EXPECT(t_lookup("/t-path/d/f/.", 0) == -ENOTDIR);
	EXPECT(t_lookup("/t-path/d/f/x", 0) == -ENOTDIR);
	EXPECT(t_lookup("/t-path/d/f", LOOKUP_DIRECTORY) == -ENOTDIR);
	EXPECT(t_lookup("/t-path/nope/f", 0) == -ENOENT);
	EXPECT(t_lookup("t-path/d", 0) == 0);		/* relative to the cwd, here / */
	memset(name, 'n', 8 + 256);
	memcpy(name, "/t-path/", 8);
	name[8 + 256] = '\0';
	EXPECT(t_lookup(name, 0) == -ENAMETOOLONG);
	name[8 + 255] = '\0';
	EXPECT(t_lookup(name, 0) == -ENOENT);		/* 255 is still a name */
	/* relative to a given directory */
	struct inode *d;
	EXPECT(path_lookup(0, "/t-path/d", 0, &d) == 0);
	EXPECT(path_lookup(d, "f", 0, &i) == 0 && S_ISREG(i->mode));
	inode_put(i);
	EXPECT(path_lookup(d, "../d/f", 0, &i) == 0);
	inode_put(i);
	EXPECT(path_lookup(d, "/t-path", 0, &i) == 0 && S_ISDIR(i->mode));
	inode_put(i);
	char path[64];
	EXPECT(dir_path(d, path, sizeof path) == 9 && strcmp(path, "/t-path/d") == 0);
	EXPECT(dir_path(d, path, 5) == -ERANGE);
	EXPECT(dir_path(fs_root(), path, sizeof path) == 1 && strcmp(path, "/") == 0);
	inode_put(d);
	t_rm_tree("/t-path");
	EXPECT(t_pages() == pages);
}

SELFTEST(path_symlinks)
{
	uint32_t pages = t_pages();
	char buf[64];
	EXPECT(t_mkdir("/t-link") == 0);
	EXPECT(t_mkdir("/t-link/dir") == 0);
	EXPECT(t_write("/t-link/dir/file", "abc", 3) == 0);
	EXPECT(do_create(0, "/t-link/rel", S_IFLNK | 0777, 0, "dir/file") == 0);
	EXPECT(do_create(0, "/t-link/abs", S_IFLNK | 0777, 0, "/t-link/dir") == 0);
	EXPECT(do_create(0, "/t-link/loop1", S_IFLNK | 0777, 0, "loop2") == 0);
	EXPECT(do_create(0, "/t-link/loop2", S_IFLNK | 0777, 0, "loop1") == 0);
	EXPECT(do_create(0, "/t-link/dangling", S_IFLNK | 0777, 0, "nowhere") == 0);
	EXPECT(S_ISLNK(t_mode("/t-link/rel")));
	EXPECT(t_lookup("/t-link/rel", LOOKUP_FOLLOW) == 0);
	EXPECT(t_read("/t-link/rel", buf, sizeof buf) == 3);
	EXPECT(t_lookup("/t-link/abs/file", 0) == 0);	/* followed in the middle */
	EXPECT(t_lookup("/t-link/abs/", 0) == 0);	/* and with a trailing slash */
	EXPECT(t_lookup("/t-link/rel/", 0) == -ENOTDIR);
	EXPECT(t_lookup("/t-link/loop1", 0) == 0);	/* not followed: the link itself */
	EXPECT(t_lookup("/t-link/loop1", LOOKUP_FOLLOW) == -ELOOP);
	EXPECT(t_lookup("/t-link/loop1/x", 0) == -ELOOP);
	EXPECT(t_lookup("/t-link/dangling", LOOKUP_FOLLOW) == -ENOENT);
	/* open(O_CREAT) through a dangling link creates its target */
	struct file *f;
	EXPECT(do_open(0, "/t-link/dangling", O_CREAT | O_WRONLY, 0644, &f) == 0);
	file_put(f);
	EXPECT(S_ISREG(t_mode("/t-link/nowhere")));
	EXPECT(do_open(0, "/t-link/dangling", O_CREAT | O_EXCL | O_WRONLY, 0644, &f) == -EEXIST);
	EXPECT(do_open(0, "/t-link/rel", O_RDONLY | O_NOFOLLOW, 0, &f) == -ELOOP);
	/* realpath resolves links and dots */
	EXPECT(vfs_realpath("/t-link/abs/../rel", buf, sizeof buf) == 16);
	EXPECT(strcmp(buf, "/t-link/dir/file") == 0);
	EXPECT(vfs_realpath("/t-link/abs/./", buf, sizeof buf) == 11 && strcmp(buf, "/t-link/dir") == 0);
	/* a chain of 40 links is fine, 41 is ELOOP */
	char name[32], target[32];
	for (int i = 0; i < 41; i++) {
		snprintf(name, sizeof name, "/t-link/c%d", i);
		snprintf(target, sizeof target, i == 0 ? "dir/file" : "c%d", i - 1);
		EXPECT(do_create(0, name, S_IFLNK | 0777, 0, target) == 0);
	}
	EXPECT(t_lookup("/t-link/c39", LOOKUP_FOLLOW) == 0);
	EXPECT(t_lookup("/t-link/c40", LOOKUP_FOLLOW) == -ELOOP);
	t_rm_tree("/t-link");
	EXPECT(t_pages() == pages);
}

SELFTEST(open_semantics)
{
	uint32_t pages = t_pages();
	struct file *f;
	char buf[8];
	EXPECT(t_mkdir("/t-open") == 0);
	EXPECT(t_write("/t-open/f", "12345", 5) == 0);
	EXPECT(do_open(0, "/t-open/f", O_CREAT | O_EXCL | O_RDWR, 0644, &f) == -EEXIST);
	EXPECT(do_open(0, "/t-open/f", O_RDONLY | O_DIRECTORY, 0, &f) == -ENOTDIR);
	EXPECT(do_open(0, "/t-open", O_WRONLY, 0, &f) == -EISDIR);
	EXPECT(do_open(0, "/t-open", O_RDWR, 0, &f) == -EISDIR);
	EXPECT(do_open(0, "/t-open", O_RDONLY | O_CREAT, 0, &f) == -EISDIR);
	EXPECT(do_open(0, "/t-open/new/", O_CREAT | O_WRONLY, 0644, &f) == -EISDIR);
	EXPECT(do_open(0, "/t-open/missing", O_RDONLY, 0, &f) == -ENOENT);
	EXPECT(do_open(0, "/t-open/no/new", O_CREAT | O_WRONLY, 0644, &f) == -ENOENT);
	EXPECT(do_open(0, "/proc/newfile", O_CREAT | O_WRONLY, 0644, &f) == -ENOENT);
	/* a directory opens read-only; reading it is EISDIR */
	EXPECT(do_open(0, "/t-open", O_RDONLY | O_DIRECTORY, 0, &f) == 0);
	EXPECT(vfs_read_at(f, buf, 8, 0) == -EISDIR);
	file_put(f);
	/* O_TRUNC empties; the mode honours the umask */
	EXPECT(do_open(0, "/t-open/f", O_WRONLY | O_TRUNC, 0, &f) == 0);
	EXPECT(f->inode->size == 0);
	EXPECT(vfs_read_at(f, buf, 8, 0) == -EBADF);	/* not open for reading */
	file_put(f);
	EXPECT(do_open(0, "/t-open/g", O_CREAT | O_WRONLY, 0777, &f) == 0);
	EXPECT(f->inode->mode == (S_IFREG | (0777 & ~fs_umask())));
	EXPECT((f->flags & (O_CREAT | O_TRUNC)) == 0);	/* open-time flags are not kept */
	file_put(f);
	/* O_PATH: no reading */
	EXPECT(do_open(0, "/t-open/g", O_PATH, 0, &f) == 0);
	EXPECT(vfs_read_at(f, buf, 8, 0) == -EBADF);
	file_put(f);
	/* devices */
	EXPECT(do_open(0, "/dev/zero", O_RDWR, 0, &f) == 0);
	memset(buf, 'x', sizeof buf);
	EXPECT(vfs_read_at(f, buf, 8, 0) == 8 && buf[0] == 0 && buf[7] == 0);
	file_put(f);
	EXPECT(do_open(0, "/dev/null", O_RDWR, 0, &f) == 0);
	EXPECT(vfs_read_at(f, buf, 8, 0) == 0);
	EXPECT(f->ops->write(f, "abc", 3, &f->pos) == 3);
	file_put(f);
	EXPECT(do_open(0, "/dev/full", O_WRONLY, 0, &f) == 0);
	EXPECT(f->ops->write(f, "abc", 3, &f->pos) == -ENOSPC);
	file_put(f);
	EXPECT(do_create(0, "/t-open/nodev", S_IFCHR | 0600, MKDEV(42, 42), 0) == 0);
	EXPECT(do_open(0, "/t-open/nodev", O_RDONLY, 0, &f) == -ENXIO);
	t_rm_tree("/t-open");
	EXPECT(t_pages() == pages);
}

SELFTEST(getdents_listing)
{
	uint32_t pages = t_pages();
	char *buf = kmalloc(1024);
	struct inode *d;
	EXPECT(t_mkdir("/t-ls") == 0);
	EXPECT(t_write("/t-ls/one", "", 0) == 0);
	EXPECT(t_mkdir("/t-ls/two") == 0);
	EXPECT(path_lookup(0, "/t-ls", 0, &d) == 0);
	uint64_t pos = 0;
	int n = dir_list(d, &pos, buf, 1024);
	/* ".", "..", "one", "two": 24 bytes each (19 + name + NUL, rounded to 8) */
	EXPECT(n == 4 * 24);
	struct linux_dirent64 *e = (struct linux_dirent64 *)buf;
	EXPECT(strcmp(e->d_name, ".") == 0 && e->d_type == DT_DIR && e->d_reclen == 24);
	e = (struct linux_dirent64 *)(buf + 48);
	EXPECT(strcmp(e->d_name, "one") == 0 && e->d_type == DT_REG);
	e = (struct linux_dirent64 *)(buf + 72);
	EXPECT(strcmp(e->d_name, "two") == 0 && e->d_type == DT_DIR && (uint64_t)e->d_off == pos);
	EXPECT(dir_list(d, &pos, buf, 1024) == 0);	/* the end */
	/* removing an entry mid-listing skips nothing that remains */
	pos = 0;
	EXPECT(dir_list(d, &pos, buf, 60) == 48);	/* room for two records */
	EXPECT(do_remove(0, "/t-ls/one", false) == 0);
	EXPECT(dir_list(d, &pos, buf, 1024) == 24);
	EXPECT(strcmp(((struct linux_dirent64 *)buf)->d_name, "two") == 0);
	inode_put(d);
	kfree(buf);
	t_rm_tree("/t-ls");
	EXPECT(t_pages() == pages);
}
