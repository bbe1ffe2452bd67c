/* cmd_build.c - being written. */
typedef int cmd_build_stub_unused;
