/*
 * ramfs's regular files: their contents are physical pages, one per 4 KiB
 * of the file; 0 marks a hole, which reads as zeros.  These pages are
 * also what mmap maps (vfs_get_page), so there is no separate page cache
 * to keep coherent with read and write: a MAP_SHARED mapping and write()
 * touch the very same bytes.  They come from high memory when there is
 * some, so the kernel reads and writes them through kmap.
 *
 * The index from file page to physical page has two levels, like a page
 * table: a small array of leaves, each leaf a page of 1024 entries (4 MiB
 * of file).  A leaf exists only where the file has a page, so a one-byte
 * write at 200 MiB costs one leaf and one data page, not an array for
 * every page before it.
 *
 * Each data page holds one reference for the file.  Truncating or
 * deleting the file drops it; a mapping that took its own reference
 * keeps the page.
 */
#include <kernel/fs.h>
#include <kernel/heap.h>
#include <kernel/kmap.h>
#include <kernel/layout.h>
#include <kernel/pmm.h>
#include <kernel/string.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>

/* Largest file: what an off_t of 32 bits can address, as Linux without O_LARGEFILE. */
#define RAMFS_MAX_SIZE	0x7fffffffULL

#define LEAF_SLOTS	(PAGE_SIZE / sizeof(uint32_t))	/* file pages per leaf */

struct ramfs_file {
	uint32_t **leaves;		/* leaves[i] covers file pages i*LEAF_SLOTS.. (or NULL) */
	uint32_t nleaves;		/* length of the leaves array */
};

static uint32_t data_pages;		/* pages all files hold, for /proc/meminfo */

uint32_t ramfs_data_pages(void) { return data_pages; }

void *ramfs_file_new(void) { return kzalloc(sizeof(struct ramfs_file)); }

static struct ramfs_file *file_of(struct inode *i) { return i->priv; }

static uint32_t pages_for(uint64_t size) { return (uint32_t)((size + PAGE_SIZE - 1) / PAGE_SIZE); }

/* The index entry of file page index: its physical page, or 0 for a hole.
 * With create, make the leaf it lives in (NULL then means out of memory);
 * without, NULL means a hole too. */
static uint32_t *page_entry(struct ramfs_file *rf, uint32_t index, bool create)
{
	uint32_t leaf = index / LEAF_SLOTS;
	if (leaf >= rf->nleaves) {
		if (!create)
			return 0;
		uint32_t n = rf->nleaves ? rf->nleaves : 1;
		while (n <= leaf)
			n *= 2;
		uint32_t **leaves = kzalloc(n * sizeof *leaves);
		if (!leaves)
			return 0;
		if (rf->leaves)
			memcpy(leaves, rf->leaves, rf->nleaves * sizeof *leaves);
		kfree(rf->leaves);
		rf->leaves = leaves;
		rf->nleaves = n;
	}
	if (!rf->leaves[leaf]) {
		if (!create)
			return 0;
		uint32_t phys = pmm_alloc_page();	/* low memory: the kernel reads it directly */
		if (!phys)
			return 0;
		rf->leaves[leaf] = phys_to_virt(phys);
	}
	return &rf->leaves[leaf][index % LEAF_SLOTS];
}

/* The page of a hole-free file index, or 0. */
static uint32_t page_at(struct ramfs_file *rf, uint32_t index)
{
	uint32_t *e = page_entry(rf, index, false);
	return e ? *e : 0;
}

/* The page holding file offset index*PAGE_SIZE, allocated if it is a hole. */
static int file_page(struct inode *inode, uint32_t index, uint32_t *phys)
{
	uint32_t *e = page_entry(file_of(inode), index, true);
	if (!e)
		return -ENOSPC;
	if (!*e) {
		uint32_t p = pmm_alloc_user_page();	/* zero-filled */
		if (!p)
			return -ENOSPC;
		*e = p;
		inode->blocks++;
		data_pages++;
	}
	*phys = *e;
	return 0;
}

/* Drop the file's pages from file page first on; free leaves left empty
 * (all of them when first is 0). */
static void drop_pages(struct inode *inode, uint32_t first)
{
	struct ramfs_file *rf = file_of(inode);
	for (uint32_t leaf = first / LEAF_SLOTS; leaf < rf->nleaves; leaf++) {
		uint32_t *entries = rf->leaves[leaf];
		if (!entries)
			continue;
		uint32_t from = leaf == first / LEAF_SLOTS ? first % LEAF_SLOTS : 0;
		for (uint32_t i = from; i < LEAF_SLOTS; i++) {
			if (entries[i]) {
				pmm_page_put(entries[i]);	/* a mapping may still hold it */
				entries[i] = 0;
				inode->blocks--;
				data_pages--;
			}
		}
		if (from == 0) {
			pmm_free_page(virt_to_phys(entries));
			rf->leaves[leaf] = 0;
		}
	}
}

/* The piece of a transfer at byte at, with left bytes to go, that stays
 * within one page: its length, and the page's index and the offset in it. */
