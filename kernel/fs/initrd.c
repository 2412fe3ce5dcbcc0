/*
 * The initrd: a cpio archive in the "newc" format, unpacked into the root
 * at boot (the same format as Linux's initramfs; `find . | cpio -o -H newc`
 * makes one).
 *
 * An archive is a sequence of entries, each
 *
 *   header   110 ASCII bytes: the magic "070701" (or "070702", the same
 *            with checksums, which we do not check), then 13 fields of
 *            8 hex digits: ino mode uid gid nlink mtime filesize
 *            devmajor devminor rdevmajor rdevminor namesize check
 *   name     namesize bytes, NUL included; then padding to a multiple of 4
 *            (counted from the start of the header)
 *   data     filesize bytes (a file's contents, a symlink's target);
 *            then padding to a multiple of 4
 *
 * ending with an entry named "TRAILER!!!".  Several archives may follow
 * one another, with NUL padding between them, as for Linux.
 *
 * A hard-linked file appears once per name with the same (dev, ino); only
 * the last carries the data.  Existing names are replaced (so an archive
 * may bring its own /dev/console).  Parents that the archive never lists
 * are created.
 *
 * Every length is checked against the end of the buffer before it is
 * used.  A malformed archive is refused with a message saying what and
 * where, and -EINVAL; the entries before the bad one stay unpacked (the
 * root is usable, and the message tells what is missing).
 */
#include <kernel/fs.h>
#include <kernel/heap.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/stat.h>

#define HEADER_SIZE	110
enum { F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE, F_DEVMAJOR, F_DEVMINOR,
       F_RDEVMAJOR, F_RDEVMINOR, F_NAMESIZE, F_CHECK, NFIELDS };

/* A file with nlink > 1 seen so far, to link its later names to. */
struct hardlink {
	struct hardlink *next;
	uint32_t ino, major, minor;
	struct inode *inode;		/* a reference */
};

struct unpack {
	struct hardlink *links;
	uint32_t files, dirs, symlinks, devices, bytes;
};

static size_t align4(size_t n) { return (n + 3) & ~(size_t)3; }

