/* cmd_log.c - being written. */
typedef int cmd_log_stub_unused;
