/* date.c - stub, being written. */
typedef int date_stub_unused;
