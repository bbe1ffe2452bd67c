/* history.c - stub, being written. */
typedef int history_stub_unused;
