/*
 * The file systems' side of the VFS (kernel/fs/): what an inode is, the
 * operations a file system provides, path lookup, and the small services
 * the pieces of kernel/fs share.  Code outside kernel/fs uses <kernel/vfs.h>.
 *
 * Lifetimes, in one paragraph (docs/03-files.md has the long version):
 * an inode lives while anything holds a reference: a directory entry that
 * names it, an open file, a task's cwd, a directory's child (through
 * ->parent), or code in the middle of a lookup.  So unlinking an open file
 * only drops the directory's reference; the data goes with the last close.
 */
#ifndef KERNEL_FS_H
#define KERNEL_FS_H

#include <kernel/vfs.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct waitq;

#define NAME_MAX	255	/* bytes in one path component */
#define PATH_MAX	4096	/* bytes in a path, with its NUL */
#define MAXSYMLINKS	40	/* symlinks followed in one lookup, as Linux */

/* Kernel-internal device numbers: major in the high 12 bits. */
#define MKDEV(ma, mi)	((uint32_t)(ma) << 20 | (uint32_t)(mi))
#define MAJOR(dev)	((uint32_t)(dev) >> 20)
#define MINOR(dev)	((uint32_t)(dev) & 0xfffff)

/* st_dev values of our file systems (anonymous devices 0:N, as Linux's). */
#define FS_DEV_RAMFS	1
#define FS_DEV_PROC	2
#define FS_DEV_PIPE	3

/*
 * What a file system does for its inodes.  Any pointer may be NULL when
 * the operation makes no sense for that kind of inode; the VFS then
 * answers with Linux's error for it.  Names come as (pointer, length)
 * slices of the path, not NUL-terminated; they are never "." or "..",
 * which path lookup handles itself.
 */
struct inode_ops {
	/* Directories: the child called name, with a new reference, or -ENOENT. */
	int (*lookup)(struct inode *dir, const char *name, size_t len, struct inode **out);
	/* Make a new entry: a regular file, directory, device node or (with
	 * target) a symlink, as mode's S_IF* type says.  -EEXIST if taken. */
	int (*create)(struct inode *dir, const char *name, size_t len, uint32_t mode,
		      uint32_t rdev, const char *target, struct inode **out);
	/* A new name for an existing non-directory inode (hard link). */
	int (*link)(struct inode *dir, const char *name, size_t len, struct inode *target);
	/* Remove an entry: rmdir=false removes non-directories (-EISDIR
	 * otherwise), rmdir=true removes empty directories (-ENOTDIR,
	 * -ENOTEMPTY). */
	int (*unlink)(struct inode *dir, const char *name, size_t len, bool rmdir);
	/* Move odir/oname to ndir/nname, replacing what is there as rename(2)
	 * says.  Both directories belong to this file system. */
	int (*rename)(struct inode *odir, const char *oname, size_t olen,
		      struct inode *ndir, const char *nname, size_t nlen, bool noreplace);
	/* Directory listing: call emit for each entry from *pos on, advancing
	 * *pos past each one emitted, until emit returns nonzero (no room).
	 * "." and ".." are the VFS's (positions 0 and 1); entries start at 2. */
	int (*readdir)(struct inode *dir, uint64_t *pos,
		       int (*emit)(void *ctx, const char *name, size_t len,
				   uint32_t ino, uint32_t mode, uint64_t next_pos),
		       void *ctx);
	/* Symlinks: copy the target (no NUL) into buf; its full length, or -errno. */
	int (*readlink)(struct inode *inode, char *buf, size_t size);
	/* Regular files: set the size, freeing or zero-extending. */
	int (*truncate)(struct inode *inode, uint64_t size);
	/* Regular files: see vfs_get_page. */
	int (*get_page)(struct inode *inode, uint32_t index, uint32_t *phys);
	/* Regular files with holes (lseek SEEK_DATA, SEEK_HOLE): the first
	 * offset at or after off (off < size) that is data (hole false) or a
	 * hole (hole true), a page at a time; size if the hole is the end,
	 * -ENXIO if no data follows.  NULL: the whole file is data. */
	int64_t (*seek_hole)(struct inode *inode, uint64_t off, bool hole);
	/* Fill in f->ops and f->priv for an open of this inode (f->flags is
	 * set).  NULL: use inode->fops. */
	int (*open)(struct inode *inode, struct file *f);
	/* The last reference is gone: free the file system's private data. */
	void (*release)(struct inode *inode);
	/* May the caller access it (MAY_* bits)?  0 or -EACCES.  NULL: the
	 * owner, group and mode decide (inode_permission's rule). */
	int (*permission)(const struct inode *inode, int mask);
};

