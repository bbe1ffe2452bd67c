/* cmd_add.c - being written. */
typedef int cmd_add_stub_unused;
