/* cmd_init.c - being written. */
typedef int cmd_init_stub_unused;
