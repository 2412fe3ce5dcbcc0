/*
 * The virtual file system: inodes, open files and path names
 * (kernel/fs/).  The root is an in-memory file system (ramfs) filled from
 * the initrd at boot.  docs/03-files.md tells the whole story.
 *
 * Ownership: inodes and files are reference-counted.  A function that
 * returns an inode or file through an out-pointer gives the caller a new
 * reference, which the caller drops with inode_put / file_put.
 * File operations take *kernel* buffers; the system-call layer copies to
 * and from user memory (<kernel/uaccess.h>), so file systems and drivers
 * never touch user pointers (ioctl arguments excepted).
 *
 * This header is what the rest of the kernel (tasks, exec, mm) needs.
 * The file systems' own view (struct inode, inode_ops, path lookup) is in
 * <kernel/fs.h>.
 */
#ifndef KERNEL_VFS_H
#define KERNEL_VFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct inode;
struct file;

/*
 * The buffers of a whole read or write, for the operations that take them
 * as such (read_iter, write_iter).  copy moves the next n bytes between
 * them and the kernel buffer kbuf (out of them for a write, into them for
 * a read) and advances past them: 0, or -EFAULT when some of the n bytes
 * could not be moved, and then the iterator has not moved.
 */
struct rw_iter {
	int (*copy)(struct rw_iter *it, void *kbuf, size_t n);
};

struct file_ops {
	/* Read or write at *pos (and advance it) for seekable files; streams
	 * (pipes, ttys) ignore pos.  Return bytes done or -errno.  A read
	 * that would block sleeps (see <kernel/sched.h>) unless O_NONBLOCK. */
	long (*read)(struct file *f, void *buf, size_t n, uint64_t *pos);
	long (*write)(struct file *f, const void *buf, size_t n, uint64_t *pos);
	/* Streams that must see a transfer whole (pipes: Linux packs a write
	 * into pages by its full size, and a read takes what is there, up to
	 * n, without waiting twice): read(2), write(2), readv and writev call
	 * these instead, with the caller's buffers behind it, and no bounce
	 * buffer.  read and write stay for kernel callers (sendfile). */
	long (*read_iter)(struct file *f, struct rw_iter *it, size_t n);
	long (*write_iter)(struct file *f, struct rw_iter *it, size_t n);
	/* Device control; arg is a user pointer or value.  NULL: -ENOTTY. */
	long (*ioctl)(struct file *f, uint32_t cmd, uint32_t arg);
	/* Which of POLLIN/POLLOUT/POLLHUP/POLLERR hold now (<uapi/poll.h>).
	 * Called with interrupts off; must not sleep.  NULL: always
	 * readable and writable (as Linux treats files without poll). */
	uint32_t (*poll)(struct file *f);
	/* The last reference to the open file is gone. */
	void (*release)(struct file *f);
	/* Streams (pipes, ttys, sockets) cannot seek: lseek/pread give
	 * -ESPIPE.  Everything else keeps a position. */
	bool stream;
};

struct file {
	int refcount;
	struct inode *inode;		/* what was opened (pipes have one too) */
	const struct file_ops *ops;
	uint32_t flags;			/* O_ACCMODE | O_APPEND | O_NONBLOCK ... */
	uint64_t pos;
	void *priv;			/* the driver's or file system's */
	/* Pipes: the writers a FIFO had ever had when this end was opened;
	 * poll reports POLLHUP only once one came after (Linux's f_version). */
	uint32_t pipe_writers_seen;
	bool write_access;		/* counted in inode->writecount (inode_get_write) */
};

/*
 * Physical pages of a file's contents, for mmap (kernel/mm/).  Returns 0
 * and a page with a reference taken for the caller (pmm_page_put drops
 * it), -ENXIO beyond the end of the file, or -ENODEV when the file
 * cannot be mapped.  A page of a hole is allocated (zeroed) on the way.
 * For a ramfs file the page returned IS the file's data (the page cache
 * and the file are one thing), so a MAP_SHARED mapping, read() and
 * write() all see the same bytes.  Pages stay valid while referenced,
 * even if the file is truncated or deleted meanwhile.
 */
int vfs_get_page(struct inode *inode, uint32_t index, uint32_t *phys);

/*
 * A regular file with no name, of the given size, for MAP_SHARED anonymous
 * memory (and memfd_create later): its pages are shared by every mapping.
 */
