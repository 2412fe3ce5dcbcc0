/*
 * Open files of guest processes (file.c, path.c, pipe.c).
 *
 * A guest descriptor names a struct gfile, the guest's "open file
 * description": shared by dup and fork, with one reference per
 * descriptor that names it.  A gfile is either a host file (a descriptor
 * of ours, opened on the guest's behalf under root=, with the file offset
 * kept by the host) or one end of a guest pipe (pipe.c), which lives
 * entirely in the guest kernel.  Guest descriptor numbers and our own
 * have nothing to do with each other: a guest process can only reach the
 * host descriptors its own table names.
 */
#ifndef UML_FILE_H
#define UML_FILE_H

#include "uml.h"

enum ftype { F_HOST, F_PIPE, F_MEM };

struct pipe;
struct gfile {
	int refs;
	enum ftype type;
	int flags;              /* O_ACCMODE, O_APPEND, O_NONBLOCK: what F_GETFL says */
	int hostfd;             /* F_HOST: our descriptor */
	int may_block;          /* F_HOST: a terminal, fifo or socket: poll before reading */
	char *dir;              /* F_HOST directory: its guest path (for *at() and fchdir) */
	struct pipe *pipe;      /* F_PIPE */
	uint32_t writers_seen;  /* F_PIPE: a FIFO's writers ever, if none was there at its
	                         * O_NONBLOCK open (no POLLHUP before one comes) */
	char *data;             /* F_MEM (procfs.c): the text, made at open */
	uint32_t size, pos;
	int mem_dir;            /* F_MEM: data is linux_dirent64 records */
	int sysctl;             /* F_MEM: a /proc/sys file (1 + its index), read and written live */
	struct wcount *wc;      /* F_HOST regular file open for writing: counted (busy.c) */
	int proc_node, proc_pid; /* F_MEM: a /proc/PID file written (comm) or read (pagemap) live */
};

/* busy.c: ETXTBSY.  busy_may_write: 0, or -ETXTBSY if a guest program runs
 * the host file at hostpath; busy_get_write counts f (a host file just
 * opened for writing) or gives -ETXTBSY; busy_put_write at its close. */
int busy_may_write(const char *hostpath);
int busy_get_write(struct gfile *f);
void busy_put_write(struct gfile *f);

/* pipe.c: open a host FIFO (hostfd: our O_PATH descriptor of it, which
 * the file keeps on success) as Linux's fifo_open; 0 and *out, BLOCK,
 * -ERESTARTSYS, -ENXIO, -EINVAL or -ENOMEM.  fifo_abandon: p's waiting
 * open will not come back (a signal, its exit). */
struct stat64;
long fifo_open(struct proc *p, int hostfd, const struct stat64 *st, int flags, struct gfile **out);

struct gfile *file_new(enum ftype type, int flags);
struct gfile *file_host(int hostfd, int flags, const char *guestpath);
void file_put(struct gfile *f);
struct gfile *fd_file(struct proc *p, int fd);
/* The lowest free descriptor >= min below RLIMIT_NOFILE now names f (the
 * caller's reference): it, or -EMFILE (none free below the limit), or
 * -ENOMEM (the table could not grow).  fd_free says which it would be. */
int fd_install(struct proc *p, struct gfile *f, int min, int cloexec);
int fd_free(struct proc *p, int min);
int fd_limit(struct proc *p);           /* RLIMIT_NOFILE, as an int */
int fd_expand(struct proc *p, int fd);  /* make slot fd exist: 0, -EMFILE, -ENOMEM */
void fd_clear(struct proc *p, int fd);  /* empty a slot (its reference is the caller's) */
void set_cloexec(struct proc *p, int fd, int on);

/* procfs.c */
struct stat64;
int procfs_follow(struct proc *p, char *abs);
long procfs_readlink(struct proc *p, const char *abs, char *out, size_t size);
long procfs_stat(struct proc *p, const char *abs, int nofollow, struct stat64 *st);
long procfs_open(struct proc *p, const char *abs, int flags, struct gfile **out);
long memfile_read(struct proc *p, struct gfile *f, uint32_t ubuf, uint32_t n, int dirents);
long memfile_write(struct proc *p, struct gfile *f, uint32_t ubuf, uint32_t n);

/* pipe.c: reads and writes take the caller's iovecs (copied in already),
 * a read or write being one iovec; a writev is one write, as in Linux. */
struct iovec;
long pipe_read(struct proc *p, struct gfile *f, const struct iovec *iov, int cnt);
long pipe_write(struct proc *p, struct gfile *f, const struct iovec *iov, int cnt);
void pipe_release(struct gfile *f);
long pipe_room(struct proc *p, struct gfile *f);
void pipe_put(struct proc *p, struct gfile *f, const void *buf, uint32_t n);
long pipe_fcntl(struct gfile *f, int cmd, uint32_t arg);
extern uint32_t pipe_max_size;
long pipe_fstat(struct gfile *f, void *st);
long pipe_nread(struct gfile *f);
int pipe_poll(struct gfile *f);

#endif
