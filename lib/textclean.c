/* textclean.c - stub, being written. */
typedef int textclean_stub_unused;
