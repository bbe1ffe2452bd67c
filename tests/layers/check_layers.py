#!/usr/bin/env python3
"""check_layers.py - the library's layering, checked.

1. Includes: a file of stage S includes headers of S or of stages
   below it (STAGES order; public headers count as their module's stage).
2. Calls: no two files of lib/ (or of cli/) call each other, directly
   or through others: the graph "file A uses a function defined in
   file B", read with nm from the objects, has no cycle.

Usage: check_layers.py SOURCE_ROOT LIBPOSDIFF_INTERNAL.a [CLI_OBJECT_DIR]
Prints each violation and exits 1 if there is any.
"""
import glob
import os
import re
import subprocess
import sys

STAGES = ['util', 'normalize', 'diff', 'align', 'corpus', 'history/pack',
          'history', 'check']
PUBLIC = {'common': 'util', 'normalize': 'normalize', 'segment': 'normalize',
          'tokdiff': 'diff', 'catalog': 'align', 'align': 'align', 'discover': 'align',
          'corpus': 'corpus', 'history': 'history', 'check': 'check',
          'posdiff': 'check'}


def stage_of(rel):
    """Stage of a path relative to lib/ (longest folder match)."""
    best = None
    for s in STAGES:
        if rel.startswith(s + '/') and (best is None or len(s) > len(best)):
            best = s
    return best


def header_stage(inc, here):
    if inc.startswith('posdiff/'):
        return PUBLIC[inc[len('posdiff/'):-2]]
    if '/' in inc:
        return stage_of(inc)
    return here


def check_includes(lib):
    bad = []
    for d, _, files in os.walk(lib):
        for f in files:
            if not f.endswith(('.c', '.h')) or d.startswith(os.path.join(lib, 'include')):
                continue
            rel = os.path.relpath(os.path.join(d, f), lib)
            here = stage_of(rel)
            if here is None:
                bad.append(f'{rel}: not in a stage folder')
                continue
            for n, line in enumerate(open(os.path.join(d, f), encoding='utf-8'), 1):
                m = re.match(r'#include "([^"]+)"', line)
                if not m:
                    continue
                st = header_stage(m.group(1), here)
                if STAGES.index(st) > STAGES.index(here):
                    bad.append(f'lib/{rel}:{n}: stage {here} includes {m.group(1)} (stage {st})')
    return bad


def symbols(objs):
    """{object: (defined, undefined)} from nm."""
    out = subprocess.run(['nm', '-A', '--defined-only', '-g'] + objs,
                         capture_output=True, text=True, check=True).stdout
    und = subprocess.run(['nm', '-A', '-u'] + objs,
                         capture_output=True, text=True, check=True).stdout
    res = {}
    for text, kind in ((out, 0), (und, 1)):
        for line in text.splitlines():
            m = re.match(r'(?:.*:)?([^:]+\.o):\s*(?:[0-9a-f]+\s+)?\S\s+(\S+)$', line)
            if m:
                res.setdefault(m.group(1), (set(), set()))[kind].add(m.group(2))
    return res


def cycles(syms):
    owner = {}
    for o, (d, _) in syms.items():
        for s in d:
            owner[s] = o
    edges = {o: {owner[s] for s in u if s in owner and owner[s] != o}
             for o, (_, u) in syms.items()}
    # Tarjan's strongly connected components.
    index, low, stack, on, comps, n = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = n[0]
        n[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                comps.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(edges):
        if v not in index:
            visit(v)
    return comps


def main():
    root, archive = sys.argv[1], sys.argv[2]
    cli_objs = sorted(glob.glob(os.path.join(sys.argv[3], '*.o'))) if len(sys.argv) > 3 else []
    bad = check_includes(os.path.join(root, 'lib'))
    for group in ([archive], cli_objs):
        if group:
            for comp in cycles(symbols(group)):
                bad.append('files calling each other in a loop: ' + ' '.join(comp))
    for b in bad:
        print(b)
    print(f'{len(bad)} layering problem(s)')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
