/* catalog.c - stub, being written. */
typedef int catalog_stub_unused;