static size_t page_piece(uint64_t at, size_t left, uint32_t *index, uint32_t *off)
{
	*index = (uint32_t)(at / PAGE_SIZE);
	*off = (uint32_t)(at % PAGE_SIZE);
	size_t chunk = PAGE_SIZE - *off;
	return chunk < left ? chunk : left;
}

static long file_read(struct file *f, void *buf, size_t n, uint64_t *pos)
{
	struct inode *inode = f->inode;
	struct ramfs_file *rf = file_of(inode);
	if (*pos >= inode->size)
		return 0;
	if (n > inode->size - *pos)
		n = (size_t)(inode->size - *pos);
	size_t done = 0;
	while (done < n) {
		uint32_t index, off;
		size_t chunk = page_piece(*pos + done, n - done, &index, &off);
		uint32_t phys = page_at(rf, index);
		if (phys) {
			char *page = kmap(phys);
			memcpy((char *)buf + done, page + off, chunk);
			kunmap(page);
		} else {
			memset((char *)buf + done, 0, chunk);	/* a hole */
		}
		done += chunk;
	}
	*pos += done;
	inode->atime = fs_time();
	return (long)done;
}

static long file_write(struct file *f, const void *buf, size_t n, uint64_t *pos)
{
	struct inode *inode = f->inode;
	if (f->flags & O_APPEND)
		*pos = inode->size;
	if (n == 0)
		return 0;
	if (*pos >= RAMFS_MAX_SIZE)
		return -EFBIG;
	if (n > RAMFS_MAX_SIZE - *pos)
		n = (size_t)(RAMFS_MAX_SIZE - *pos);
	size_t done = 0;
	while (done < n) {
		uint32_t index, off;
		size_t chunk = page_piece(*pos + done, n - done, &index, &off);
		uint32_t phys;
		int err = file_page(inode, index, &phys);
		if (err) {
			if (done == 0)
				return err;
			break;		/* a short write: what fitted */
		}
		char *page = kmap(phys);
		memcpy(page + off, (const char *)buf + done, chunk);
		kunmap(page);
		done += chunk;
	}
	*pos += done;
	if (*pos > inode->size)
		inode->size = *pos;
	inode->mtime = inode->ctime = fs_time();
	return (long)done;
}

static int file_truncate(struct inode *inode, uint64_t size)
{
	struct ramfs_file *rf = file_of(inode);
	if (size > RAMFS_MAX_SIZE)
		return -EFBIG;
	if (size < inode->size) {
		/* Free whole pages past the end ... */
		drop_pages(inode, pages_for(size));
		/* ... and zero the tail of the last one, so that growing the
		 * file again reads zeros there, as it must. */
		uint32_t index = (uint32_t)(size / PAGE_SIZE), off = (uint32_t)(size % PAGE_SIZE);
		uint32_t phys = page_at(rf, index);
		if (off && phys) {
			char *page = kmap(phys);
			memset(page + off, 0, PAGE_SIZE - off);
			kunmap(page);
		}
	}
	inode->size = size;		/* growing just moves the end: holes read as zeros */
	inode->mtime = inode->ctime = fs_time();
	return 0;
}

static int file_get_page(struct inode *inode, uint32_t index, uint32_t *phys)
{
	if (index >= pages_for(inode->size))
		return -ENXIO;
	int err = file_page(inode, index, phys);
	if (err)
		return -ENOMEM;
	pmm_page_get(*phys);		/* the caller's reference */
	return 0;
}

/* SEEK_DATA and SEEK_HOLE at page granularity, as tmpfs answers: a page
 * the file has is data, one it lacks is a hole.  Leaves that are missing
 * are skipped whole. */
static int64_t file_seek_hole(struct inode *inode, uint64_t off, bool hole)
{
	struct ramfs_file *rf = file_of(inode);
	uint32_t last = pages_for(inode->size);
	for (uint32_t index = (uint32_t)(off / PAGE_SIZE); index < last; index++) {
		uint32_t leaf = index / LEAF_SLOTS;
		bool present = leaf < rf->nleaves && rf->leaves[leaf] && rf->leaves[leaf][index % LEAF_SLOTS];
		if (present != hole) {
			uint64_t at = (uint64_t)index * PAGE_SIZE;
			return (int64_t)(at > off ? at : off);
		}
		if (!hole && (leaf >= rf->nleaves || !rf->leaves[leaf]))
			index = (leaf + 1) * LEAF_SLOTS - 1;	/* a whole leaf of hole */
	}
	return hole ? (int64_t)inode->size : -ENXIO;
}

static void file_release(struct inode *inode)
{
	struct ramfs_file *rf = file_of(inode);
	drop_pages(inode, 0);
	kfree(rf->leaves);
	kfree(rf);
}

const struct inode_ops ramfs_file_iops = {
	.truncate = file_truncate, .get_page = file_get_page, .seek_hole = file_seek_hole,
	.release = file_release,
};
const struct file_ops ramfs_file_fops = { .read = file_read, .write = file_write };
