#!/usr/bin/env python3
"""gen_corpus.py - deterministic synthetic corpora for the posdiff benchmarks.

    gen_corpus.py --n N --out DIR [--seed S] [--src CORPUS]

Writes DIR/statements/<id>.txt (raw text), DIR/statements.conf (git-config
syntax, written directly) and DIR/positions.conf (a copy of the shipped
one).  Nothing is kept in memory but the statement being edited and the
sentence pool, so N = 100 000 works as well as N = 1 000.

How a series is made (seeded, so the same arguments give the same bytes):
the shipped statements are cut into paragraphs and sentences; they form
the pool.  Statement 0 is a shipped statement; each next one is the
previous one edited as a delegation edits its statement from one
session to the next:

  per sentence: reworded 8 % (a synonym swapped, a word dropped or
  inserted), dropped 2.5 %, followed by a pool sentence from another
  statement 3 %; one sentence moved 30 %; one position's sentences all
  left out 12 % (the position "missing"); every 25th statement
  restarts from the next shipped statement, in turn.  The length stays
  between 25 and 160 sentences.

The series is stationary on purpose: any 1 000 statements carry about
the same text and the same mix of positions (input bytes per 1 000
statements within 4 % of their average), so t(10 000) / t(1 000) measures
posdiff, not the sample.  (Restarting at random 4 % of the time from a
random shipped statement made the first 1 000 statements of the series
3 % lighter in input and 11 % lighter in log output than the
average 1 000, which alone moved the scaling rows by 0.3 to 1.2.)

Raw formatting varies the way real sources do: most files are
Markdown-ish (blank-line paragraphs, a "## " title), some hard-wrap
their lines at 72 columns, some use CRLF, some carry web chrome
("Suggest to a friend") that a manifest `strip` rule removes.
Dates run from 2000-01-01, four statements a day (manifest order breaks
the ties), so corpus order is generation order.
"""
import argparse
import os
import random
import re
import shutil
import sys

SYNONYMS = [
    ("important", "significant"), ("countries", "states"), ("should", "must"),
    ("promote", "advance"), ("international", "global"), ("cooperation", "collaboration"),
    ("oppose", "reject"), ("ensure", "guarantee"), ("support", "back"),
    ("efforts", "endeavours"), ("framework", "architecture"), ("threats", "risks"),
    ("build", "foster"), ("peace", "stability"), ("jointly", "together"),
    ("believe", "hold"), ("mechanism", "process"), ("all", "every"),
]
RESTART_EVERY = 25  # statements from one shipped statement before the next
SYN = {}
for a, b in SYNONYMS:
    SYN[a], SYN[b] = b, a
INSERTS = ["further", "actively", "firmly", "jointly", "genuinely", "always",
           "effectively", "truly", "also", "resolutely"]
CHROME = re.compile(r"^(Home\b|Suggest to a friend|Print$|\d{4}-\d\d-\d\d \d\d:\d\d)")
ABBREV = re.compile(r"\b(Mr|Mrs|Ms|Dr|No|St|Art|para|U\.N|U\.S|e\.g|i\.e|vs)\.$")
SPLIT = re.compile(r"(?<=[a-z0-9)][.!?])\s+(?=[A-Z])")
VENUES = ["OEWG", "UNGA First Committee", "OEWG 2021-2025", "UN Security Council",
          "Human Rights Council", "Conference on Disarmament"]
SPEAKERS = ["Wang Lei", "Wu Jianjian", "Chinese Delegation", "Government of China",
            "Li Song", "Sun Lei"]


def load_positions(path):
    phrases, cur = {}, None
    for line in open(path, encoding="utf-8"):
        m = re.match(r'\s*\[position "([^"]+)"\]', line)
        if m:
            cur = m.group(1)
            phrases[cur] = []
            continue
        m = re.match(r"\s*match\s*=\s*(.+?)\s*$", line)
        if m and cur:
            phrases[cur].append(m.group(1).lower())
    return phrases


def load_statements(src):
    """[[paragraph: (is_heading, [sentences])]] per shipped statement."""
    docs = []
    d = os.path.join(src, "statements")
    for name in sorted(os.listdir(d)):
        text = open(os.path.join(d, name), encoding="utf-8").read().replace("\r", "")
        paras = []
        for line in text.split("\n"):
            line = line.strip().strip("*").strip()
            if not line or CHROME.match(line):
                continue
            heading = line.startswith("#") or re.match(r"^[IVX]+\.\s", line) is not None
            line = line.lstrip("#").strip()
            sents = []
            for s in SPLIT.split(line):
                if sents and ABBREV.search(sents[-1]):
                    sents[-1] += " " + s
                elif s:
                    sents.append(s)
            paras.append((heading, sents))
        docs.append(paras)
    return docs


