/* main.c - being written. */
#include <posdiff/posdiff.h>
int main(void) { return posdiff_init() < 0 ? 2 : 0; }
