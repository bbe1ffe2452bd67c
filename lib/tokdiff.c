/* tokdiff.c - stub, being written. */
typedef int tokdiff_stub_unused;
