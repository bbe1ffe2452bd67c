#!/usr/bin/env python3
"""score.py - score posdiff's alignment against the labelled set.

Builds the shipped corpus (a copy, in a temporary directory) with the
posdiff binary, runs `posdiff log --format=json`, and scores it against
tests/eval/passages.tsv and links.tsv as LABELS.md defines:

  recall     a gold passage is found when a reported passage of the same
             statement and position covers >= 0.8 of its tokens;
  precision  a reported passage (of a statement with gold rows) is right
             when it and a gold passage of the same statement and
             position cover each other >= 0.8 either way;
  links      a gold link holds when a reported passage covering the later
             passage descends (following `previous`, and `sources` for
             merges) from a passage covering >= 0.6 of the earlier one.

Usage: score.py [--posdiff BIN] [--corpus DIR] [--json FILE] [--details]
                [--min-recall R --min-precision P --min-links L]
Prints a table per position; with --details, the misses, the false
passages and the broken links.  Exits 1 when a score is below its floor.
"""
import argparse
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def tokens(s):
    return re.findall(r'[a-z0-9]+', s.lower())


def cover(a, b):
    """Share of a's tokens (as a multiset) found in b."""
    ta = tokens(a)
    if not ta:
        return 0.0
    cb = collections.Counter(tokens(b))
    hit = 0
    for t, n in collections.Counter(ta).items():
        hit += min(n, cb[t])
    return hit / len(ta)


def read_tsv(name):
    with open(os.path.join(HERE, name), encoding='utf-8') as f:
        rows = [l.rstrip('\n').split('\t') for l in f if l.strip()]
    return rows[1:]


def run_log(binary, corpus):
    tmp = tempfile.mkdtemp(prefix='posdiff-eval-')
    try:
        dst = os.path.join(tmp, 'corpus')
        shutil.copytree(corpus, dst, ignore=shutil.ignore_patterns('.posdiff'))
        env = dict(os.environ, LC_ALL='C.UTF-8')
        subprocess.run([binary, '--corpus', dst, 'build'], check=True, env=env,
                       stdout=subprocess.DEVNULL)
        out = subprocess.run([binary, '--corpus', dst, '--no-pager', 'log',
                              '--format=json'], check=True, env=env,
                             capture_output=True, text=True).stdout
        return json.loads(out)
    finally:
        shutil.rmtree(tmp)


def index(log):
    """{(position, statement): [passage, ...]} of the log."""
    rep = {}
    for pos in log['positions']:
        for e in pos['entries']:
            rep[(pos['id'], e['statement'])] = e['passages']
    return rep


def predecessors(rep, position, p):
    """The passages @p p descends from directly (previous, sources)."""
    refs = list(p.get('sources') or [])
    if not refs and p.get('previous'):
        refs = [p['previous']]
    out = []
    for r in refs:
        cands = rep.get((position, r['statement']), [])
        hit = [c for c in cands if c['text'] == r['text']]
        if not hit:  # an old merge record joins two texts: take the parts
            hit = [c for c in cands if c['text'] and c['text'] in r['text']]
        out += hit or [{'text': r['text']}]
    return out


def ancestors(rep, position, p):
    seen, todo, out = set(), predecessors(rep, position, p), []
    while todo:
        a = todo.pop()
        key = a['text']
        if key in seen:
            continue
        seen.add(key)
        out.append(a)
        if 'status' in a:
            todo += predecessors(rep, position, a)
    return out


def score(log, gold_passages, gold_links):
    rep = index(log)
    by_pos = collections.defaultdict(lambda: collections.Counter())
    misses, false, broken = [], [], []
    gold_at = collections.defaultdict(list)
    stmts_with_gold = set()
    for st, pos, text in gold_passages:
        gold_at[(pos, st)].append(text)
        stmts_with_gold.add(st)
    for st, pos, text in gold_passages:
        found = any(cover(text, p['text']) >= 0.8 for p in rep.get((pos, st), []))
        by_pos[pos]['gold'] += 1
        by_pos[pos]['found'] += found
        if not found:
            misses.append((pos, st, text))
    for (pos, st), ps in sorted(rep.items()):
        if st not in stmts_with_gold:
            continue
        for p in ps:
            ok = any(cover(p['text'], g) >= 0.8 or cover(g, p['text']) >= 0.8
                     for g in gold_at.get((pos, st), []))
            by_pos[pos]['reported'] += 1
            by_pos[pos]['right'] += ok
            if not ok:
                false.append((pos, st, p['text']))
    for pos, est, etext, lst, ltext, note in gold_links:
        holders = [p for p in rep.get((pos, lst), []) if cover(ltext, p['text']) >= 0.8]
        ok = any(cover(etext, a['text']) >= 0.6
                 for h in holders for a in ancestors(rep, pos, h))
        by_pos[pos]['links'] += 1
        by_pos[pos]['held'] += ok
        if not ok:
            why = 'later passage not reported' if not holders else \
                'descends from: ' + ' | '.join(
                    (h.get('previous') or {}).get('text', '(added)') or '' for h in holders)
            broken.append((pos, est, lst, ltext, why))
    return by_pos, misses, false, broken


def ratio(a, b):
    return a / b if b else 1.0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--posdiff', default=os.environ.get('POSDIFF_BIN',
                    os.path.join(ROOT, 'build/cli/posdiff')))
    ap.add_argument('--corpus', default=os.path.join(ROOT, 'corpus'))
    ap.add_argument('--json', help='score this log --format=json output instead')
    ap.add_argument('--details', action='store_true')
    ap.add_argument('--min-recall', type=float, default=0.0)
    ap.add_argument('--min-precision', type=float, default=0.0)
    ap.add_argument('--min-links', type=float, default=0.0)
    a = ap.parse_args()

    if a.json:
        with open(a.json, encoding='utf-8') as f:
            log = json.load(f)
    else:
        log = run_log(a.posdiff, a.corpus)
    by_pos, misses, false, broken = score(log, read_tsv('passages.tsv'),
                                          read_tsv('links.tsv'))
    tot = collections.Counter()
    print(f'{"position":<18}{"recall":>14}{"precision":>14}{"links":>12}')
    for pos in sorted(by_pos):
        c = by_pos[pos]
        tot.update(c)
        print(f'{pos:<18}{ratio(c["found"], c["gold"]):8.2f} {c["found"]:2}/{c["gold"]:<3}'
              f'{ratio(c["right"], c["reported"]):8.2f} {c["right"]:2}/{c["reported"]:<3}'
              f'{ratio(c["held"], c["links"]):6.2f} {c["held"]:2}/{c["links"]:<3}')
    r, p, l = (ratio(tot['found'], tot['gold']), ratio(tot['right'], tot['reported']),
               ratio(tot['held'], tot['links']))
    print(f'{"all":<18}{r:8.2f} {tot["found"]:2}/{tot["gold"]:<3}'
          f'{p:8.2f} {tot["right"]:2}/{tot["reported"]:<3}{l:6.2f} {tot["held"]:2}/{tot["links"]:<3}')
    if a.details:
        print('\nmissed passages:')
        for pos, st, text in misses:
            print(f'  {pos} {st}: {text}')
        print('\nfalse passages:')
        for pos, st, text in false:
            print(f'  {pos} {st}: {text}')
        print('\nbroken links:')
        for pos, est, lst, ltext, why in broken:
            print(f'  {pos} {est} -> {lst}: {ltext}\n      {why}')
    low = [n for n, v, f in (('recall', r, a.min_recall), ('precision', p, a.min_precision),
                             ('links', l, a.min_links)) if v < f]
    if low:
        print('below the floor: ' + ', '.join(low))
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
