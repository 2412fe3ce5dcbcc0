/*
 * Moving bytes: read, write, readv, writev, pread64, pwrite64, preadv,
 * pwritev, lseek, _llseek, sendfile, sendfile64.
 *
 * File operations take kernel buffers, so every transfer goes through a
 * bounce buffer: gather from user memory, call the operation, scatter
 * back.  The buffer is up to 16 KiB, bigger than PIPE_BUF, so that a
 * write (or writev: the iovecs are gathered first) of at most PIPE_BUF
 * bytes reaches a pipe in one piece and stays atomic.  Larger transfers
 * loop, and stop at the first short one: a short count from a pipe or tty
 * means "that is all there is now", from a file "end of file".  Small
 * transfers, most of them (a line, a byte through a pipe), use a buffer on
 * the kernel stack instead of one from the heap.
 */
#include <kernel/fs.h>
#include <kernel/heap.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <kernel/uaccess.h>
#include <uapi/fcntl.h>
#include <uapi/stat.h>
#include <uapi/uio.h>

#define BOUNCE_SIZE	16384
#define SMALL_BOUNCE	256		/* on the kernel stack (8 KiB: keep it small) */
#define MAX_RW_COUNT	0x7ffff000u	/* Linux: INT_MAX rounded down to a page */

/* A position in a list of user buffers. */
struct cursor {
	const struct iovec *iov;
	int cnt;
	size_t off;			/* into iov[0] */
};

/* Copy up to n bytes between the buffers at the cursor and buf, advancing
 * the cursor.  Returns the bytes copied (fewer on a fault). */
static size_t cursor_copy(struct cursor *c, void *buf, size_t n, bool to_user)
{
	size_t done = 0;
	while (done < n && c->cnt > 0) {
		size_t avail = c->iov->iov_len - c->off;
		size_t k = avail < n - done ? avail : n - done;
		char *u = (char *)c->iov->iov_base + c->off;
		int err = to_user ? copy_to_user(u, (char *)buf + done, k)
				  : copy_from_user((char *)buf + done, u, k);
		if (err)
			break;
		done += k;
		c->off += k;
		if (c->off == c->iov->iov_len) {
			c->iov++;
			c->cnt--;
			c->off = 0;
		}
	}
	return done;
}

/* The caller's iovecs as an rw_iter, for read_iter and write_iter. */
struct user_iter {
	struct rw_iter it;
	struct cursor c;
	bool to_user;		/* a read: the bytes go out to the caller */
};

static int user_iter_copy(struct rw_iter *it, void *kbuf, size_t n)
{
	struct user_iter *u = (struct user_iter *)it;
	struct cursor saved = u->c;
	if (cursor_copy(&u->c, kbuf, n, u->to_user) == n)
		return 0;
	u->c = saved;		/* all of it or nothing, as the contract says */
	return -EFAULT;
}

/*
 * The one transfer loop: total bytes between f at *pos and the iovecs
 * (already checked: total <= MAX_RW_COUNT, every range in user space).
 */
static long rw_iov(struct file *f, const struct iovec *iov, int cnt, size_t total,
		   uint64_t *pos, bool write)
{
	if (write ? f->ops->write_iter : f->ops->read_iter) {
		struct user_iter u = { { user_iter_copy }, { iov, cnt, 0 }, !write };
		return write ? f->ops->write_iter(f, &u.it, total) : f->ops->read_iter(f, &u.it, total);
	}
	if (write ? !f->ops->write : !f->ops->read)
		return -EINVAL;
	if (total == 0) {
		char dummy = 0;		/* still lets a directory say EISDIR */
		return write ? f->ops->write(f, &dummy, 0, pos) : f->ops->read(f, &dummy, 0, pos);
	}
	size_t size = total < BOUNCE_SIZE ? total : BOUNCE_SIZE;
	char small[SMALL_BOUNCE];
	char *buf = size <= sizeof small ? small : kmalloc(size);
	if (!buf)
		return -ENOMEM;
	struct cursor c = { iov, cnt, 0 };
	size_t done = 0;
	long ret = 0;
	while (done < total) {
		size_t chunk = total - done < size ? total - done : size;
		if (write) {
			size_t got = cursor_copy(&c, buf, chunk, false);
			if (got == 0) {
				ret = -EFAULT;
				break;
			}
			chunk = got;
		}
		long r = write ? f->ops->write(f, buf, chunk, pos) : f->ops->read(f, buf, chunk, pos);
		if (r < 0) {
			ret = r;
			break;
		}
		if (!write && cursor_copy(&c, buf, (size_t)r, true) != (size_t)r) {
			ret = -EFAULT;
			break;
		}
		done += (size_t)r;
		if ((size_t)r < chunk)
			break;
	}
	if (buf != small)
		kfree(buf);
	return done ? (long)done : ret;
}

