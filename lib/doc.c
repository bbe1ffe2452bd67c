/* doc.c - stub, being written. */
typedef int doc_stub_unused;
