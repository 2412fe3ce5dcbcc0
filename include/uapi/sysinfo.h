/* struct sysinfo of Linux i386 (sysinfo(2), 116): 64 bytes. */
#ifndef UAPI_SYSINFO_H
#define UAPI_SYSINFO_H

#include <stdint.h>

struct linux_sysinfo {
	int32_t uptime;			/* seconds since boot */
	uint32_t loads[3];		/* 1, 5, 15 minute loads, << SI_LOAD_SHIFT */
	uint32_t totalram, freeram, sharedram, bufferram;	/* in mem_unit */
	uint32_t totalswap, freeswap;
	uint16_t procs, pad;
	uint32_t totalhigh, freehigh;
	uint32_t mem_unit;
	char _f[8];
};
_Static_assert(sizeof(struct linux_sysinfo) == 64, "struct sysinfo");

#define SI_LOAD_SHIFT	16

/* Linux's do_sysinfo: bytes (mem_unit 1) when the total fits in 32 bits,
 * else pages (mem_unit 4096).  The counts come in pages. */
static inline void sysinfo_set_memory(struct linux_sysinfo *s, uint32_t total, uint32_t free,
				      uint32_t high_total, uint32_t high_free)
{
	s->mem_unit = 4096;
	s->totalram = total, s->freeram = free, s->totalhigh = high_total, s->freehigh = high_free;
	if ((uint64_t)(total + high_total) * 4096 <= 0xFFFFFFFFull) {
		s->mem_unit = 1;
		s->totalram *= 4096, s->freeram *= 4096, s->totalhigh *= 4096, s->freehigh *= 4096;
	}
}

#endif