/* The checks every read and write makes, in Linux's order. */
static long rw_file(struct file *f, const struct iovec *iov, int cnt, uint64_t *pos, bool write,
		    bool vec)
{
	if (write ? !file_writable(f) : !file_readable(f))
		return -EBADF;
	/* As Linux: a negative iovec length is EINVAL (readv only: read's
	 * count is unsigned), a range outside user space EFAULT, and the
	 * total is quietly clamped to MAX_RW_COUNT. */
	uint64_t total = 0;
	for (int i = 0; i < cnt; i++) {
		if (vec && (int32_t)iov[i].iov_len < 0)
			return -EINVAL;
		if (iov[i].iov_len && !user_range_ok(iov[i].iov_base, iov[i].iov_len))
			return -EFAULT;
		total += iov[i].iov_len;
	}
	if (total > MAX_RW_COUNT)
		total = MAX_RW_COUNT;
	return rw_iov(f, iov, cnt, (size_t)total, pos, write);
}

static long rw_fd(int fd, const struct iovec *iov, int cnt, int64_t at, bool write, bool vec)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	long ret;
	if (at < 0) {			/* read/write: the file's own position */
		ret = rw_file(f, iov, cnt, &f->pos, write, vec);
	} else if (f->ops->stream) {
		ret = -ESPIPE;		/* pread/pwrite need a seekable file */
	} else {
		uint64_t pos = (uint64_t)at;
		ret = rw_file(f, iov, cnt, &pos, write, vec);
	}
	file_put(f);
	return ret;
}

long sys_read(int fd, void *buf, size_t count)
{
	struct iovec iov = { buf, count };
	return rw_fd(fd, &iov, 1, -1, false, false);
}
SYSCALL(read, sys_read);

long sys_write(int fd, const void *buf, size_t count)
{
	struct iovec iov = { (void *)buf, count };
	return rw_fd(fd, &iov, 1, -1, true, false);
}
SYSCALL(write, sys_write);

static int64_t pos64(uint32_t lo, uint32_t hi) { return (int64_t)((uint64_t)hi << 32 | lo); }

long sys_pread64(int fd, void *buf, size_t count, uint32_t lo, uint32_t hi)
{
	if (pos64(lo, hi) < 0)
		return -EINVAL;
	struct iovec iov = { buf, count };
	return rw_fd(fd, &iov, 1, pos64(lo, hi), false, false);
}
SYSCALL(pread64, sys_pread64);

long sys_pwrite64(int fd, const void *buf, size_t count, uint32_t lo, uint32_t hi)
{
	if (pos64(lo, hi) < 0)
		return -EINVAL;
	struct iovec iov = { (void *)buf, count };
	return rw_fd(fd, &iov, 1, pos64(lo, hi), true, false);
}
SYSCALL(pwrite64, sys_pwrite64);

/* readv and friends: copy the iovec array in, then as above. */
static long rw_vec(int fd, const struct iovec *uiov, int cnt, int64_t at, bool write)
{
	if (cnt < 0 || cnt > UIO_MAXIOV)
		return -EINVAL;
	if (cnt == 0) {
		struct file *f = fd_get(fd);	/* still EBADF for a bad fd */
		if (!f)
			return -EBADF;
		long r = (write ? file_writable(f) : file_readable(f)) ? 0 : -EBADF;
		file_put(f);
		return r;
	}
	struct iovec *iov = kmalloc((size_t)cnt * sizeof *iov);
	if (!iov)
		return -ENOMEM;
	long ret = copy_from_user(iov, uiov, (size_t)cnt * sizeof *iov);
	if (!ret)
		ret = rw_fd(fd, iov, cnt, at, write, true);
	kfree(iov);
	return ret;
}

long sys_readv(int fd, const struct iovec *iov, int cnt) { return rw_vec(fd, iov, cnt, -1, false); }
SYSCALL(readv, sys_readv);

long sys_writev(int fd, const struct iovec *iov, int cnt) { return rw_vec(fd, iov, cnt, -1, true); }
SYSCALL(writev, sys_writev);

long sys_preadv(int fd, const struct iovec *iov, int cnt, uint32_t lo, uint32_t hi)
{
	return pos64(lo, hi) < 0 ? -EINVAL : rw_vec(fd, iov, cnt, pos64(lo, hi), false);
}
SYSCALL(preadv, sys_preadv);

long sys_pwritev(int fd, const struct iovec *iov, int cnt, uint32_t lo, uint32_t hi)
{
	return pos64(lo, hi) < 0 ? -EINVAL : rw_vec(fd, iov, cnt, pos64(lo, hi), true);
}
SYSCALL(pwritev, sys_pwritev);

/* --- seeking -------------------------------------------------------------------- */