int vfs_shmem_create(uint64_t size, struct inode **out);
/* Does the file have the page at byte off (page-aligned): data, not a hole
 * and not past the end?  (mincore's "in the page cache".) */
bool vfs_page_present(struct inode *inode, uint64_t off);
/* True for a file whose pages can be mapped (a regular file with pages). */
bool inode_mappable(const struct inode *inode);
/* True for /dev/zero, whose mappings are anonymous memory. */
bool inode_is_dev_zero(const struct inode *inode);

void inode_get(struct inode *inode);
void inode_put(struct inode *inode);
/* Write access, Linux's i_writecount: opens for writing count it up, the
 * programs running from the file count it down (each address space that
 * execve made holds one, mm->exe), and each kind shuts out the other. */
int inode_get_write(struct inode *inode);	/* an open for writing: 0, or -ETXTBSY */
void inode_put_write(struct inode *inode);
int inode_deny_write(struct inode *inode);	/* a program runs it: 0, or -ETXTBSY */
void inode_allow_write(struct inode *inode);
void file_get(struct file *f);
void file_put(struct file *f);

/* Open a path for the kernel itself (exec, init); flags as open(2).
 * Relative paths start at current->cwd (or / when there is none). */
int vfs_open(const char *path, uint32_t flags, uint32_t mode, struct file **out);
/* Read n bytes at pos into a kernel buffer: bytes read or -errno. */
long vfs_read_at(struct file *f, void *buf, size_t n, uint64_t pos);
/* The inode's mode (S_IF* type and permission bits) and size. */
uint32_t inode_mode(const struct inode *inode);
uint64_t inode_size(const struct inode *inode);
/*
 * execve's permission check, as Linux does it for root: -EACCES unless f
 * is a regular file with at least one x bit.  (Call it on the opened file
 * before reading the ELF header.)
 */
int vfs_check_exec(struct file *f);
/*
 * The absolute, symlink-free path of `path` (resolved like open() from
 * current->cwd), for /proc/self/exe: exec stores it in current->exe_path.
 * Returns the length or -errno (-ENAMETOOLONG if size is too small).
 */
int vfs_realpath(const char *path, char *buf, size_t size);
/* The same in a kmalloc'd string (kfree it); NULL on any error. */
char *vfs_absolute_path(const char *path);

/* Unpack the initrd (a cpio newc archive) into the root file system.  A
 * malformed archive is refused with a message; returns 0 or -errno.
 * Entries before the bad one stay created. */
int initrd_unpack(const void *data, size_t size);
/* The same, calling consumed(upto, arg) after each entry: the bytes
 * before upto will not be read again (the boot gives their pages back,
 * so that an initrd needs little more than its own size in RAM). */
int initrd_unpack_progress(const void *data, size_t size, void (*consumed)(size_t upto, void *arg),
			   void *arg);
/* Create the root with /dev (null, zero, full, console, tty) and /proc.
 * Call once, after heap_init and before initrd_unpack. */
void vfs_init(void);
/* The root directory, with a new reference: the first task's cwd. */
struct inode *vfs_root(void);

/* Linux's fs.nr_open: no descriptor table grows past it, and no
 * RLIMIT_NOFILE may be set above it. */
#define NR_OPEN_SYSCTL	(1024 * 1024)

/* Per-task state the task code hands over at fork, exec and exit. */
struct files;
struct files *files_new(void);
struct files *files_dup(struct files *old);	/* fork: same open files, new table */
void files_get(struct files *files);		/* share it (CLONE_FILES) */
void files_put(struct files *files);		/* exit: close everything */
void files_close_on_exec(struct files *files);
/* Install f at the lowest free descriptor >= min, below the caller's
 * RLIMIT_NOFILE; returns it, or -EMFILE (none free below the limit) or
 * -ENOMEM (the table could not grow).  The table takes over the caller's
 * reference to f on success. */
int fd_install(struct files *files, struct file *f, int min, bool cloexec);
/* The open file behind fd, with a reference; NULL (EBADF) if none, and
 * for an O_PATH descriptor, which only the calls that take fd_get_raw
 * accept (Linux's fdget and fdget_raw): fstat, fstatfs, fchdir, dup and
 * fcntl, and the *at calls' directory. */
struct file *fd_get(int fd);
struct file *fd_get_raw(int fd);

#endif