def reword(rng, s):
    words = s.split(" ")
    if len(words) < 4:
        return s
    k = rng.randrange(3)
    if k == 0:
        idx = [i for i, w in enumerate(words) if w.lower() in SYN]
        if idx:
            i = rng.choice(idx)
            w = SYN[words[i].lower()]
            words[i] = w.capitalize() if words[i][0].isupper() else w
            return " ".join(words)
    if k == 1:
        i = rng.randrange(1, len(words) - 1)
        if words[i][-1:].isalpha():
            del words[i]
            return " ".join(words)
    words.insert(rng.randrange(1, len(words) - 1), rng.choice(INSERTS))
    return " ".join(words)


class Series:
    def __init__(self, rng, docs, phrases):
        self.rng, self.docs, self.phrases = rng, docs, phrases
        self.pool = [s for d in docs for h, ss in d if not h for s in ss
                     if len(s.split()) >= 6]
        self.restarts = 0
        self.restart()

    def restart(self):
        d = self.docs[self.restarts % len(self.docs)]
        self.restarts += 1
        self.age = 0
        self.doc = [(h, list(ss)) for h, ss in d]

    def count(self):
        return sum(len(ss) for h, ss in self.doc if not h)

    def step(self):
        rng = self.rng
        self.age += 1
        if self.age == RESTART_EVERY:
            self.restart()
            return
        for k, (h, ss) in enumerate(self.doc):
            if h:
                continue
            out = []
            for s in ss:
                r = rng.random()
                if r < 0.025 and self.count() > 25:
                    continue
                out.append(reword(rng, s) if r < 0.105 else s)
                if rng.random() < 0.03 and self.count() < 160:
                    out.append(rng.choice(self.pool))
            self.doc[k] = (h, out)
        if rng.random() < 0.3:
            self.move()
        if rng.random() < 0.12:
            self.leave_out(rng.choice(sorted(self.phrases)))
        self.doc = [(h, ss) for h, ss in self.doc if ss]

    def move(self):
        body = [k for k, (h, ss) in enumerate(self.doc) if not h and ss]
        if len(body) < 2:
            return
        a, b = self.rng.choice(body), self.rng.choice(body)
        s = self.doc[a][1].pop(self.rng.randrange(len(self.doc[a][1])))
        self.doc[b][1].insert(self.rng.randrange(len(self.doc[b][1]) + 1), s)

    def leave_out(self, pos):
        pats = self.phrases[pos]
        for k, (h, ss) in enumerate(self.doc):
            if not h:
                self.doc[k] = (h, [s for s in ss if not any(p in s.lower() for p in pats)])


def wrap(text, width=72):
    out, line = [], ""
    for w in text.split(" "):
        if line and len(line) + 1 + len(w) > width:
            out.append(line)
            line = w
        else:
            line = line + " " + w if line else w
    out.append(line)
    return "\n".join(out)


def render(rng, doc, title):
    style = rng.random()
    chrome = rng.random() < 0.1
    parts = []
    if chrome:
        parts.append("Suggest to a friend")
    parts.append("## " + title)
    for h, ss in doc:
        if h:
            parts.append("## " + " ".join(ss))
        elif style < 0.2:
            parts.append(wrap(" ".join(ss)))
        else:
            parts.append(" ".join(ss))
    text = "\n\n".join(parts) + "\n"
    if 0.2 <= style < 0.3:
        text = text.replace("\n", "\r\n")
    return text, chrome


def conf_quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("--src", default=os.path.join(here, "..", "..", "corpus"))
    a = ap.parse_args()

    rng = random.Random(a.seed)
    phrases = load_positions(os.path.join(a.src, "positions.conf"))
    series = Series(rng, load_statements(a.src), phrases)
    os.makedirs(os.path.join(a.out, "statements"), exist_ok=True)
    shutil.copyfile(os.path.join(a.src, "positions.conf"), os.path.join(a.out, "positions.conf"))
    with open(os.path.join(a.out, ".gitignore"), "w") as f:
        f.write(".posdiff/\n")
    day0 = 730120  # date(2000, 1, 1).toordinal()
    import datetime
    width = max(5, len(str(a.n)))
    with open(os.path.join(a.out, "statements.conf"), "w", encoding="utf-8") as conf:
        conf.write("# synthetic corpus: tests/bench/gen_corpus.py --n %d --seed %d\n" % (a.n, a.seed))
        for i in range(a.n):
            if i:
                series.step()
            venue = rng.choice(VENUES)
            date = datetime.date.fromordinal(day0 + i // 4).isoformat()
            sid = "s%0*d-%s" % (width, i, venue.split()[0].lower())
            title = "Statement at the %s, session %d" % (venue, i)
            text, chrome = render(rng, series.doc, title)
            with open(os.path.join(a.out, "statements", sid + ".txt"), "w",
                      encoding="utf-8", newline="") as f:
                f.write(text)
            conf.write('\n[statement "%s"]\n\tfile = statements/%s.txt\n\tdate = %s\n'
                       '\ttitle = %s\n\tvenue = %s\n\tspeaker = %s\n\tsource = %s\n'
                       % (sid, sid, date, title, venue, rng.choice(SPEAKERS),
                          conf_quote("synthetic %d" % i)))
            if chrome:
                conf.write('\tstrip = "Suggest to a friend"\n')
    return 0


if __name__ == "__main__":
    sys.exit(main())
