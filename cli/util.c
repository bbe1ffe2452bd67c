/* util.c - being written. */
typedef int util_stub_unused;
