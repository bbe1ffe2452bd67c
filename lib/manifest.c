/* manifest.c - stub, being written. */
typedef int manifest_stub_unused;
