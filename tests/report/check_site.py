#!/usr/bin/env python3
"""check_site.py - check a posdiff report in a real browser (headless Chromium).

  check_site.py SITE LOG_JSON SHOTS      the shipped corpus's report
  check_site.py --hostile SITE SHOTS     a report of a hostile statement
  check_site.py --static SITE LOG_JSON   the files as written, no browser (a
                                         large, paged site)

Every page is opened in Chromium; its DOM (--dump-dom, after the browser
parsed it) is checked: the overview's matrix has one row per statement
and one column per position; every link resolves to an existing file and
anchor; every passage of `posdiff log --format=json` is on its position
page with the same status and text, and highlighted on its statement
page; no page has a script or an event handler; the browser logs no
console message.  A screenshot of the overview must not be blank, and at
360 px and 1 600 px wide no page is wider than the window (measured in
an iframe by a harness page, outside the site; screenshots of both
widths are left in SHOTS).  Prints "N checks, N failures"; exits 1 on a
failure.
"""
import html.parser
import json
import os
import re
import struct
import subprocess
import sys
import tempfile
import zlib

checks = failures = 0


def check(cond, what):
    global checks, failures
    checks += 1
    if not cond:
        failures += 1
        print("FAIL:", what, file=sys.stderr)
    return cond


def chromium(*args, timeout=120):
    """Run headless Chromium; (stdout, console lines of its log)."""
    cmd = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
           "--disable-extensions", "--enable-logging=stderr", "--v=0", *args]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    console = [l for l in p.stderr.splitlines() if ":CONSOLE" in l]
    return p.stdout, console


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.kids = tag, dict(attrs), parent, []

    def text(self, skip=()):
        out = []
        for k in self.kids:
            if isinstance(k, str):
                out.append(k)
            elif k.tag not in skip:
                out.append(k.text(skip))
        return "".join(out)

    def walk(self):
        yield self
        for k in self.kids:
            if isinstance(k, Node):
                yield from k.walk()


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class Parser(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.cur = Node("#root", {}, None)

    def handle_starttag(self, tag, attrs):
        n = Node(tag, attrs, self.cur)
        self.cur.kids.append(n)
        if tag not in VOID:
            self.cur = n

    def handle_startendtag(self, tag, attrs):
        self.cur.kids.append(Node(tag, attrs, self.cur))

    def handle_endtag(self, tag):
        n = self.cur
        while n is not None and n.tag != tag:
            n = n.parent
        if n is not None and n.parent is not None:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.kids.append(data)


STATIC = False  # --static: the files as written, no browser (large sites)


def dom_of(path):
    if STATIC:
        out = open(path, encoding="utf-8").read()
    else:
        out, console = chromium("--dump-dom", "file://" + os.path.abspath(path))
        check(not console, f"{path}: the browser logged {console[:3]}")
    check("<html" in out, f"{path}: no DOM dumped")
    p = Parser()
    p.feed(out)
    return p.root


def pages_of(site):
    for d, _, files in os.walk(site):
        for f in sorted(files):
            if f.endswith(".html"):
                yield os.path.relpath(os.path.join(d, f), site)


def load(site):
    doms = {rel: dom_of(os.path.join(site, rel)) for rel in pages_of(site)}
    ids = {rel: {n.attrs["id"] for n in dom.walk() if "id" in n.attrs} for rel, dom in doms.items()}
    return doms, ids


def check_safe(doms):
    for rel, dom in doms.items():
        for n in dom.walk():
            check(n.tag != "script", f"{rel}: a <script> element")
            ev = [a for a in n.attrs if a.startswith("on")]
            check(not ev, f"{rel}: event handler attributes {ev} on <{n.tag}>")
            src = n.attrs.get("src") or ""
            check(not re.match(r"(?i)[a-z]+:", src), f"{rel}: <{n.tag} src={src!r}> fetches")
            href = n.attrs.get("href") or ""
            check(not href.lower().startswith(("javascript:", "data:", "vbscript:")),
                  f"{rel}: a {href[:30]!r} link")


def check_links(site, doms, ids):
    for rel, dom in doms.items():
        for n in dom.walk():
            href = n.attrs.get("href")
            if href is None or n.tag not in ("a", "link"):
                continue
            if re.match(r"(?i)(https?|mailto):", href):
                check(n.tag == "a", f"{rel}: <{n.tag}> fetches {href}")
                continue
            path, _, frag = href.partition("#")
            target = os.path.normpath(os.path.join(os.path.dirname(rel), path)) if path else rel
            if not check(os.path.isfile(os.path.join(site, target)),
                         f"{rel}: link {href} to a missing file"):
                continue
            if frag:
                check(frag in ids.get(target, set()), f"{rel}: link {href}: no id {frag} in {target}")


def unescape_md(s):
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", s)


def norm(s):
    return " ".join(s.split())


def by_id(dom, ident):
    for n in dom.walk():
        if n.attrs.get("id") == ident:
            return n
    return None


def first(node, cls):
    for n in node.walk():
        if cls in (n.attrs.get("class") or "").split():
            return n
    return None


ENTRY = {"added": {"added"}, "unchanged": {"unchanged"}, "changed": {"changed", "restated"},
         "not-restated": {"not-stated", "dropped"}}


def check_report(site, log):
    doms, ids = load(site)
    check_safe(doms)
    check_links(site, doms, ids)
    positions = log["positions"]
    statements = [e["statement"] for e in positions[0]["entries"]] if positions else []
    index = doms.get("index.html")
    if not check(index is not None, "no index.html"):
        return
    # the matrix: on the overview, or (paged) on the year pages in order
    mats = [by_id(index, "matrix")] if by_id(index, "matrix") else \
        [by_id(doms[y], "matrix") for y in sorted(doms) if y.startswith("years/")]
    if check(mats and all(m is not None for m in mats), "no table#matrix"):
        rows = [n.attrs["data-statement"] for m in mats for n in m.walk()
                if n.tag == "tr" and "data-statement" in n.attrs]
        check(rows == statements, f"matrix rows {rows[:5]}... != statements {statements[:5]}...")
        for m in mats:
            cols = [n.attrs["data-position"] for n in m.walk() if n.tag == "th" and "data-position" in n.attrs]
            check(cols == [p["id"] for p in positions], f"matrix columns {cols}")
            for tr in (n for n in m.walk() if n.tag == "tr" and "data-statement" in n.attrs):
                cells = [n for n in tr.kids if isinstance(n, Node) and n.tag == "td"]
                check(len(cells) == len(positions), f"row {tr.attrs['data-statement']}: {len(cells)} cells")
                for c in cells:
                    check(norm(c.text()) != "", f"row {tr.attrs['data-statement']}: a cell without a label")
    for p in positions:
        main = f"positions/{p['id']}.html"
        check(main in doms, f"no {main}")
        where = {}  # element id -> (page, node) over the position's pages
        for rel, dom in doms.items():
            if rel == main or rel.startswith(f"positions/{p['id']}/"):
                for n in dom.walk():
                    if "id" in n.attrs:
                        where[n.attrs["id"]] = (rel, n)
        for e in p["entries"]:
            rel, art = where.get("s-" + e["statement"], (main, None))
            if not check(art is not None, f"{main}: no entry for {e['statement']}"):
                continue
            check(art.attrs.get("data-status") in ENTRY[e["status"]],
                  f"{rel}#{e['statement']}: status {art.attrs.get('data-status')} for {e['status']}")
            for k, ps in enumerate(e["passages"]):
                rel, li = where.get(f"s-{e['statement']}-p{k + 1}", (main, None))
                if not check(li is not None, f"{rel}: passage {k + 1} of {e['statement']} missing"):
                    continue
                check(li.attrs.get("data-status") == ps["status"],
                      f"{rel}: passage {k + 1} of {e['statement']}: {li.attrs.get('data-status')} != {ps['status']}")
                words = first(li, "words")
                shown = norm(words.text(skip=("del",))) if words else ""
                check(shown == norm(unescape_md(ps["text"])),
                      f"{rel}: passage {k + 1} of {e['statement']} reads {shown[:80]!r}, not {ps['text'][:80]!r}")
                sp = doms.get(f"statements/{e['statement']}.html")
                check(sp is not None and by_id(sp, f"l-{ps['line']}") is not None,
                      f"statements/{e['statement']}.html: line {ps['line']} not highlighted")
    return doms


def png_pixels(path):
    """(width, height, rows of RGBA bytes) of an 8-bit RGB(A) PNG."""
    data = open(path, "rb").read()
    pos, idat, w, h, bpp = 8, b"", 0, 0, 4
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, color = struct.unpack(">IIBB", body[:10])
            bpp = {2: 3, 6: 4}[color]
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, rows, prev = zlib.decompress(idat), [], bytearray(w * bpp)
    for y in range(h):
        f, line = raw[y * (w * bpp + 1)], bytearray(raw[y * (w * bpp + 1) + 1:(y + 1) * (w * bpp + 1)])
        for i in range(len(line)):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows


def check_not_blank(path):
    w, h, bpp, rows = png_pixels(path)
    colours = set()
    for r in rows[::4]:
        for x in range(0, w * bpp, bpp * 4):
            colours.add(r[x:x + 3])
    check(len(colours) >= 8, f"{path}: looks blank ({len(colours)} colours)")


HARNESS = """<!DOCTYPE html><html><body><pre id="out">pending</pre><script>
const pages = %s, widths = [360, 1600]; let res = [], left = pages.length * widths.length;
for (const p of pages) for (const w of widths) {
  const f = document.createElement("iframe");
  f.style.width = w + "px"; f.style.height = "600px"; f.style.border = "0";
  f.onload = () => { let r; try { const d = f.contentDocument.documentElement;
      r = d.scrollWidth <= d.clientWidth ? "ok" : "too wide: " + d.scrollWidth + " > " + d.clientWidth; }
    catch (e) { r = "error " + e; }
    res.push(w + " " + p + " " + r);
    if (--left == 0) document.getElementById("out").textContent = res.join("\\n"); };
  f.src = p; document.body.appendChild(f); }
</script></body></html>"""


def check_layout(site, shots, pages):
    os.makedirs(shots, exist_ok=True)
    urls = ["file://" + os.path.abspath(os.path.join(site, p)) for p in pages]
    with tempfile.TemporaryDirectory() as d:
        h = os.path.join(d, "harness.html")
        open(h, "w").write(HARNESS % json.dumps(urls))
        out, _ = chromium("--allow-file-access-from-files", "--virtual-time-budget=20000",
                          "--dump-dom", "file://" + h, timeout=300)
    m = re.search(r'<pre id="out">(.*?)</pre>', out, re.S)
    lines = m.group(1).strip().splitlines() if m else []
    check(len(lines) == 2 * len(urls), f"layout harness measured {len(lines)} of {2 * len(urls)} pages")
    for l in lines:
        check(l.endswith(" ok"), f"layout: {l}")
    for p in pages[:2]:
        for w in (360, 1600):
            shot = os.path.join(shots, p.replace("/", "-").replace(".html", f"-{w}.png"))
            chromium(f"--window-size={w},1200", f"--screenshot={shot}",
                     "file://" + os.path.abspath(os.path.join(site, p)))
            check(os.path.isfile(shot), f"no screenshot {shot}")
            print("screenshot:", shot)


def main():
    global STATIC
    a = sys.argv[1:]
    hostile = a and a[0] == "--hostile"
    if a and a[0] == "--static":
        STATIC = True
        check_report(a[1], json.load(open(a[2])))
        print(f"{checks} checks, {failures} failures")
        return 1 if failures else 0
    if hostile:
        site, shots = a[1], a[2]
        doms, ids = load(site)
        check_safe(doms)
        check_links(site, doms, ids)
        texts = "".join(d.text() for d in doms.values())
        check("<script>alert(1)</script>" in texts, "the statement's <script> is not shown as text")
        check("<b>bold</b>" in texts, "the statement's <b> is not shown as text")
        check("\u0627\u0644\u0623\u0645\u0646" in texts, "the right-to-left text is missing")
        pages = sorted(pages_of(site))
    else:
        site, log, shots = a[0], json.load(open(a[1])), a[2]
        check_report(site, log)
        pages = sorted(pages_of(site))
        pages.remove("index.html")
        pages.insert(0, "index.html")
        pos = [p for p in pages if p.startswith("positions/")][:1]
        pages = ["index.html"] + pos + [p for p in pages if p not in pos and p != "index.html"]
        os.makedirs(shots, exist_ok=True)
        shot = os.path.join(shots, "overview.png")
        chromium("--window-size=1280,1600", f"--screenshot={shot}",
                 "file://" + os.path.abspath(os.path.join(site, "index.html")))
        if check(os.path.isfile(shot), "no screenshot of the overview"):
            check_not_blank(shot)
    check_layout(site, shots, pages)
    print(f"{checks} checks, {failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
