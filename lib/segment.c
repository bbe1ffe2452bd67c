/* segment.c - stub, being written. */
typedef int segment_stub_unused;