static bool parse_hex(const char *p, uint32_t *out)
{
	uint32_t v = 0;
	for (int i = 0; i < 8; i++) {
		char c = p[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
			c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return false;
		v = v << 4 | (uint32_t)d;
	}
	*out = v;
	return true;
}

/* Remove whatever is called nd's name, so that a new entry can take it. */
static void clear_name(struct nameidata *nd, uint32_t new_mode)
{
	struct inode *old;
	if (nd->dir->iops->lookup(nd->dir, nd->name, nd->len, &old))
		return;
	bool old_dir = S_ISDIR(old->mode);
	inode_put(old);
	if (old_dir && S_ISDIR(new_mode))
		return;			/* a directory stays a directory */
	nd->dir->iops->unlink(nd->dir, nd->name, nd->len, old_dir);
}

/* Create every missing directory on the way to the last component. */
static int make_parents(const char *path)
{
	char *buf = kmalloc(PATH_MAX);
	if (!buf)
		return -ENOMEM;
	size_t len = strlen(path);
	int err = 0;
	for (size_t i = 1; i < len && !err; i++) {
		if (path[i] != '/')
			continue;
		memcpy(buf, path, i);
		buf[i] = '\0';
		struct nameidata nd;
		err = path_parent(fs_root(), buf, &nd);
		if (err)
			break;
		if (nd.type == LAST_NORM) {
			err = nd.dir->iops->create(nd.dir, nd.name, nd.len, S_IFDIR | 0755, 0, 0, 0);
			if (err == -EEXIST)
				err = 0;
		}
		inode_put(nd.dir);
	}
	kfree(buf);
	return err;
}

static int write_data(struct inode *inode, const char *data, uint32_t size)
{
	struct file *f;
	int err = file_open_inode(inode, O_WRONLY, &f);
	if (err)
		return err;
	uint64_t pos = 0;
	long n = size ? f->ops->write(f, data, size, &pos) : 0;
	file_put(f);
	return n < 0 ? (int)n : n < (long)size ? -ENOSPC : 0;
}

/* Make one entry (everything but the trailer).  0 or -errno. */
static int make_entry(struct unpack *u, const char *name, const uint32_t *h, const char *data)
{
	uint32_t mode = h[F_MODE], type = mode & S_IFMT, perm = mode & 07777;
	while (name[0] == '/' || (name[0] == '.' && name[1] == '/'))
		name += name[0] == '/' ? 1 : 2;
	if (!name[0] || (name[0] == '.' && !name[1]))
		return 0;		/* the root itself */
	if (type != S_IFREG && type != S_IFDIR && type != S_IFLNK && type != S_IFCHR &&
	    type != S_IFBLK) {
		printk("initrd: %s: skipped (no FIFOs or sockets here)\n", name);
		return 0;
	}

	struct nameidata nd;
	int err = path_parent(fs_root(), name, &nd);
	if (err == -ENOENT) {
		err = make_parents(name);
		if (!err)
			err = path_parent(fs_root(), name, &nd);
	}
	if (err)
		return err;
	if (nd.type != LAST_NORM) {
		inode_put(nd.dir);
		return 0;		/* "x/.." and the like: nothing to make */
	}
	clear_name(&nd, mode);

	struct inode *inode = 0;
	struct hardlink *hl = 0;
	if (type == S_IFREG && h[F_NLINK] > 1)
		for (hl = u->links; hl; hl = hl->next)
			if (hl->ino == h[F_INO] && hl->major == h[F_DEVMAJOR] && hl->minor == h[F_DEVMINOR])
				break;
	if (hl) {
		err = nd.dir->iops->link(nd.dir, nd.name, nd.len, hl->inode);
		if (!err) {
			inode = hl->inode;
			inode_get(inode);
		}
	} else if (type == S_IFLNK) {
		char *target = kmalloc(h[F_FILESIZE] + 1);
		err = !target ? -ENOMEM : h[F_FILESIZE] == 0 ? -EINVAL : 0;
		if (!err) {
			memcpy(target, data, h[F_FILESIZE]);
			target[h[F_FILESIZE]] = '\0';
			err = nd.dir->iops->create(nd.dir, nd.name, nd.len, S_IFLNK | 0777, 0, target, &inode);
		}
		kfree(target);
		u->symlinks += !err;
	} else {
		uint32_t rdev = MKDEV(h[F_RDEVMAJOR], h[F_RDEVMINOR]);
		err = nd.dir->iops->create(nd.dir, nd.name, nd.len, type | perm,
					   type == S_IFCHR || type == S_IFBLK ? rdev : 0, 0, &inode);
		if (err == -EEXIST && type == S_IFDIR)
			err = nd.dir->iops->lookup(nd.dir, nd.name, nd.len, &inode);
		if (!err && S_ISDIR(inode->mode))
			inode->mode = S_IFDIR | perm;	/* an existing directory takes the archive's mode */
		u->dirs += !err && type == S_IFDIR;
		u->devices += !err && (type == S_IFCHR || type == S_IFBLK);
	}
	if (!err && type == S_IFREG) {
		err = write_data(inode, data, h[F_FILESIZE]);
		u->files++;
		u->bytes += h[F_FILESIZE];
		if (!err && !hl && h[F_NLINK] > 1) {
			hl = kmalloc(sizeof *hl);
			if (hl) {
				*hl = (struct hardlink){ u->links, h[F_INO], h[F_DEVMAJOR], h[F_DEVMINOR], inode };
				inode_get(inode);
				u->links = hl;
			}
		}
	}
	if (!err) {
		inode->mtime = h[F_MTIME];
		inode->uid = h[F_UID];
		inode->gid = h[F_GID];
	}
	inode_put(inode);
	inode_put(nd.dir);
	return err;
}

static int bad(const char *what, size_t off)
{
	printk("initrd: malformed archive: %s at offset %u; unpacking stopped\n", what, (unsigned)off);
	return -EINVAL;
}

int initrd_unpack(const void *data, size_t size)
{
	return initrd_unpack_progress(data, size, 0, 0);
}

int initrd_unpack_progress(const void *data, size_t size, void (*consumed)(size_t upto, void *arg),
			   void *arg)
{
	const char *base = data;
	struct unpack u = { 0 };
	size_t off = 0;
	bool after_trailer = false;
	int err = 0;
	if (size == 0)
		printk("initrd: empty\n");
	while (off < size) {
		if (after_trailer) {
			/* Between archives: NUL padding, in steps of 4 bytes. */
			while (off < size && base[off] == '\0')
				off++;
			if (off == size)
				break;
			if (off & 3) {
				err = bad("broken padding between archives", off);
				break;
			}
			after_trailer = false;
		}
		if (size - off < HEADER_SIZE) {
			err = bad("truncated header", off);
			break;
		}
		const char *hdr = base + off;
		if (memcmp(hdr, "070701", 6) != 0 && memcmp(hdr, "070702", 6) != 0) {
			err = bad("bad magic (not a cpio newc archive)", off);
			break;
		}
		uint32_t h[NFIELDS];
		int i;
		for (i = 0; i < NFIELDS; i++)
			if (!parse_hex(hdr + 6 + 8 * i, &h[i]))
				break;
		if (i < NFIELDS) {
			err = bad("bad hex digit in header", off);
			break;
		}
		size_t namesize = h[F_NAMESIZE], name_off = off + HEADER_SIZE;
		if (namesize == 0 || namesize > size - name_off) {
			err = bad(namesize ? "truncated name" : "empty name", off);
			break;
		}
		const char *name = base + name_off;
		if (name[namesize - 1] != '\0' || strlen(name) != namesize - 1) {
			err = bad("name not NUL-terminated", off);
			break;
		}
		if (namesize > PATH_MAX) {
			err = bad("name too long", off);
			break;
		}
		size_t data_off = align4(name_off + namesize);
		if (data_off > size || h[F_FILESIZE] > size - data_off) {
			err = bad("file data past the end", off);
			break;
		}
		size_t next = align4(data_off + h[F_FILESIZE]);
		off = next < size ? next : size;
		if (strcmp(name, "TRAILER!!!") == 0) {
			after_trailer = true;
			continue;
		}
		int e = make_entry(&u, name, h, base + data_off);
		if (e) {
			printk("initrd: cannot unpack %s: error %d\n", name, e);
			if (e == -ENOMEM || e == -ENOSPC) {
				err = e;
				break;
			}
		}
		if (consumed)
			consumed(off, arg);	/* nothing before off is read again */
	}
	if (!err && size && !after_trailer && off >= size)
		err = bad("no TRAILER!!! (archive cut short)", off);
	while (u.links) {
		struct hardlink *next = u.links->next;
		inode_put(u.links->inode);
		kfree(u.links);
		u.links = next;
	}
	printk("initrd: %u files (%u KiB), %u directories, %u symlinks, %u devices\n",
	       u.files, (u.bytes + 1023) / 1024, u.dirs, u.symlinks, u.devices);
	return err;
}
