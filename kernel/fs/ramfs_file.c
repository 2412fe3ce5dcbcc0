/*
 * ramfs's regular files: their contents are an array of physical pages,
 * one per 4 KiB of the file; 0 marks a hole, which reads as zeros.  These
 * pages are also what mmap maps (vfs_get_page), so there is no separate
 * page cache to keep coherent with read and write: a MAP_SHARED mapping
 * and write() touch the very same bytes.
 *
 * Each page holds one reference for the file.  Truncating or deleting the
 * file drops it; a mapping that took its own reference keeps the page.
 */
#include <kernel/fs.h>
#include <kernel/heap.h>
#include <kernel/layout.h>
#include <kernel/pmm.h>
#include <kernel/string.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>

/* Largest file: what an off_t of 32 bits can address, as Linux without O_LARGEFILE. */
#define RAMFS_MAX_SIZE	0x7fffffffULL

struct ramfs_file {
	uint32_t *pages;		/* physical addresses; 0 = hole */
	uint32_t slots;			/* length of the pages array */
};

static uint32_t data_pages;		/* pages all files hold, for /proc/meminfo */

uint32_t ramfs_data_pages(void) { return data_pages; }

void *ramfs_file_new(void) { return kzalloc(sizeof(struct ramfs_file)); }

static struct ramfs_file *file_of(struct inode *i) { return i->priv; }

static uint32_t pages_for(uint64_t size) { return (uint32_t)((size + PAGE_SIZE - 1) / PAGE_SIZE); }

/* Make room in the page array for index; 0 or -ENOMEM. */
static int grow_slots(struct ramfs_file *rf, uint32_t index)
{
	if (index < rf->slots)
		return 0;
	uint32_t slots = rf->slots ? rf->slots : 8;
	while (slots <= index)
		slots *= 2;
	uint32_t *pages = kzalloc(slots * sizeof *pages);
	if (!pages)
		return -ENOMEM;
	if (rf->pages)
		memcpy(pages, rf->pages, rf->slots * sizeof *pages);
	kfree(rf->pages);
	rf->pages = pages;
	rf->slots = slots;
	return 0;
}

/* The page holding file offset index*PAGE_SIZE, allocated if it is a hole. */
static int file_page(struct inode *inode, uint32_t index, uint32_t *phys)
{
	struct ramfs_file *rf = file_of(inode);
	if (grow_slots(rf, index))
		return -ENOSPC;
	if (!rf->pages[index]) {
		uint32_t p = pmm_alloc_page();	/* zero-filled */
		if (!p)
			return -ENOSPC;
		rf->pages[index] = p;
		inode->blocks++;
		data_pages++;
	}
	*phys = rf->pages[index];
	return 0;
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
		if (index < rf->slots && rf->pages[index])
			memcpy((char *)buf + done, (char *)phys_to_virt(rf->pages[index]) + off, chunk);
		else
			memset((char *)buf + done, 0, chunk);	/* a hole */
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
		memcpy((char *)phys_to_virt(phys) + off, (const char *)buf + done, chunk);
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
		for (uint32_t i = pages_for(size); i < rf->slots; i++) {
			if (rf->pages[i]) {
				pmm_page_put(rf->pages[i]);	/* a mapping may still hold it */
				rf->pages[i] = 0;
				inode->blocks--;
				data_pages--;
			}
		}
		/* ... and zero the tail of the last one, so that growing the
		 * file again reads zeros there, as it must. */
		uint32_t index = (uint32_t)(size / PAGE_SIZE), off = (uint32_t)(size % PAGE_SIZE);
		if (off && index < rf->slots && rf->pages[index])
			memset((char *)phys_to_virt(rf->pages[index]) + off, 0, PAGE_SIZE - off);
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

static void file_release(struct inode *inode)
{
	struct ramfs_file *rf = file_of(inode);
	for (uint32_t i = 0; i < rf->slots; i++) {
		if (rf->pages[i]) {
			pmm_page_put(rf->pages[i]);
			data_pages--;
		}
	}
	kfree(rf->pages);
	kfree(rf);
}

const struct inode_ops ramfs_file_iops = {
	.truncate = file_truncate, .get_page = file_get_page, .release = file_release,
};
const struct file_ops ramfs_file_fops = { .read = file_read, .write = file_write };
