/* corpus.c - stub, being written. */
typedef int corpus_stub_unused;
