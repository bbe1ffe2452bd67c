#!/usr/bin/env python3
"""gen_seeds.py - fuzz seeds made from the shipped corpus at build time.

Usage: gen_seeds.py CORPUS_DIR OUT_DIR

Writes OUT_DIR/<target>/ for the targets whose seeds are cut from the
statements (so no big file is copied into tests/fuzz/seeds/):
  segment   each statement's paragraphs, a few at a time
  tokdiff   consecutive paragraphs, and sentences naming the same
            position in two statements, as "A" 0xFF "B"
  align     consecutive statements cut to 6 KB at a line end, "A" 0xFF "B"
  manifest  the shipped statements.conf, 0xFF, positions.conf
The raw statements themselves seed normalize (replayed straight from
corpus/statements/).
"""
import os
import re
import sys

corpus, out = sys.argv[1], sys.argv[2]
stdir = os.path.join(corpus, "statements")
texts = [open(os.path.join(stdir, f), "rb").read() for f in sorted(os.listdir(stdir))]


def write(target, name, data):
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def cut(b, limit):
    if len(b) <= limit:
        return b
    nl = b.rfind(b"\n", 0, limit)
    return b[: nl + 1 if nl > 0 else limit]


paras = [[p for p in re.split(rb"\n\s*\n", t) if p.strip()] for t in texts]
for i, ps in enumerate(paras):
    for k in range(0, len(ps), 4):
        write("segment", "s%d-%02d" % (i, k), b"\n\n".join(ps[k:k + 4]))
    for k in range(len(ps) - 1):
        if len(ps[k]) + len(ps[k + 1]) < 4000:
            write("tokdiff", "p%d-%02d" % (i, k), ps[k] + b"\xff" + ps[k + 1])

sentences = [re.split(rb"(?<=[.;])\s+", t) for t in texts]
for word in (b"data security", b"backdoor", b"legally binding", b"battlefield"):
    hits = [next((s for s in ss if word in s.lower()), None) for ss in sentences]
    hits = [h for h in hits if h]
    for k in range(len(hits) - 1):
        write("tokdiff", "w-%s-%d" % (word.decode().replace(" ", "-"), k),
              hits[k] + b"\xff" + hits[k + 1])

for i in range(len(texts) - 1):
    write("align", "pair%d" % i, cut(texts[i], 6000) + b"\xff" + cut(texts[i + 1], 6000))

manifest = open(os.path.join(corpus, "statements.conf"), "rb").read()
positions = open(os.path.join(corpus, "positions.conf"), "rb").read()
write("manifest", "shipped", manifest + b"\xff" + positions)
write("manifest", "shipped-statements-only", manifest)
