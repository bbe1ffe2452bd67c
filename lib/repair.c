/* repair.c - stub, being written. */
typedef int repair_stub_unused;