struct inode {
	int refcount;
	uint32_t ino;			/* inode number, unique per file system */
	uint32_t dev;			/* FS_DEV_* */
	uint32_t mode;			/* S_IF* type and permission bits */
	uint32_t nlink;			/* directory entries naming it (+ "." and ".." for dirs) */
	uint32_t uid, gid;		/* owner and group (permission.c checks them) */
	uint32_t rdev;			/* device nodes: MKDEV(major, minor) */
	int writecount;			/* > 0: open for writing; < 0: programs run it */
	uint64_t size;			/* bytes (regular files, symlinks) */
	uint32_t atime, mtime, ctime;	/* seconds */
	uint32_t blocks;		/* pages of data it owns */
	/* Directories: the directory holding this one (a reference, so ".."
	 * and getcwd always work); the root's parent is itself (no reference). */
	struct inode *parent;
	const struct inode_ops *iops;
	const struct file_ops *fops;	/* how an open file of it behaves */
	void *priv;			/* the file system's */
};

/* An inode with one reference, zeroed but for these fields. */
struct inode *inode_alloc(uint32_t dev, uint32_t mode, const struct inode_ops *iops,
			  const struct file_ops *fops);
/* A new open file of inode with one reference (takes a reference to the
 * inode itself); calls the inode's open operation.  0 or -errno. */
int file_open_inode(struct inode *inode, uint32_t flags, struct file **out);
/* A bare file object (pipes): the caller fills it in.  NULL: -ENOMEM. */
struct file *file_alloc(struct inode *inode, const struct file_ops *ops, uint32_t flags);

/* May f be read / written?  (O_PATH files: neither; access mode 3: neither.) */
static inline bool file_readable(const struct file *f)
{
	uint32_t acc = f->flags & O_ACCMODE;
	return (acc == O_RDONLY || acc == O_RDWR) && !(f->flags & O_PATH);
}
static inline bool file_writable(const struct file *f)
{
	uint32_t acc = f->flags & O_ACCMODE;
	return (acc == O_WRONLY || acc == O_RDWR) && !(f->flags & O_PATH);
}

/* Seconds since 1970 for time stamps: the CMOS clock at boot plus the timer. */
uint32_t fs_time(void);

/* --- path lookup (kernel/fs/namei.c) --------------------------------------- */

#define LOOKUP_FOLLOW		1	/* follow a symlink in the last component */
#define LOOKUP_DIRECTORY	2	/* the result must be a directory */

/* What the last component of a path is, for the calls that act on it. */
enum last_type { LAST_NORM, LAST_DOT, LAST_DOTDOT, LAST_ROOT };

struct nameidata {
	struct inode *dir;		/* the directory that holds the last component */
	char name[NAME_MAX + 1];	/* the last component, NUL-terminated */
	size_t len;
	enum last_type type;
	bool trailing_slash;		/* "name/" */
};

/* The inode path names, with a new reference.  start: the directory a
 * relative path starts from (NULL: current->cwd).  0 or -errno. */
int path_lookup(struct inode *start, const char *path, int flags, struct inode **out);
/* Resolve all but the last component; nd->dir gets a new reference
 * (drop it with inode_put(nd->dir)).  0 or -errno. */
int path_parent(struct inode *start, const char *path, struct nameidata *nd);
/* The root and the caller's cwd (borrowed, no reference taken). */
struct inode *fs_root(void);
struct inode *fs_cwd(void);
/* Absolute path of directory dir into buf: length, or -ENOENT (removed),
 * -ERANGE (too small).  Used by getcwd and /proc/<pid>/cwd. */
int dir_path(struct inode *dir, char *buf, size_t size);
/* The name under which dir holds child (a linear search); 0 or -ENOENT. */
int dir_name_of(struct inode *dir, struct inode *child, char *name, size_t size);

