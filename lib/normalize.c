/* normalize.c - stub, being written. */
typedef int normalize_stub_unused;
