/*
 * A fake file for file-backed mappings: what kernel/mm asks of the file
 * system is five calls (<kernel/vfs.h>: inode_get, inode_put,
 * vfs_get_page, and inode_deny_write / inode_allow_write for mm->exe).  Its pages come from the frame allocator, made (zeroed)
 * on first use and held with one reference each until the last
 * inode_put, as ramfs holds its pages.
 */
#include <stdlib.h>
#include "fake.h"
#include <kernel/pmm.h>
#include <kernel/printk.h>
#include <kernel/vfs.h>
#include <uapi/errno.h>

struct inode {
	int refs;
	int writecount;			/* < 0: spaces running it (mm->exe) */
	uint32_t npages;
	uint32_t page[];
};

static uint32_t live;

struct inode *fake_file_create(uint32_t pages)
{
	struct inode *f = calloc(1, sizeof *f + pages * sizeof f->page[0]);
	f->refs = 1;
	f->npages = pages;
	live++;
	return f;
}

uint32_t fake_file_page(struct inode *f, uint32_t index) { return index < f->npages ? f->page[index] : 0; }
int fake_file_refs(struct inode *f) { return f->refs; }
uint32_t fake_files_live(void) { return live; }

void inode_get(struct inode *f)
{
	if (f->refs <= 0)
		panic("inode_get: a dead inode");
	f->refs++;
}

void inode_put(struct inode *f)
{
	if (f->refs <= 0)
		panic("inode_put: a dead inode");
	if (--f->refs)
		return;
	for (uint32_t i = 0; i < f->npages; i++)
		if (f->page[i])
			pmm_page_put(f->page[i]);
	free(f);
	live--;
}

int inode_deny_write(struct inode *f)
{
	if (f->writecount > 0)
		return -ETXTBSY;
	f->writecount--;
	return 0;
}

void inode_allow_write(struct inode *f)
{
	if (f->writecount >= 0)
		panic("inode_allow_write: writing was not denied");
	f->writecount++;
}

int vfs_get_page(struct inode *f, uint32_t index, uint32_t *phys)
{
	if (index >= f->npages)
		return -ENXIO;
	if (!f->page[index]) {
		f->page[index] = pmm_alloc_user_page();
		if (!f->page[index])
			return -ENOMEM;
	}
	pmm_page_get(f->page[index]);
	*phys = f->page[index];
	return 0;
}
