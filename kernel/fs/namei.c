/*
 * Path lookup: from a string like "../lib/./x" to an inode.
 *
 * A path is walked one component at a time from a starting directory: the
 * root for an absolute path, else the caller's cwd (or, for the *at()
 * calls, the directory a descriptor names).  The rules, as in Linux:
 *
 *   - repeated slashes count as one; "." stays, ".." goes to the parent
 *     (the root's parent is the root);
 *   - every component but the last must be a directory: ENOTDIR;
 *   - a missing component: ENOENT; one longer than 255 bytes: ENAMETOOLONG;
 *   - a trailing slash demands a directory ("file/" is ENOTDIR);
 *   - a symlink met in the middle is always followed: its target replaces
 *     it in the path, and the walk goes on from the link's directory (or
 *     from the root for an absolute target).  A symlink as the last
 *     component is followed only with LOOKUP_FOLLOW or a trailing slash.
 *     More than 40 links in one lookup: ELOOP.
 *
 * Calls that create, remove or rename need the *directory* and the last
 * name rather than the last inode: path_parent stops one step early.
 */
#include <kernel/fs.h>
#include <kernel/heap.h>
#include <kernel/string.h>
#include <kernel/task.h>
#include <kernel/uaccess.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/stat.h>

/* Replace the walk's remaining path by target + rest; *work is the buffer
 * the walk owns (or NULL).  Returns 0 or -errno. */
static int splice_link(struct inode *link, const char *rest, char **work, const char **p)
{
	char *buf = kmalloc(PATH_MAX);
	if (!buf)
		return -ENOMEM;
	int n = link->iops->readlink(link, buf, PATH_MAX);
	size_t rest_len = strlen(rest);
	if (n < 0 || n == 0) {
		kfree(buf);
		return n < 0 ? n : -ENOENT;	/* an empty symlink names nothing */
	}
	if ((size_t)n + rest_len >= PATH_MAX) {
		kfree(buf);
		return -ENAMETOOLONG;
	}
	memcpy(buf + n, rest, rest_len + 1);	/* rest may live in *work: copy first */
	kfree(*work);
	*work = buf;
	*p = buf;
	return 0;
}

/*
 * The walk itself.  With nd == NULL it resolves the whole path into *out;
 * with nd it stops before the last component and describes it in nd.
 */
static int walk(struct inode *start, const char *path, int flags, struct inode **out,
		struct nameidata *nd)
{
	if (!path[0])
		return -ENOENT;
	char *work = 0;			/* our copy of the path once a symlink rewrote it */
	const char *p = path;
	int links = 0, err = 0;
	bool want_dir = (flags & LOOKUP_DIRECTORY) != 0;
	struct inode *cur = start ? start : fs_cwd();
	inode_get(cur);

	for (;;) {
		if (*p == '/') {
			if (p == path || p == work) {	/* absolute: restart at the root */
				inode_put(cur);
				cur = fs_root();
				inode_get(cur);
			}
			while (*p == '/')
				p++;
		}
		if (!*p) {
			if (nd) {			/* "/" : nothing but the root */
				nd->type = LAST_ROOT;
				nd->len = 0;
				nd->name[0] = '\0';
				nd->trailing_slash = false;
				nd->dir = cur;
				kfree(work);
				return 0;
			}
			break;
		}
		const char *name = p;
		size_t len = 0;
		while (p[len] && p[len] != '/')
			len++;
		const char *rest = p + len, *r = rest;
		while (*r == '/')
			r++;
		bool last = (*r == '\0'), slash = (*rest == '/');
		if (len > NAME_MAX) {
			err = -ENAMETOOLONG;
			break;
		}
		if (!S_ISDIR(cur->mode)) {
			err = -ENOTDIR;
			break;
		}
		if (last && nd) {
			memcpy(nd->name, name, len);
			nd->name[len] = '\0';
			nd->len = len;
			nd->trailing_slash = slash;
			nd->type = (len == 1 && name[0] == '.') ? LAST_DOT :
				   (len == 2 && name[0] == '.' && name[1] == '.') ? LAST_DOTDOT : LAST_NORM;
			nd->dir = cur;
			kfree(work);
			return 0;
		}
		if (last && slash)
			want_dir = true;
		if (len == 1 && name[0] == '.') {
			p = rest;
			continue;
		}
		if (len == 2 && name[0] == '.' && name[1] == '.') {
			struct inode *up = cur->parent ? cur->parent : cur;
			inode_get(up);
			inode_put(cur);
			cur = up;
			p = rest;
			continue;
		}
		struct inode *child;
		if (!cur->iops->lookup) {
			err = -ENOTDIR;
			break;
		}
		err = cur->iops->lookup(cur, name, len, &child);
		if (err)
			break;
		if (S_ISLNK(child->mode) && (!last || slash || (flags & LOOKUP_FOLLOW))) {
			if (++links > MAXSYMLINKS) {
				inode_put(child);
				err = -ELOOP;
				break;
			}
			err = splice_link(child, rest, &work, &p);
			inode_put(child);
			if (err)
				break;
			continue;	/* from cur, or from / if the target is absolute */
		}
		inode_put(cur);
		cur = child;
		p = rest;
	}
	kfree(work);
	if (!err && want_dir && !S_ISDIR(cur->mode))
		err = -ENOTDIR;
	if (err) {
		inode_put(cur);
		return err;
	}
	*out = cur;
	return 0;
}

