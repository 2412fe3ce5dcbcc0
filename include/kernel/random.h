/*
 * Kernel random numbers (kernel/random.c): a xorshift generator seeded at
 * boot from the time-stamp counter and the real-time clock.  Good enough
 * for AT_RANDOM and getrandom in a teaching kernel; NOT cryptographic.
 */
#ifndef KERNEL_RANDOM_H
#define KERNEL_RANDOM_H

#include <stddef.h>

void random_init(void);
void random_bytes(void *buf, size_t n);

#endif
