/*
 * futex (240): futex(uaddr, op, val, timeout, uaddr2, val3).
 *   FUTEX_WAIT: sleep if *uaddr == val (else EAGAIN), until woken or the
 *               relative timeout (struct timespec *, may be NULL) passes
 *               (ETIMEDOUT).
 *   FUTEX_WAKE: wake up to val waiters on uaddr; returns how many woke.
 * Without FUTEX_PRIVATE_FLAG a futex on a MAP_SHARED page is keyed by the
 * page, so processes sharing it can wait and wake each other.
 */
#ifndef UAPI_FUTEX_H
#define UAPI_FUTEX_H

#define FUTEX_WAIT              0
#define FUTEX_WAKE              1
#define FUTEX_FD                2
#define FUTEX_REQUEUE           3
#define FUTEX_CMP_REQUEUE       4
#define FUTEX_WAKE_OP           5
#define FUTEX_LOCK_PI           6
#define FUTEX_UNLOCK_PI         7
#define FUTEX_TRYLOCK_PI        8
#define FUTEX_WAIT_BITSET       9
#define FUTEX_WAKE_BITSET       10

#define FUTEX_PRIVATE_FLAG      128     /* only this process's threads use it */
#define FUTEX_CLOCK_REALTIME    256
#define FUTEX_CMD_MASK          (~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME))

#define FUTEX_WAIT_PRIVATE      (FUTEX_WAIT | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAKE_PRIVATE      (FUTEX_WAKE | FUTEX_PRIVATE_FLAG)

#define FUTEX_BITSET_MATCH_ANY  0xffffffff

#endif