int path_lookup(struct inode *start, const char *path, int flags, struct inode **out)
{
	return walk(start, path, flags, out, 0);
}

int path_parent(struct inode *start, const char *path, struct nameidata *nd)
{
	return walk(start, path, 0, 0, nd);
}

/* --- from inodes back to names ------------------------------------------------ */

struct name_search {
	uint32_t ino;
	char *name;
	size_t size;
	struct inode *dir, *child;
	bool found;
};

static int match_name(void *ctx, const char *name, size_t len, uint32_t ino, uint32_t mode,
		      uint64_t next)
{
	(void)mode, (void)next;
	struct name_search *s = ctx;
	if (ino != s->ino || len >= s->size)
		return 0;
	/* Inode numbers are per file system: confirm it is really the child. */
	struct inode *found;
	if (s->dir->iops->lookup(s->dir, name, len, &found))
		return 0;
	bool same = found == s->child || (found->dev == s->child->dev && found->ino == s->child->ino);
	inode_put(found);
	if (!same)
		return 0;
	memcpy(s->name, name, len);
	s->name[len] = '\0';
	s->found = true;
	return 1;
}

int dir_name_of(struct inode *dir, struct inode *child, char *name, size_t size)
{
	struct name_search s = { child->ino, name, size, dir, child, false };
	uint64_t pos = 2;
	if (!dir->iops || !dir->iops->readdir || !dir->iops->lookup)
		return -ENOENT;
	dir->iops->readdir(dir, &pos, match_name, &s);
	return s.found ? 0 : -ENOENT;
}

int dir_path(struct inode *dir, char *buf, size_t size)
{
	/* Build the path backwards at the end of a scratch buffer. */
	char *tmp = kmalloc(PATH_MAX + NAME_MAX + 1);
	char name[NAME_MAX + 1];
	if (!tmp)
		return -ENOMEM;
	size_t at = PATH_MAX;
	tmp[--at] = '\0';
	int err = 0;
	struct inode *d = dir;
	while (d->parent && d->parent != d) {
		if (d->nlink == 0 || dir_name_of(d->parent, d, name, sizeof name)) {
			err = -ENOENT;	/* removed: it has no path any more */
			break;
		}
		size_t len = strlen(name);
		if (len + 1 > at) {
			err = -ENAMETOOLONG;
			break;
		}
		at -= len;
		memcpy(tmp + at, name, len);
		tmp[--at] = '/';
		d = d->parent;
	}
	if (!err && at == PATH_MAX - 1)
		tmp[--at] = '/';	/* the root itself */
	size_t len = PATH_MAX - 1 - at;
	if (!err && len + 1 > size)
		err = -ERANGE;
	if (!err)
		memcpy(buf, tmp + at, len + 1);
	kfree(tmp);
	return err ? err : (int)len;
}

int vfs_realpath(const char *path, char *buf, size_t size)
{
	struct nameidata nd;
	struct inode *start = 0, *child;
	char *work = 0;
	int err, links = 0;
	for (;;) {
		err = path_parent(start, path, &nd);
		inode_put(start);
		start = 0;
		if (err)
			break;
		if (nd.type != LAST_NORM) {	/* ".", ".." or "/": a directory */
			err = path_lookup(nd.dir, nd.name[0] ? nd.name : "/", 0, &child);
			if (!err) {
				err = dir_path(child, buf, size);
				inode_put(child);
			}
			inode_put(nd.dir);
			break;
		}
		err = nd.dir->iops->lookup(nd.dir, nd.name, nd.len, &child);
		if (err) {
			inode_put(nd.dir);
			break;
		}
		if (S_ISLNK(child->mode)) {
			const char *p;
			err = ++links > MAXSYMLINKS ? -ELOOP : splice_link(child, "", &work, &p);
			inode_put(child);
			if (err) {
				inode_put(nd.dir);
				break;
			}
			path = work;
			start = nd.dir;	/* a relative target starts at the link's directory */
			continue;
		}
		if (S_ISDIR(child->mode)) {
			err = dir_path(child, buf, size);
		} else {
			err = dir_path(nd.dir, buf, size);
			if (err >= 0) {
				size_t len = (size_t)err, sep = (len > 1);
				if (len + sep + nd.len + 1 > size) {
					err = -ENAMETOOLONG;
				} else {
					if (sep)
						buf[len] = '/';
					memcpy(buf + len + sep, nd.name, nd.len + 1);
					err = (int)(len + sep + nd.len);
				}
			}
		}
		inode_put(child);
		inode_put(nd.dir);
		break;
	}
	kfree(work);
	return err;
}

/* --- helpers for the system calls -------------------------------------------- */

int getname(const char *user_path, char **out)
{
	*out = 0;
	char *buf = kmalloc(PATH_MAX);
	if (!buf)
		return -ENOMEM;
	int n = strncpy_from_user(buf, user_path, PATH_MAX);
	if (n < 0) {
		kfree(buf);
		return n;
	}
	*out = buf;
	return 0;
}

int at_dir(int dirfd, const char *path, struct inode **out)
{
	if (path[0] == '/' || dirfd == AT_FDCWD) {
		*out = fs_cwd();
		inode_get(*out);
		return 0;
	}
	struct file *f = fd_get_raw(dirfd);
	if (!f)
		return -EBADF;
	int err = 0;
	if (!S_ISDIR(f->inode->mode) && path[0])
		err = -ENOTDIR;
	if (!err) {
		*out = f->inode;
		inode_get(*out);
	}
	file_put(f);
	return err;
}
