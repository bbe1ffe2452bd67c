/* check_utf8.c - being written; skipped until then. */
int main(void) { return 77; }
