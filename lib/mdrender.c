/* mdrender.c - stub, being written. */
typedef int mdrender_stub_unused;
