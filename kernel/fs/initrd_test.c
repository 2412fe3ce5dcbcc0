/*
 * Self-tests of the cpio "newc" parser: archives are built in memory, one
 * well-formed and one for each way an archive can be broken.  A broken
 * archive must be refused with -EINVAL, keeping what came before the
 * break, and never read past the end of the buffer.
 */
#include <kernel/printk.h>
#include <kernel/selftest.h>
#include "fs_test.h"

struct archive {
	char *buf;
	size_t len, size;
};

static void put_bytes(struct archive *a, const void *p, size_t n)
{
	if (a->len + n <= a->size)
		memcpy(a->buf + a->len, p, n);
	a->len += n;
}

static void pad4(struct archive *a)
{
	while (a->len % 4)
		put_bytes(a, "", 1);
}

/* One entry; namesize counts the NUL, as the format says. */
static void entry(struct archive *a, const char *name, uint32_t mode, const char *data,
		  uint32_t size, uint32_t nlink, uint32_t ino, uint32_t rmaj, uint32_t rmin)
{
	char hdr[111];
	snprintf(hdr, sizeof hdr, "070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x",
		 ino, mode, 0, 0, nlink, 1234, size, 0, 0, rmaj, rmin, (unsigned)strlen(name) + 1, 0);
	put_bytes(a, hdr, 110);
	put_bytes(a, name, strlen(name) + 1);
	pad4(a);
	put_bytes(a, data, size);
	pad4(a);
}

static void trailer(struct archive *a)
{
	entry(a, "TRAILER!!!", 0, "", 0, 1, 0, 0, 0);
}

static bool new_archive(struct archive *a)
{
	a->size = 4096;
	a->len = 0;
	a->buf = kzalloc(a->size);
	return a->buf != 0;
}

SELFTEST(initrd_well_formed)
{
	uint32_t pages = t_pages();
	struct archive a;
	char buf[32];
	EXPECT(new_archive(&a));
	entry(&a, ".", S_IFDIR | 0755, "", 0, 2, 1, 0, 0);
	entry(&a, "t-cpio", S_IFDIR | 0750, "", 0, 2, 2, 0, 0);
	entry(&a, "t-cpio/file", S_IFREG | 0644, "contents", 8, 1, 3, 0, 0);
	entry(&a, "./t-cpio/sub/deep", S_IFREG | 0755, "x", 1, 1, 4, 0, 0);	/* no "sub" entry */
	entry(&a, "t-cpio/link", S_IFLNK | 0777, "file", 4, 1, 5, 0, 0);
	entry(&a, "t-cpio/null", S_IFCHR | 0666, "", 0, 1, 6, 1, 3);
	entry(&a, "t-cpio/h1", S_IFREG | 0600, "", 0, 2, 7, 0, 0);		/* hard links: */
	entry(&a, "t-cpio/h2", S_IFREG | 0600, "linked", 6, 2, 7, 0, 0);	/* data in the last */
	trailer(&a);
	/* a second archive after NUL padding, as Linux allows */
	put_bytes(&a, "\0\0\0\0\0\0\0\0", 8);
	entry(&a, "t-cpio/second", S_IFREG | 0644, "2", 1, 1, 1, 0, 0);
	trailer(&a);
	EXPECT(a.len <= a.size);
	EXPECT(initrd_unpack(a.buf, a.len) == 0);
	kfree(a.buf);

	EXPECT(t_mode("/t-cpio") == (S_IFDIR | 0750));
	EXPECT(t_read("/t-cpio/file", buf, sizeof buf) == 8 && memcmp(buf, "contents", 8) == 0);
	EXPECT(t_mode("/t-cpio/sub") == (S_IFDIR | 0755));
	EXPECT(t_mode("/t-cpio/sub/deep") == (S_IFREG | 0755));
	EXPECT(S_ISLNK(t_mode("/t-cpio/link")));
	EXPECT(t_read("/t-cpio/link", buf, sizeof buf) == 8);
	struct inode *i1, *i2;
	EXPECT(path_lookup(0, "/t-cpio/null", 0, &i1) == 0);
	EXPECT(S_ISCHR(i1->mode) && i1->rdev == MKDEV(1, 3) && i1->mtime == 1234);
	inode_put(i1);
	EXPECT(t_read("/t-cpio/null", buf, sizeof buf) == 0);		/* it is /dev/null */
	EXPECT(path_lookup(0, "/t-cpio/h1", 0, &i1) == 0);
	EXPECT(path_lookup(0, "/t-cpio/h2", 0, &i2) == 0);
	EXPECT(i1 == i2 && i1->nlink == 2 && i1->size == 6);
	inode_put(i1);
	inode_put(i2);
	EXPECT(t_read("/t-cpio/second", buf, sizeof buf) == 1);
	t_rm_tree("/t-cpio");
	EXPECT(t_pages() == pages);
}

