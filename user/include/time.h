/* Clocks and sleeping (32-bit struct timespec of the classic calls). */
#ifndef _TIME_H
#define _TIME_H

#include <sys/types.h>
#include <uapi/time.h>

int clock_gettime(clockid_t clk, struct timespec *ts);
int clock_getres(clockid_t clk, struct timespec *ts);
int nanosleep(const struct timespec *req, struct timespec *rem);
int clock_nanosleep(clockid_t clk, int flags, const struct timespec *req,
                    struct timespec *rem);      /* returns the error, not -1 */
time_t time(time_t *t);

#endif
