/* lock.c - stub, being written. */
typedef int lock_stub_unused;
