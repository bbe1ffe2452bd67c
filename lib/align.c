/* align.c - stub, being written. */
typedef int align_stub_unused;
