/* check_normalize.c - being written; skipped until then. */
int main(void) { return 77; }
