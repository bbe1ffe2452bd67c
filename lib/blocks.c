/* blocks.c - stub, being written. */
typedef int blocks_stub_unused;
