/* tokenize.c - stub, being written. */
typedef int tokenize_stub_unused;