/* Copy a path from user space into a kmalloc'd PATH_MAX buffer (kfree
 * it); *out NULL on error, which is returned: -EFAULT, -ENAMETOOLONG. */
int getname(const char *user_path, char **out);
/* The directory a *at() call starts from, with a reference: the cwd for
 * AT_FDCWD, else dirfd's inode.  An absolute path ignores dirfd, as in
 * Linux, so then it is not checked.  -EBADF, -ENOTDIR. */
int at_dir(int dirfd, const char *path, struct inode **out);

/* The lowest free descriptor >= min, or -EMFILE (open checks first, as
 * Linux): below the caller's RLIMIT_NOFILE.  The table grows to hold it,
 * so -ENOMEM is possible too. */
int fd_lowest_free(struct files *files, int min);
/* Take fd out of a table: its reference goes to the caller (NULL if none). */
struct file *fd_remove(struct files *files, int fd);
/* fd_install with an explicit limit instead of RLIMIT_NOFILE (self-tests). */
int fd_install_below(struct files *files, struct file *f, int min, int end, bool cloexec);
/* The slots the table has now (32, then powers of two: Linux's sizes);
 * select clamps nfds to it. */
int files_table_size(const struct files *files);
/* The file in a table's slot, or NULL.  No reference is taken: the caller
 * must be done with it before anything can sleep (or close it). */
struct file *fd_peek(struct files *files, int fd);
/* Slots in the table (/proc/PID/status's FDSize); 0 for NULL. */
int files_max_fds(struct files *files);
/* Is fd open with close-on-exec set (fdinfo's O_CLOEXEC)? */
bool fd_peek_cloexec(struct files *files, int fd);

/* Fill buf with linux_dirent64 records of dir from *pos ("." and ".."
 * first), advancing *pos; returns the bytes used (kernel/fs/stat.c). */
int dir_list(struct inode *dir, uint64_t *pos, char *buf, size_t size);

/* --- ramfs (kernel/fs/ramfs.c) ---------------------------------------------- */

struct inode *ramfs_new_root(void);
/* A regular file in no directory, with one reference; NULL if out of memory. */
struct inode *ramfs_new_file(uint32_t perm);
/* Pages of file data ramfs holds now (for /proc/meminfo's Cached). */
uint32_t ramfs_data_pages(void);
/* A path naming inode ("/bin/sh"), found by searching the tree: its
 * length, or -ENOENT (not in any directory). */
int ramfs_path_of(struct inode *inode, char *buf, size_t size);
/* Regular files (kernel/fs/ramfs_file.c): their operations, and the
 * private part of a new one (kfree'd by its release). */
extern const struct inode_ops ramfs_file_iops;
extern const struct file_ops ramfs_file_fops;
void *ramfs_file_new(void);
/* Make dir/name the root of another file system (how /proc is mounted). */
int ramfs_mount(struct inode *dir, const char *name, struct inode *fsroot);

/* --- open files in the VFS layer (kernel/fs/open.c) -------------------------- */

/* open(2) from a start directory, flags and mode as the system call.  */
int do_open(struct inode *start, const char *path, uint32_t flags, uint32_t mode,
	    struct file **out);
/* mkdir/mknod/symlink, unlink/rmdir and rename on kernel paths, with the
 * system calls' checks and errors (kernel/fs/dirops.c). */
int do_create(struct inode *start, const char *path, uint32_t mode, uint32_t rdev,
	      const char *target);
int do_remove(struct inode *start, const char *path, bool rmdir);
int do_rename(struct inode *ostart, const char *old, struct inode *nstart, const char *new,
	      uint32_t flags);
/* The file-creation mask creation applies (umask(2)). */
uint32_t fs_umask(void);
/* Truncate an inode to size: -EISDIR, -EINVAL (not regular), or 0. */
int do_truncate(struct inode *inode, uint64_t size);

/* --- permission checks (kernel/fs/permission.c) ---------------------------- */

#define MAY_EXEC	1	/* = X_OK; on a directory: search */
#define MAY_WRITE	2	/* = W_OK */
#define MAY_READ	4	/* = R_OK */