static int64_t do_lseek(struct file *f, int64_t off, uint32_t whence)
{
	if (f->flags & O_PATH)
		return -EBADF;		/* a name, not a file for I/O (Linux's fdget_pos) */
	if (whence > SEEK_HOLE)
		return -EINVAL;
	if (f->ops->stream)
		return -ESPIPE;
	if (S_ISCHR(f->inode->mode))
		return 0;		/* /dev/null and friends: seeking does nothing */
	int64_t size = (int64_t)f->inode->size, base;
	switch (whence) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = (int64_t)f->pos; break;
	case SEEK_END: base = size; break;
	case SEEK_DATA:
	case SEEK_HOLE: {	/* a file without holes is all data, its end the hole */
		if (off < 0 || off >= size)
			return -ENXIO;
		const struct inode_ops *ops = f->inode->iops;
		int64_t at = ops && ops->seek_hole ? ops->seek_hole(f->inode, (uint64_t)off, whence == SEEK_HOLE)
						   : whence == SEEK_HOLE ? size : off;
		if (at >= 0)
			f->pos = (uint64_t)at;
		return at;
	}
	default:
		return -EINVAL;
	}
	int64_t pos = base + off;
	if ((off > 0 && pos < base) || pos < 0)
		return -EINVAL;
	f->pos = (uint64_t)pos;
	return pos;
}

long sys_lseek(int fd, int32_t off, uint32_t whence)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	int64_t r = do_lseek(f, off, whence);
	file_put(f);
	if (r > 0x7fffffff)
		return -EOVERFLOW;	/* the position moved, but off_t cannot say where */
	return (long)r;
}
SYSCALL(lseek, sys_lseek);

long sys__llseek(int fd, uint32_t hi, uint32_t lo, int64_t *result, uint32_t whence)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	int64_t r = do_lseek(f, pos64(lo, hi), whence);
	file_put(f);
	if (r < 0)
		return (long)r;
	return copy_to_user(result, &r, sizeof r);
}
SYSCALL(_llseek, sys__llseek);

/* --- sendfile ----------------------------------------------------------------------- */

/* Copy count bytes from in (at *pos, or its own position) to out. */
static long do_sendfile(int out_fd, int in_fd, int64_t *pos, size_t count)
{
	struct file *in = fd_get(in_fd), *out = fd_get(out_fd);
	long ret = 0;
	if (!in || !file_readable(in) || !out || !file_writable(out))
		ret = -EBADF;
	else if (out->flags & O_APPEND)
		ret = -EINVAL;		/* Linux refuses appending output */
	else if (pos && in->ops->stream)
		ret = -ESPIPE;
	else if (!in->ops->read || !out->ops->write)
		ret = -EINVAL;
	char *buf = 0;
	if (!ret && count && !(buf = kmalloc(BOUNCE_SIZE)))
		ret = -ENOMEM;
	size_t done = 0;
	uint64_t ipos = pos ? (uint64_t)*pos : 0;
	uint64_t *ip = pos ? &ipos : &in->pos;
	while (!ret && done < count) {
		size_t chunk = count - done < BOUNCE_SIZE ? count - done : BOUNCE_SIZE;
		long r = in->ops->read(in, buf, chunk, ip);
		if (r <= 0) {
			ret = r;
			break;
		}
		long w = out->ops->write(out, buf, (size_t)r, &out->pos);
		if (w < 0) {
			ret = w;
			break;
		}
		done += (size_t)w;
		if (w < r || (size_t)r < chunk)
			break;	/* the bytes read but not written are lost, as on Linux */
	}
	kfree(buf);
	if (pos)
		*pos = (int64_t)ipos;
	if (in)
		file_put(in);
	if (out)
		file_put(out);
	return done ? (long)done : ret;
}

long sys_sendfile64(int out_fd, int in_fd, int64_t *upos, size_t count)
{
	int64_t pos = 0;
	if (upos) {
		if (copy_from_user(&pos, upos, sizeof pos))
			return -EFAULT;
		if (pos < 0)
			return -EINVAL;
	}
	if ((int32_t)count < 0)
		count = MAX_RW_COUNT;
	long r = do_sendfile(out_fd, in_fd, upos ? &pos : 0, count);
	if (upos && r >= 0 && copy_to_user(upos, &pos, sizeof pos))
		return -EFAULT;
	return r;
}
SYSCALL(sendfile64, sys_sendfile64);

long sys_sendfile(int out_fd, int in_fd, int32_t *upos, size_t count)
{
	int32_t pos32;
	int64_t pos = 0;
	if (upos) {
		if (copy_from_user(&pos32, upos, sizeof pos32))
			return -EFAULT;
		if (pos32 < 0)
			return -EINVAL;
		pos = pos32;
	}
	if ((int32_t)count < 0)
		count = MAX_RW_COUNT;
	long r = do_sendfile(out_fd, in_fd, upos ? &pos : 0, count);
	pos32 = (int32_t)pos;
	if (upos && r >= 0 && copy_to_user(upos, &pos32, sizeof pos32))
		return -EFAULT;
	return r;
}
SYSCALL(sendfile, sys_sendfile);
