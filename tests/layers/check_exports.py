#!/usr/bin/env python3
"""check_exports.py - libposdiff.so exports its public API and nothing else.

The functions declared POSDIFF_EXTERN in lib/include/posdiff/*.h must be
exactly the dynamic symbols libposdiff.so defines (nm -D).
Usage: check_exports.py SOURCE_ROOT LIBPOSDIFF.so
"""
import glob
import os
import re
import subprocess
import sys


def declared(root):
    names = set()
    for h in glob.glob(os.path.join(root, 'lib/include/posdiff/*.h')):
        text = open(h, encoding='utf-8').read()
        for m in re.finditer(r'POSDIFF_EXTERN\s[^;(]*?\b(posdiff_\w+)\s*\(', text):
            names.add(m.group(1))
    return names


def exported(so):
    out = subprocess.run(['nm', '-D', '--defined-only', so], capture_output=True,
                         text=True, check=True).stdout
    return {l.split()[-1] for l in out.splitlines()
            if len(l.split()) == 3 and l.split()[1] in 'TDBRVW'}


def main():
    want, have = declared(sys.argv[1]), exported(sys.argv[2])
    extra, missing = sorted(have - want), sorted(want - have)
    for s in extra:
        print(f'exported but not in the public headers: {s}')
    for s in missing:
        print(f'declared in the public headers but not exported: {s}')
    print(f'{len(want)} public functions, {len(have)} exported symbols')
    return 1 if extra or missing or not want else 0


if __name__ == '__main__':
    sys.exit(main())
