#!/usr/bin/env python3
"""gen_corpus.py - a synthetic corpus for the crash and concurrency tests.

Usage: gen_corpus.py SHIPPED_CORPUS DEST COUNT

DEST gets COUNT statements s0000, s0001, ...: copies of the shipped
statements in turn, each with a numbered sentence appended (so every
file differs), dated one day apart from 2000-01-01, written straight as
statements.conf (no `posdiff add` per statement: seconds, not minutes),
and the shipped positions.conf.
"""
import datetime
import os
import sys

src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
os.makedirs(os.path.join(dst, "statements"), exist_ok=True)
names = sorted(f for f in os.listdir(os.path.join(src, "statements")) if f.endswith(".txt"))
texts = [open(os.path.join(src, "statements", f), "rb").read() for f in names]
day = datetime.date(2000, 1, 1)
conf = []
for i in range(n):
    sid = "s%04d" % i
    with open(os.path.join(dst, "statements", sid + ".txt"), "wb") as f:
        f.write(texts[i % len(texts)])
        f.write(b"\n\nThis is numbered sentence %d on data security.\n" % i)
    conf.append('[statement "%s"]\n\tfile = statements/%s.txt\n\tdate = %s\n\ttitle = Statement %d\n'
                % (sid, sid, day + datetime.timedelta(days=i), i))
with open(os.path.join(dst, "statements.conf"), "w") as f:
    f.write("".join(conf))
with open(os.path.join(dst, "positions.conf"), "wb") as f:
    f.write(open(os.path.join(src, "positions.conf"), "rb").read())
