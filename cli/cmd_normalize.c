/* cmd_normalize.c - being written. */
typedef int cmd_normalize_stub_unused;
