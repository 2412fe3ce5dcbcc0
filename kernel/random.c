/* Kernel random numbers: see <kernel/random.h>.  xorshift64*, seeded at boot. */
#include <kernel/arch.h>
#include <kernel/random.h>
#include <stdint.h>

static uint64_t state = 0x9E3779B97F4A7C15ull;

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

void random_init(void)
{
	state ^= rdtsc() ^ (uint64_t)rtc_read_unix_time() << 20;
	if (!state)
		state = 1;
}

static uint64_t next(void)
{
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return state * 0x2545F4914F6CDD1Dull;
}

void random_bytes(void *buf, size_t n)
{
	uint8_t *b = buf;
	while (n) {
		uint64_t r = next() ^ rdtsc();
		for (int i = 0; i < 8 && n; i++, n--, r >>= 8)
			*b++ = (uint8_t)r;
	}
}