/* Unpack a broken archive: it must fail with -EINVAL. */
static int broken(struct archive *a)
{
	int err = initrd_unpack(a->buf, a->len);
	kfree(a->buf);
	return err;
}

SELFTEST(initrd_malformed)
{
	uint32_t pages = t_pages();
	struct archive a;
	char buf[8];

	/* bad magic: nothing happens */
	EXPECT(new_archive(&a));
	entry(&a, "t-bad/x", S_IFREG | 0644, "", 0, 1, 1, 0, 0);
	a.buf[5] = '7';			/* "070707": the old binary-ish format */
	EXPECT(broken(&a) == -EINVAL);
	EXPECT(t_lookup("/t-bad", 0) == -ENOENT);

	/* a good entry, then a header cut short: the good one stays */
	EXPECT(new_archive(&a));
	entry(&a, "t-bad/kept", S_IFREG | 0644, "ok", 2, 1, 1, 0, 0);
	entry(&a, "t-bad/y", S_IFREG | 0644, "", 0, 1, 2, 0, 0);
	a.len -= 80;
	EXPECT(broken(&a) == -EINVAL);
	EXPECT(t_read("/t-bad/kept", buf, sizeof buf) == 2);

	/* a name running past the end */
	EXPECT(new_archive(&a));
	entry(&a, "t-bad/longname", S_IFREG | 0644, "", 0, 1, 1, 0, 0);
	a.len = 110 + 5;
	EXPECT(broken(&a) == -EINVAL);

	/* a name that is not NUL-terminated where namesize says */
	EXPECT(new_archive(&a));
	entry(&a, "t-bad/abc", S_IFREG | 0644, "", 0, 1, 1, 0, 0);
	trailer(&a);
	memcpy(a.buf + 110 + 9, "X", 1);	/* overwrite the NUL */
	EXPECT(broken(&a) == -EINVAL);
	EXPECT(t_lookup("/t-bad/abc", 0) == -ENOENT);

	/* ... or that has a NUL before its end */
	EXPECT(new_archive(&a));
	entry(&a, "t-bad/abc", S_IFREG | 0644, "", 0, 1, 1, 0, 0);
	trailer(&a);
	a.buf[110 + 7] = '\0';
	EXPECT(broken(&a) == -EINVAL);

	/* file data past the end */
	EXPECT(new_archive(&a));
	entry(&a, "t-bad/big", S_IFREG | 0644, "0123456789", 10, 1, 1, 0, 0);
	memcpy(a.buf + 6 + 6 * 8, "000003e8", 8);	/* filesize 1000 */
	EXPECT(broken(&a) == -EINVAL);
	EXPECT(t_lookup("/t-bad/big", 0) == -ENOENT);

	/* a bad hex digit */
	EXPECT(new_archive(&a));
	entry(&a, "t-bad/hex", S_IFREG | 0644, "", 0, 1, 1, 0, 0);
	a.buf[6 + 8 + 3] = 'g';
	EXPECT(broken(&a) == -EINVAL);

	/* no trailer: the entries are made, but the archive was cut */
	EXPECT(new_archive(&a));
	entry(&a, "t-bad/last", S_IFREG | 0644, "", 0, 1, 1, 0, 0);
	EXPECT(broken(&a) == -EINVAL);
	EXPECT(t_lookup("/t-bad/last", 0) == 0);

	/* an empty buffer is an empty initrd */
	EXPECT(initrd_unpack("", 0) == 0);
	t_rm_tree("/t-bad");
	EXPECT(t_pages() == pages);
}