/* May the caller (its fs ids and groups) do mask to inode?  0 or -EACCES.
 * The file system's own rule if it has one (iops->permission), else: */
int inode_permission(const struct inode *inode, int mask);
/* The owner, group and mode decide, root overriding (cred_rules.h). */
int inode_generic_permission(const struct inode *inode, int mask);
/* Write and search on dir, to make a name in it: 0 or -EACCES. */
int may_create_in(const struct inode *dir);
/* May the caller remove (or rename away) victim from dir?  -EACCES (dir
 * not writable), -EPERM (sticky dir, not the owner), -ENOTDIR / -EISDIR
 * (victim is not / is a directory where isdir says otherwise), 0. */
int may_delete(const struct inode *dir, const struct inode *victim, bool isdir);
/* Is the caller the owner of inode, or root (CAP_FOWNER)? */
bool inode_owner_or_capable(const struct inode *inode);
/* A new inode's owner and group (the caller's fs ids, or dir's group
 * when dir is set-group-id); returns mode with S_ISGID fixed as Linux. */
uint32_t inode_init_owner(struct inode *inode, const struct inode *dir, uint32_t mode);
/* A write or truncate by a non-root caller clears S_ISUID, and S_ISGID
 * when group execute is set, of a regular file. */
void file_remove_privs(struct inode *inode);
/* chmod's rule (owner or root: -EPERM) and set-group-id clearing in *mode. */
int check_chmod(const struct inode *inode, uint32_t *mode);
/* chown's rules: -EPERM or 0 (ids of -1: unchanged). */
int check_chown(const struct inode *inode, uint32_t uid, uint32_t gid);

/* --- devices (kernel/fs/dev.c, tty.c) ------------------------------------ */

/* Open a device node: find the driver for inode->rdev.  -ENXIO if none. */
int chrdev_open(struct inode *inode, struct file *f);
extern const struct file_ops tty_fops;
int tty_open(struct inode *inode, struct file *f);

/* --- pipes (kernel/fs/pipe.c) --------------------------------------------- */

/* A new pipe: its read end and write end, one reference each. */
int pipe_create(struct file **rd, struct file **wr, uint32_t flags);
/* The ring inside, exposed for the self-tests: a pipe with no ends, its
 * bytes (FIONREAD) and its free slots. */
struct pipe;
struct pipe *pipe_alloc(void);
void pipe_free(struct pipe *p);
uint32_t pipe_fill(const struct pipe *p);
uint32_t pipe_free_slots(const struct pipe *p);
/* Open a FIFO (a named pipe, S_IFIFO) as Linux's fifo_open: the inode's
 * pipe is made by its first opener and freed with its last; O_RDONLY waits
 * for a writer and O_WRONLY for a reader (unless O_NONBLOCK: a reader
 * opens at once, a writer with no reader gets -ENXIO), O_RDWR never waits.
 * -ERESTARTSYS when a signal ends the wait.  (inode_ops.open of FIFOs.) */
int fifo_open(struct inode *inode, struct file *f);
/* fcntl F_GETPIPE_SZ and F_SETPIPE_SZ on any file: -EBADF if not a pipe. */
long pipe_fcntl(struct file *f, uint32_t cmd, uint32_t arg);
/* fs.pipe-max-size (sizes round as <lib/sysctl_text.h>'s round_pipe_size). */
extern uint32_t pipe_max_size;
/* HOOK for the signals issue: a write found no reader; raise SIGPIPE on
 * the current task here.  Until then it does nothing (write gets EPIPE). */
void fs_hook_sigpipe(void);

/* --- waiting (kernel/fs/poll.c) --------------------------------------------- */

/* Wake every poll() sleeper: called on every pipe and tty event. */
void poll_notify(void);
/*
 * Sleep on q (interrupts off, as sleep_on) until woken, for at most
 * `ticks` timer ticks (0: no limit).  0 when woken or timed out (the
 * caller rechecks its condition and the clock), -EINTR for a signal.
 */
int fs_sleep_timeout(struct waitq *q, uint64_t ticks);
/* (kernel/sched.c) sleep_on, also woken at timer tick deadline (0: none). */
int sleep_on_until(struct waitq *q, uint64_t deadline);

#endif
