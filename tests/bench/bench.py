#!/usr/bin/env python3
"""bench.py - posdiff side by side with git, in one run (driven by run.sh).

Every comparison runs both tools on the same input in the same run,
interleaved (posdiff, git, posdiff, git, ...), each repetition from the
same starting state; setup and restore are never timed.  A sample is
the wall time of whole processes; peak RSS comes from wait4(2) of that
very process.  The table reports min and median and the ratios
posdiff / peer of both, and whether each target is met (issue 15:
build <= 1.0x git fast-import, log <= 0.25x build, add+build <= 1.5x
git add+commit, peak RSS <= 128 MiB, each cache >= 10% on what it
serves; issue 16: build and log <= 1.3x the --baseline posdiff;
issue 21: each interactive command at N within 2x its time at 1 000 or
5x git's nearest equivalent at N, and <= 128 MiB; build <= 256 MiB at
100 000).

Comparisons (N statements from gen_corpus.py):
  build    posdiff build (normalize + align + write)  vs  git fast-import
           of the same normalized files, one commit each
  incr     posdiff add + build of one more statement  vs  git add + commit
           of its normalized file in a repository with the same commits
  caches   add+build (log for posdiff-steps) without each cache beside
           the history  vs  with it
  baseline build and log  vs  an earlier posdiff binary (--baseline)
  wdiff    100 x posdiff diff A B --words             vs  git diff --no-index
           --word-diff A B (consecutive normalized statements)
  log      posdiff log --format=json over the history  vs  posdiff build
  discover posdiff discover over the corpus (no history)  vs  posdiff build
  report   posdiff report -o DIR (the static site)  vs  posdiff log --format=json
           written to a file (both put their product on the same disk)
  interactive  on the built history, in the corpus directory (--no-pager,
           NO_COLOR=1), A, B = the last two statements, ID = the newest,
           D = one year before ID's date; git on the history (branch main):
             posdiff diff A B           vs  git diff --word-diff main:A.md main:B.md
             posdiff diff HEAD~1 HEAD   vs  git show --word-diff main
             posdiff blame data-security  vs  git blame main -- positions/data-security.md
             posdiff positions --matrix, check --new ID (exit 0 or 1),
             log data-security --since D  (no git equivalent)
           a row per command and N (target: peak RSS <= 128 MiB), and
           t(N) / t(1 000) for each larger N (<= 2, or <= 5x git at N);
           each command's exit code checked once, untimed, under GNU time
           (the "own" RSS: without the harness's floor, see probe)
  scaling  time(10 000) / time(1 000) of build, log and discover; peak RSS of build
           at each N (<= 128 MiB at 10 000, <= 256 MiB at 100 000)
  patho    time(2n) / time(n) of: one statement of near-identical
           sentences; one 2 x n-token sentence that differs everywhere;
           a position whose phrase matches every sentence
  big      a corpus of two long statements, the second an edited copy of
           the first (a new session of a long statement), at 1, 2, 4, 8
           and 16 MiB: build at each size, t(16 MiB) / t(1 MiB) <= 16
           (issue 21: linear); diff A B and diff --no-index of the two
           normalized files at 16 MiB vs git diff --no-index --word-diff
           of those files (information)
  (--skip series leaves out the N-statement rows: build, log, discover,
  report and the scaling rows)

The 100 000 rows (issue 21; minutes, not in CI): run.sh --sizes
1000,10000,100000 [--skip incr,caches,wdiff,patho]; the interactive
rows alone: --skip build,log,discover,report,incr,caches,wdiff,patho,big
--probe-timeout 120 (a command whose first run takes longer is not
timed).
"""
import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))


def big_statements(nbytes, seed=21):
    """Two raw statements of at most @nbytes each: the shipped statements
    concatenated with the variations of gen_corpus.py (each part one
    statement of its series, under a "## Part k" heading), and a copy of
    that text edited as gen_corpus.py edits a statement for its next
    session (sentences reworded, dropped, a pool sentence added)."""
    sys.path.insert(0, HERE)
    import gen_corpus as g
    src = os.path.join(ROOT, "corpus")
    rng = random.Random(seed)
    series = g.Series(rng, g.load_statements(src), g.load_positions(os.path.join(src, "positions.conf")))
    a, b, size, k = [], [], 0, 0
    while True:
        k += 1
        pa, pb = ["## Part %d" % k], ["## Part %d" % k]
        for h, ss in series.doc:
            if h:
                pa.append("## " + " ".join(ss))
                pb.append(pa[-1])
                continue
            pa.append(" ".join(ss))
            out = []
            for x in ss:
                r = rng.random()
                if r >= 0.025:
                    out.append(g.reword(rng, x) if r < 0.105 else x)
                if rng.random() < 0.03:
                    out.append(rng.choice(series.pool))
            if out:
                pb.append(" ".join(out))
        ta, tb = "\n\n".join(pa) + "\n\n", "\n\n".join(pb) + "\n\n"
        grow = max(len(ta.encode()), len(tb.encode()))
        if size + grow > nbytes:
            break
        a.append(ta)
        b.append(tb)
        size += grow
        series.step()
    return "".join(a), "".join(b)


class Timeout(Exception):
    pass


def child_env():
    return dict(os.environ, LC_ALL="C.UTF-8", NO_COLOR="1", GIT_PAGER="cat",
                PAGER="cat", POSDIFF_PAGER="cat", GIT_CONFIG_NOSYSTEM="1")


def run(cmd, cwd=None, stdin=None, stdout=subprocess.DEVNULL, timeout=600, ok=(0,)):
    """(seconds, peak RSS KiB) of one process; raises on failure."""
    env = child_env()
    fin = open(stdin, "rb") if stdin else subprocess.DEVNULL
    # stderr to a file, not a pipe: a child that reports much there (build
    # lists every commit it writes) would block on a full pipe
    ferr = tempfile.TemporaryFile()
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, stdin=fin, stdout=stdout, stderr=ferr, env=env)
    # A blocking wait4 returns the moment the child ends (polling with
    # sleeps would round every sample up to the poll period); a timer
    # thread kills the child if it runs over, which ends the wait.  The
    # child is not reaped before wait4, so its pid cannot be reused.
    timed_out = threading.Event()

    def kill():
        timed_out.set()
        p.kill()

    timer = threading.Timer(timeout, kill)
    timer.daemon = True
    timer.start()
    try:
        _, status, ru = os.wait4(p.pid, 0)
    finally:
        timer.cancel()
    dt = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)  # reaped: Popen must not wait again
    if timed_out.is_set():
        raise Timeout("%s: over %d s" % (" ".join(cmd[:4]), timeout))
    if stdin:
        fin.close()
    rc = p.returncode
    ferr.seek(0)
    err = ferr.read().decode(errors="replace")
    ferr.close()
    if rc not in ok:
        raise RuntimeError("%s: exit %d: %s" % (" ".join(cmd), rc, err.strip()[-800:]))
    return dt, ru.ru_maxrss


def sh(cmd, **kw):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, **kw)


class Sample:
    def __init__(self):
        self.t, self.rss, self.error = [], [], None
        self.own = None  # peak RSS (KiB) of an untimed run under GNU time

    def add(self, t, rss):
        self.t.append(t)
        self.rss.append(rss)

    @property
    def min(self):
        return min(self.t) if self.t else None

    @property
    def med(self):
        return statistics.median(self.t) if self.t else None

    @property
    def peak(self):
        return max(self.rss) if self.rss else None


def measure(sample, fn):
    if sample.error:
        return
    try:
        t, rss = fn()
        sample.add(t, rss)
    except (Timeout, RuntimeError, subprocess.CalledProcessError) as e:
        sample.error = str(e)
        print("  ! %s" % e, file=sys.stderr)


class Bench:
    def __init__(self, a):
        self.a, self.bin, self.work = a, a.posdiff, os.path.abspath(a.work)
        self.rows, self.notes = [], []
        os.makedirs(self.work, exist_ok=True)

    def pd(self, *args):
        return [self.bin] + list(args)

    # ---- data ----------------------------------------------------------
    def corpus(self, n):
        d = os.path.join(self.work, "corpus-%d" % n)
        if not os.path.exists(os.path.join(d, "statements.conf")):
            shutil.rmtree(d, ignore_errors=True)
            sh([sys.executable, os.path.join(HERE, "gen_corpus.py"), "--n", str(n), "--out", d])
        return d

    def normalized(self, n, c):
        """Directory of the normalized statements (from a first build) and the
        fast-import stream committing them one by one."""
        out = os.path.join(self.work, "norm-%d" % n)
        stream = out + ".fi"
        if os.path.exists(stream):
            return out, stream
        shutil.rmtree(os.path.join(c, ".posdiff"), ignore_errors=True)
        run(self.pd("-C", c, "build"), timeout=self.a.timeout)
        repo = os.path.join(c, ".posdiff", "history.git")
        # The log is read a record at a time: the harness's peak RSS is the
        # floor of every later child's ru_maxrss (see probe), and the whole
        # log of 100 000 commits would raise it by ~100 MiB.
        gl = subprocess.Popen(["git", "--git-dir", repo, "log", "--reverse",
                               "--format=%H %at%x00%an%x00%ae%x00%B%x01"], stdout=subprocess.PIPE)

        def records():
            buf = b""
            for chunk in iter(lambda: gl.stdout.read(1 << 16), b""):
                buf += chunk
                *done, buf = buf.split(b"\x01")
                for x in done:
                    yield x.decode()
            yield buf.decode()
        os.makedirs(out, exist_ok=True)
        with open(stream + ".tmp", "wb") as fi:
            for k, rec in enumerate(x for x in records() if x.strip()):
                head, name, email, msg = rec.strip("\n").split("\x00", 3)
                sha, at = head.split()
                sid = [l.split(": ", 1)[1] for l in msg.splitlines() if l.startswith("Statement-Id: ")][0]
                date = [l.split(": ", 1)[1] for l in msg.splitlines() if l.startswith("Date: ")][0]
                path = "statements/%s/%s.md" % (date[:4], sid)  # posdiff's layout, for both
                md = subprocess.run(["git", "--git-dir", repo, "cat-file", "blob", "%s:%s" % (sha, path)],
                                    check=True, capture_output=True).stdout
                with open(os.path.join(out, "%06d-%s.md" % (k, sid)), "wb") as f:
                    f.write(md)
                m = msg.encode()
                fi.write(b"commit refs/heads/main\nmark :%d\n" % (k + 1))
                fi.write(b"author %s <%s> %s +0000\n" % (name.encode(), email.encode(), at.encode()))
                fi.write(b"committer %s <%s> %s +0000\n" % (name.encode(), email.encode(), at.encode()))
                fi.write(b"data %d\n%s\n" % (len(m), m))
                if k:
                    fi.write(b"from :%d\n" % k)
                fi.write(b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(md), md))
        if gl.wait():
            raise subprocess.CalledProcessError(gl.returncode, "git log")
        os.rename(stream + ".tmp", stream)
        return out, stream

    # ---- comparisons -----------------------------------------------------
    def row(self, name, n, a, b, target=None, peer="git", ratio_max=None, note="",
            ratio_min=None, met=None):
        """b None: no peer; met(a, b) -> "yes" / "NO" instead of a ratio bound."""
        self.rows.append(dict(name=name, n=n, a=a, b=b, peer=peer, target=target,
                              ratio_max=ratio_max, ratio_min=ratio_min, note=note, met=met))

    def cmp_build(self, n):
        c = self.corpus(n)
        if "build" in self.a.skip:  # one build from scratch, its time and peak RSS only
            a = Sample()
            shutil.rmtree(os.path.join(c, ".posdiff"), ignore_errors=True)
            measure(a, lambda: run(self.pd("-C", c, "build"), timeout=self.a.timeout))
            self.builds[n] = a
            return c, None
        norm, stream = self.normalized(n, c)
        gitrepo = os.path.join(self.work, "fi-%d.git" % n)
        a, b = Sample(), Sample()

        def posdiff_build():
            shutil.rmtree(os.path.join(c, ".posdiff"), ignore_errors=True)
            return run(self.pd("-C", c, "build"), timeout=self.a.timeout)

        def git_fi():
            shutil.rmtree(gitrepo, ignore_errors=True)
            sh(["git", "init", "-q", "--bare", gitrepo])
            return run(["git", "--git-dir", gitrepo, "fast-import", "--quiet"], stdin=stream,
                       timeout=self.a.timeout)

        for _ in range(self.reps(n)):
            measure(a, posdiff_build)
            measure(b, git_fi)
        self.row("build", n, a, b, "ratio <= 1.0", "git fast-import", 1.0)
        self.builds[n] = a
        return c, norm

    def cmp_log(self, n, c):
        a = Sample()
        for _ in range(self.reps(n)):
            measure(a, lambda: run(self.pd("-C", c, "log", "--format=json"), timeout=self.a.timeout))
        self.row("log --format=json", n, a, self.builds[n], "log < build / 4", "posdiff build", 0.25)
        self.logs[n] = a

    def cmp_discover(self, n, c):
        a = Sample()
        for _ in range(self.reps(n)):
            measure(a, lambda: run(self.pd("-C", c, "discover"), timeout=self.a.timeout))
        self.row("discover", n, a, self.builds[n], "information", "posdiff build")
        self.discovers[n] = a

    def cmp_report(self, n, c):
        """posdiff report -o DIR vs log --format=json > FILE over the same
        history (issue 19: at most 3x), both writing their product to the
        same disk, interleaved; and the overview's size (usable: over 400
        statements the matrix and the position pages go by year)."""
        a, b = Sample(), Sample()
        out = os.path.join(self.work, "report-%d" % n)
        logf = os.path.join(self.work, "log-%d.json" % n)

        def log_to_file():
            with open(logf, "wb") as f:
                return run(self.pd("-C", c, "log", "--format=json"), stdout=f, timeout=self.a.timeout)
        for _ in range(self.reps(n)):
            measure(a, lambda: run(self.pd("-C", c, "report", "-o", out), timeout=self.a.timeout))
            measure(b, log_to_file)
        size = os.path.getsize(os.path.join(out, "index.html"))
        self.row("report", n, a, b, "report <= 3 x log", "posdiff log --format=json > file", 3.0,
                 note="index.html %d KiB" % (size // 1024))

    def incr_copy(self, n, c):
        """A prepared copy of corpus @c for add+build of one more statement:
        (its normalized text, its date, a function timing add+build that
        puts the copy back as it was afterwards, untimed)."""
        w = os.path.join(self.work, "incr-%d" % n)
        raw = os.path.join(self.work, "new-statement.txt")
        src = open(os.path.join(ROOT, "corpus", "statements", "2021-12-14-oewg.txt"), encoding="utf-8").read()
        with open(raw, "w", encoding="utf-8") as f:
            f.write(src + "\nIn closing, data security deserves a new sentence of its own.\n")
        md = subprocess.run(self.pd("normalize", raw), check=True, capture_output=True).stdout
        date = "2999-01-01"

        # Both sides work in one prepared copy that each repetition puts
        # back as it was (untimed), as the git side does with reset --hard:
        # a fresh copy per repetition would change every raw file's inode
        # and so defeat posdiff's stat cache of raw files (git's index
        # would be defeated the same way by a fresh clone).
        shutil.rmtree(w, ignore_errors=True)
        sh(["cp", "-a", c, w])
        # The stat cache of raw files (like git's index) does not trust
        # files changed in the last 2 s ("racy"): let the copy's ctimes
        # age before the build that fills it for this copy.
        time.sleep(3)
        run(self.pd("-C", w, "build"), timeout=self.a.timeout)
        wrepo = os.path.join(w, ".posdiff", "history.git")
        head = subprocess.run(["git", "--git-dir", wrepo, "rev-parse", "HEAD"], check=True,
                              capture_output=True, text=True).stdout.strip()
        saved = {}
        for name in ("statements.conf", ".posdiff/corpus-cache",
                     ".posdiff/history.git/posdiff-tracker",
                     ".posdiff/history.git/posdiff-rawhash",
                     ".posdiff/history.git/posdiff-chain"):
            pth = os.path.join(w, name)
            if os.path.exists(pth):
                saved[pth] = open(pth, "rb").read()
        steps = os.path.join(wrepo, "posdiff-steps")
        steps_len = os.path.getsize(steps) if os.path.exists(steps) else None

        def posdiff_restore():
            for pth, data in saved.items():
                with open(pth, "wb") as f:
                    f.write(data)
            if steps_len is not None:
                os.truncate(steps, steps_len)
            for extra in ("new-statement.txt", "new-statement.md"):
                pth = os.path.join(w, "statements", extra)
                if os.path.exists(pth):
                    os.unlink(pth)
            sh(["git", "--git-dir", wrepo, "update-ref", "refs/heads/main", head])

        def posdiff_incr(drop=()):
            for name in drop:  # a cache left out (untimed); restore puts it back
                os.unlink(os.path.join(w, name))
            try:
                t1, r1 = run(self.pd("-C", w, "add", raw, "--date", date, "--id", "new-statement",
                                     "--title", "A new statement"), timeout=self.a.timeout)
                t2, r2 = run(self.pd("-C", w, "build"), timeout=self.a.timeout)
            finally:
                posdiff_restore()
            return t1 + t2, max(r1, r2)
        return md, date, posdiff_incr

    def cmp_caches(self, n, c):
        """Each cache beside the history against the operation it serves
        without it: it stays only when that is >= 10% slower."""
        _, _, incr = self.incr_copy(n, c)
        repo = ".posdiff/history.git/"
        for name in (".posdiff/corpus-cache", repo + "posdiff-rawhash", repo + "posdiff-chain",
                     repo + "posdiff-tracker"):
            a, b = Sample(), Sample()
            for _ in range(self.reps(n)):
                measure(a, lambda: incr((name,)))
                measure(b, incr)
            self.row("cache %s: add+build without / with" % os.path.basename(name), n, a, b,
                     "ratio >= 1.1", "with it", ratio_min=1.1)
        steps = os.path.join(c, repo, "posdiff-steps")
        a, b = Sample(), Sample()

        def log(drop):
            if drop:
                os.rename(steps, steps + ".away")
            try:
                return run(self.pd("-C", c, "log", "--format=json"), timeout=self.a.timeout)
            finally:
                if drop:
                    os.replace(steps + ".away", steps)
        for _ in range(self.reps(n)):
            measure(a, lambda: log(True))
            measure(b, lambda: log(False))
        self.row("cache posdiff-steps: log without / with", n, a, b, "ratio >= 1.1", "with it",
                 ratio_min=1.1)

    def cmp_baseline(self, n, c):
        """build and log against an earlier posdiff (--baseline) on the same
        statements, the earlier one with its own catalog (--baseline-catalog)."""
        old = os.path.join(self.work, "baseline-%d" % n)
        shutil.rmtree(old, ignore_errors=True)
        sh(["cp", "-a", c, old])
        if self.a.baseline_catalog:
            shutil.copyfile(self.a.baseline_catalog, os.path.join(old, "positions.conf"))
        base = [os.path.abspath(self.a.baseline)]

        def build(cmd, d):
            shutil.rmtree(os.path.join(d, ".posdiff"), ignore_errors=True)
            return run(cmd + ["-C", d, "build"], timeout=self.a.timeout)
        a, b = Sample(), Sample()
        for _ in range(self.reps(n)):
            measure(a, lambda: build(self.pd(), c))
            measure(b, lambda: build(base, old))
        self.row("build", n, a, b, "ratio <= 1.3", "baseline posdiff", 1.3)
        a, b = Sample(), Sample()
        for _ in range(self.reps(n)):
            measure(a, lambda: run(self.pd("-C", c, "log", "--format=json"), timeout=self.a.timeout))
            measure(b, lambda: run(base + ["-C", old, "log", "--format=json"], timeout=self.a.timeout))
        self.row("log --format=json", n, a, b, "ratio <= 1.3", "baseline posdiff", 1.3)

    def cmp_incr(self, n, c, norm):
        stream = self.normalized(n, c)[1]
        g = os.path.join(self.work, "incr-%d-git" % n)
        shutil.rmtree(g, ignore_errors=True)
        sh(["git", "init", "-q", g])
        sh(["git", "-C", g, "config", "gc.auto", "0"])
        run(["git", "-C", g, "fast-import", "--quiet"], stdin=stream, timeout=self.a.timeout)
        sh(["git", "-C", g, "checkout", "-q", "-f", "main"])
        md, date, posdiff_incr = self.incr_copy(n, c)
        a, b = Sample(), Sample()

        def git_incr():
            os.makedirs(os.path.join(g, "statements", date[:4]), exist_ok=True)
            with open(os.path.join(g, "statements", date[:4], "new-statement.md"), "wb") as f:
                f.write(md)
            t1, r1 = run(["git", "-C", g, "add", "statements/%s/new-statement.md" % date[:4]])
            t2, r2 = run(["git", "-C", g, "-c", "user.name=b", "-c", "user.email=b@b", "commit",
                          "-q", "-m", "A new statement"])
            sh(["git", "-C", g, "reset", "-q", "--hard", "HEAD~1"])
            return t1 + t2, max(r1, r2)

        for _ in range(self.reps(n)):
            measure(a, posdiff_incr)
            measure(b, git_incr)
        self.row("incremental add+build", n, a, b, "ratio <= 1.5", "git add+commit", 1.5)

    def diff_cmd(self, x, y):
        forms = [["diff", "--no-index", x, y, "--words", "--no-pager"],
                 ["diff", x, y, "--words", "--no-pager"],
                 ["--no-pager", "diff", "--no-index", x, y, "--words"]]
        for f in forms:
            p = subprocess.run(self.pd(*f), capture_output=True)
            if p.returncode in (0, 1) and p.stdout:
                return f
        return None

    def cmp_wdiff(self, norm, pairs=100):
        files = sorted(os.listdir(norm))
        step = max(1, (len(files) - 1) // pairs)
        ps = [(os.path.join(norm, files[i]), os.path.join(norm, files[i + 1]))
              for i in range(0, len(files) - 1, step)][:pairs]
        a, b = Sample(), Sample()
        form = self.diff_cmd(*ps[0])
        if not form:
            a.error = "posdiff diff FILE FILE --words is not available in this build"

        def many(mk):
            def f():
                tot, peak = 0.0, 0
                for x, y in ps:
                    t, r = run(mk(x, y), ok=(0, 1))
                    tot, peak = tot + t, max(peak, r)
                return tot, peak
            return f

        def pd_form(x, y):
            return self.pd(*[x if s == ps[0][0] else y if s == ps[0][1] else s for s in form])

        for _ in range(self.reps(0)):
            measure(a, many(pd_form))
            measure(b, many(lambda x, y: ["git", "diff", "--no-index", "--word-diff", x, y]))
        self.row("word diff x%d pairs" % len(ps), len(ps), a, b, "information",
                 "git diff --no-index --word-diff", note=" ".join(form) if form else "")

    # ---- interactive commands (issue 21) -----------------------------------
    RSS_MAX = 128 * 1024  # KiB, each interactive command
    GNU_TIME = "/usr/bin/time"

    def probe(self, cmd, cwd):
        """(exit code, stderr, own peak RSS KiB or None) of one untimed run.
        A child of this harness reports through wait4 at least the harness's
        RSS at the spawn (exec keeps the larger of the old and the new
        image's peak): that floor is in the timed samples' RSS.  GNU time
        forks the command from its own small image, so its %M is the
        command's own peak."""
        gtime = os.access(self.GNU_TIME, os.X_OK)
        with tempfile.NamedTemporaryFile() as tf, tempfile.TemporaryFile() as err:
            full = ([self.GNU_TIME, "-f", "%M", "-o", tf.name] if gtime else []) + cmd
            limit = self.a.probe_timeout or self.a.timeout
            p = subprocess.Popen(full, cwd=cwd, env=child_env(), stdin=subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
            try:
                p.wait(timeout=limit)
            except subprocess.TimeoutExpired:  # GNU time and the command under it
                os.killpg(p.pid, 9)
                p.wait()
                return -1, "over %d s (--probe-timeout; not timed)" % limit, None
            err.seek(0)
            msg = err.read().decode(errors="replace").strip()[-800:]
            own = None
            if gtime:
                # "Command exited with non-zero status N" comes first when it did
                lines = open(tf.name).read().split()
                own = int(lines[-1]) if lines and lines[-1].isdigit() else None
            return p.returncode, msg, own

    def rss_floor(self):
        """ru_maxrss that wait4 reports for /bin/true started by this harness."""
        try:
            return run(["true"])[1]
        except (RuntimeError, OSError):
            return None

    def cmp_interactive(self, n, c):
        """The commands a reader runs and the CI gate (issue 21), on the
        built history of corpus @c, each against git's nearest equivalent
        where there is one (posdiff, git, posdiff, git, ...), in the corpus
        directory; the history is built once, untimed (cmp_build has built
        it already: then this build finds nothing to do)."""
        ids, dates = [], []
        cur = None
        for line in open(os.path.join(c, "statements.conf"), encoding="utf-8"):
            line = line.strip()
            if line.startswith('[statement "'):
                cur = line[len('[statement "'):line.rindex('"')]
                ids.append(cur)
                dates.append("")
            elif cur and line.startswith("date") and "=" in line:
                dates[-1] = line.split("=", 1)[1].strip().strip('"')
        a_id, b_id = ids[-2], ids[-1]  # the last two statements
        k = max(range(len(ids)), key=lambda i: (dates[i], i))  # the newest
        y, m, d = (int(x) for x in dates[k].split("-"))
        since = "%04d-%02d-%02d" % (y - 1, m, 28 if (m, d) == (2, 29) else d)
        repo = os.path.join(c, ".posdiff", "history.git")
        branch = "main"  # POSDIFF_HISTORY_BRANCH, lib/include/posdiff/history.h
        pos = "positions/data-security.md"
        setup_error = None
        try:
            run(self.pd("-C", c, "build"), timeout=self.a.timeout)
            tree = subprocess.run(["git", "--git-dir", repo, "ls-tree", "-r", "--name-only", branch],
                                  check=True, capture_output=True, text=True).stdout.splitlines()
            path = {}
            for p in tree:
                path.setdefault(os.path.basename(p), p)
            pa, pb = path[a_id + ".md"], path[b_id + ".md"]
            if pos not in tree:
                raise RuntimeError("%s is not in the history's tree" % pos)
        except (Timeout, RuntimeError, subprocess.CalledProcessError, KeyError) as e:
            setup_error = "setup: %s" % e
            pa = pb = "?"
        g = ["git", "--git-dir", repo]
        cmds = [  # name, posdiff arguments, git's equivalent, its title, posdiff's good exits
            ("diff A B", ["diff", a_id, b_id],
             g + ["diff", "--word-diff", "%s:%s" % (branch, pa), "%s:%s" % (branch, pb)],
             "git diff --word-diff REV:A REV:B", (0,)),
            ("diff HEAD~1 HEAD", ["diff", "HEAD~1", "HEAD"], g + ["show", "--word-diff", branch],
             "git show --word-diff " + branch, (0,)),
            ("blame data-security", ["blame", "data-security"], g + ["blame", branch, "--", pos],
             "git blame %s -- %s" % (branch, pos), (0,)),
            ("positions --matrix", ["positions", "--matrix"], None, None, (0,)),
            # check exits 1 when a finding is in --fail-on (default: invalid)
            ("check --new ID", ["check", "--new", ids[k]], None, None, (0, 1)),
            ("log data-security --since D", ["log", "data-security", "--since", since], None, None, (0,)),
        ]
        for name, args, git, peer, ok in cmds:
            pcmd = self.pd("--no-pager", *args)
            a, b = Sample(), (Sample() if git else None)
            note = " ".join(args) if " ".join(args) != name else ""
            for s, cmd, good in ((a, pcmd, ok), (b, git, (0,))):
                if s is None:
                    continue
                if setup_error:
                    s.error = setup_error
                    continue
                rc, msg, s.own = self.probe(cmd, c)  # the exit code, once, untimed
                if rc not in good:
                    s.error = "%s: exit %d: %s" % (" ".join(cmd[:6]), rc, msg)
                    print("  ! %s" % s.error, file=sys.stderr)
                elif s is a and len(good) > 1:
                    note += "%sexit %d" % (": " if note else "", rc)
            for _ in range(self.reps(n)):
                measure(a, lambda: run(pcmd, cwd=c, ok=ok, timeout=self.a.timeout))
                if b is not None:
                    measure(b, lambda: run(git, cwd=c, timeout=self.a.timeout))
            self.inter.setdefault(name, {})[n] = (a, b)
            # the command's own peak where GNU time gave it: wait4's has the
            # harness's peak as a floor
            self.row(name, n, a, b, "peak RSS <= 128 MiB", peer or "-", note=note,
                     met=lambda a, b: "yes" if (a.own or a.peak) <= self.RSS_MAX else "NO")
        self.floors.append(self.rss_floor())

    def interactive_scaling(self, sizes):
        """t(N) / t(1 000) of each interactive command: met when <= 2, or
        when t(N) <= 5 x git's t(N) (issue 21)."""
        base = 1000 if 1000 in sizes else sizes[0]

        def met(a, b, g):
            if a.min <= 2 * b.min:
                return "yes"
            if g is not None and not g.error and g.min is not None and a.min <= 5 * g.min:
                return "yes"
            return "NO"
        for name, per in self.inter.items():
            for n in sizes:
                if n <= base or n not in per or base not in per:
                    continue
                a, g = per[n]
                note = ("5 x git = %.3f s" % (5 * g.min)) if g is not None and g.min is not None else ""
                self.row("scaling %s t(%d)/t(%d)" % (name, n, base), n, a, per[base][0],
                         "<= 2, or <= 5x git", "%s at %d" % (name, base), note=note,
                         met=lambda a, b, g=g: met(a, b, g))

    # ---- pathological inputs ---------------------------------------------
    def patho_corpus(self, name, n, make, positions=None):
        d = os.path.join(self.work, "patho-%s-%d" % (name, n))
        if not os.path.exists(os.path.join(d, "statements.conf")):
            shutil.rmtree(d, ignore_errors=True)
            os.makedirs(os.path.join(d, "statements"))
            texts = make(n)
            with open(os.path.join(d, "statements.conf"), "w") as conf:
                for i, t in enumerate(texts):
                    with open(os.path.join(d, "statements", "p%d.txt" % i), "w") as f:
                        f.write(t)
                    conf.write('[statement "p%d"]\n\tfile = statements/p%d.txt\n\tdate = 20%02d-01-01\n' % (i, i, 10 + i))
            shutil.copyfile(positions or os.path.join(ROOT, "corpus", "positions.conf"),
                            os.path.join(d, "positions.conf"))
        return d

    def cmp_patho(self):
        rnd = random.Random(6)
        words = ("states cyberspace security order rules norms cooperation "
                 "development peace stability governance infrastructure").split()

        def near_identical(n):  # n sentences, every 100th on data security
            a = "".join("States should protect the critical infrastructure of partner number %d%s. "
                        % (i, " and data security" if i % 100 == 0 else "") for i in range(n))
            b = a.replace("number 7", "no. 7").replace("partner number 3", "partners number 3")
            return [a + "\n", b + "\n"]

        def long_sentence(n):  # one sentence of n tokens, differing everywhere
            va = ["a%d" % i for i in range(500)] + words
            vb = ["b%d" % i for i in range(500)] + words
            a = "Data security " + " ".join(rnd.choice(va) for _ in range(n)) + ".\n"
            b = "Data security " + " ".join(rnd.choice(vb) for _ in range(n)) + ".\n"
            return [a, b]

        pool = [l for l in open(os.path.join(ROOT, "corpus", "statements", "2025-02-oewg-10.txt"),
                                encoding="utf-8").read().split(". ") if len(l.split()) > 6]

        def all_match(n):  # n sentences per statement, all stating the one position
            out = []
            for k in range(3):
                out.append(" ".join("In cyberspace, %s (case %d)." % (rnd.choice(pool).strip().rstrip("."), rnd.randrange(n))
                                    for _ in range(n)) + "\n")
            return out

        allpos = os.path.join(self.work, "positions-all.conf")
        with open(allpos, "w") as f:
            f.write('[position "everything"]\n\ttitle = Every sentence\n\tmatch = cyberspace\n')
        sm = self.a.smoke
        cases = [("near-identical sentences", "near", 5000 if sm else 50000, near_identical, None),
                 ("one sentence, tokens differ everywhere", "long", 5000 if sm else 100000, long_sentence, None),
                 ("phrase matches every sentence", "all", 300 if sm else 2000, all_match, allpos)]
        for title, key, n, make, pos in cases:
            a, b = Sample(), Sample()
            ca = self.patho_corpus(key, n, make, pos)
            cb = self.patho_corpus(key, 2 * n, make, pos)
            for _ in range(self.reps(0)):
                for s, c in ((a, ca), (b, cb)):
                    def f(c=c):
                        shutil.rmtree(os.path.join(c, ".posdiff"), ignore_errors=True)
                        return run(self.pd("-C", c, "build"), timeout=self.a.patho_timeout)
                    measure(s, f)
            self.row("patho build: " + title, 2 * n, b, a, "t(2n)/t(n) <= 2.5", "same at n", 2.5)
            if key in ("near", "long"):
                form = self.diff_cmd(os.path.join(ca, "statements", "p0.txt"),
                                     os.path.join(ca, "statements", "p1.txt"))
                a, b = Sample(), Sample()
                if not form:
                    a.error = b.error = "posdiff diff FILE FILE not available"
                for _ in range(self.reps(0) if form else 0):
                    for s, c in ((a, ca), (b, cb)):
                        x, y = (os.path.join(c, "statements", p) for p in ("p0.txt", "p1.txt"))
                        args = [x if v.endswith("p0.txt") else y if v.endswith("p1.txt") else v for v in form]
                        measure(s, lambda: run(self.pd(*args), ok=(0, 1), timeout=self.a.patho_timeout))
                self.row("patho diff: " + title, 2 * n, b, a, "t(2n)/t(n) <= 2.5", "same at n", 2.5)

    # ---- one long statement -------------------------------------------
    def big_corpus(self, nbytes):
        d = os.path.join(self.work, "big-%d" % nbytes)
        if not os.path.exists(os.path.join(d, "statements.conf")):
            shutil.rmtree(d, ignore_errors=True)
            os.makedirs(os.path.join(d, "statements"))
            texts = big_statements(nbytes)
            for name, t in zip("ab", texts):
                with open(os.path.join(d, "statements", name + ".txt"), "w", encoding="utf-8") as f:
                    f.write(t)
            with open(os.path.join(d, "statements.conf"), "w") as conf:
                conf.write('[statement "a"]\n\tfile = statements/a.txt\n\tdate = 2024-01-01\n'
                           '[statement "b"]\n\tfile = statements/b.txt\n\tdate = 2025-01-01\n')
            shutil.copyfile(os.path.join(ROOT, "corpus", "positions.conf"),
                            os.path.join(d, "positions.conf"))
        return d

    def cmp_big(self):
        """build of two long statements (the second an edited copy of the
        first) at each size, interleaved; its growth from the smallest to
        the largest size (issue 21: at most linear); and at the largest,
        diff A B and diff --no-index of the normalized files against git's
        word diff of the same files."""
        mib = 1 << 20
        sizes = [64 << 10, 128 << 10] if self.a.smoke else [mib, 2 * mib, 4 * mib, 8 * mib, 16 * mib]

        def label(n):
            return "%d MiB" % (n // mib) if n >= mib else "%d KiB" % (n >> 10)
        dirs = {n: self.big_corpus(n) for n in sizes}
        builds = {n: Sample() for n in sizes}

        def build(d):
            shutil.rmtree(os.path.join(d, ".posdiff"), ignore_errors=True)
            return run(self.pd("-C", d, "build"), timeout=self.a.timeout)
        for _ in range(self.reps(0)):
            for n in sizes:
                measure(builds[n], lambda: build(dirs[n]))
        small, big = sizes[0], sizes[-1]
        for n in sizes[1:-1]:
            self.row("big build: two statements of %s" % label(n), label(n), builds[n], builds[small],
                     "information", "build at %s" % label(small))
        self.row("scaling build t(%s)/t(%s)" % (label(big), label(small)), label(big), builds[big],
                 builds[small], "<= %d" % (big // small), "build at %s" % label(small), float(big // small))
        d = dirs[big]
        if builds[big].error:
            return
        build(d)  # the history diff A B reads
        md = []
        for sid in "ab":
            pth = os.path.join(self.work, "big-%d-%s.md" % (big, sid))
            with open(pth, "wb") as f:
                run(self.pd("-C", d, "normalize", sid), stdout=f, timeout=self.a.timeout)
            md.append(pth)
        git = ["git", "diff", "--no-index", "--word-diff", md[0], md[1]]
        for what, cmd in (("diff A B", self.pd("-C", d, "--no-pager", "diff", "a", "b")),
                          ("diff --no-index of the normalized files",
                           self.pd("--no-pager", "diff", "--no-index", md[0], md[1], "--words"))):
            a, b = Sample(), Sample()
            for _ in range(self.reps(0)):
                measure(a, lambda: run(cmd, ok=(0, 1), timeout=self.a.timeout))
                measure(b, lambda: run(git, ok=(0, 1), timeout=self.a.timeout))
            self.row("big %s (normalized %d + %d bytes)" % (what, os.path.getsize(md[0]), os.path.getsize(md[1])),
                     label(big), a, b, "information", "git diff --no-index --word-diff")

    def reps(self, n):
        if self.a.smoke:
            return 1
        return self.a.reps_big if n >= 10000 else self.a.reps

    # ---- report ----------------------------------------------------------
    def scaling(self, small, big):
        for what, d in (("build", self.builds), ("log", self.logs), ("discover", self.discovers)):
            if small in d and big in d:
                self.row("scaling %s t(%d)/t(%d)" % (what, big, small), big, d[big], d[small],
                         "<= 11", "%s at %d" % (what, small), 11.0)

    def table(self):
        def f(x):
            return "-" if x is None else ("%.3f" % x if x < 10 else "%.1f" % x)

        def mib(k):
            return "-" if k is None else "%.0f" % (k / 1024)

        lines = ["| comparison | N | posdiff min / median (s) | peer | peer min / median (s) | ratio min / median | target | met | posdiff / peer peak RSS (MiB) |",
                 "|---|---:|---:|---|---:|---:|---|---|---:|"]
        verdicts = []
        def rss(s):
            if s is None:
                return "-"
            return mib(s.peak) + (" (own %s)" % mib(s.own) if s.own is not None else "")

        for r in self.rows:
            a, b = r["a"], r["b"]
            bad = a.error or (b.error if b is not None else None)
            if bad or a.min is None or (b is not None and b.min is None):
                rm = rmed = None
                met = "n/a: " + (bad or "no sample")[:120]
            else:
                rm, rmed = (a.min / b.min, a.med / b.med) if b is not None else (None, None)
                if r["met"] is not None:
                    met = r["met"](a, b)
                elif r["ratio_max"] is not None:
                    met = "yes" if rm <= r["ratio_max"] else "NO"
                elif r["ratio_min"] is not None:
                    met = "yes" if rm >= r["ratio_min"] else "NO"
                else:
                    met = "-"
            verdicts.append(met)
            lines.append("| %s | %s | %s / %s | %s | %s / %s | %s / %s | %s | %s | %s / %s |" % (
                r["name"] + (" (`%s`)" % r["note"] if r["note"] else ""), r["n"], f(a.min), f(a.med),
                r["peer"], f(b.min if b else None), f(b.med if b else None), f(rm), f(rmed),
                r["target"], met, rss(a), rss(b)))
        for n in sorted(self.builds):  # issue 15: <= 128 MiB at 10 000; issue 21: <= 256 at 100 000
            s = self.builds[n]
            if not s.peak:
                continue
            lim = 256 if n >= 100000 else 128 if n == 10000 else None
            ok = "-" if lim is None else "yes" if s.peak / 1024 <= lim else "NO"
            lines.append("| peak RSS of build | %d | %.0f MiB | | | | %s | %s | |" % (
                n, s.peak / 1024, "<= %d MiB" % lim if lim else "information", ok))
        return "\n".join(lines)

    def machine(self):
        def first(path, key):
            try:
                for l in open(path):
                    if l.startswith(key):
                        return l.split(":", 1)[1].strip()
            except OSError:
                pass
            return "?"
        bt = cc = "?"
        try:
            opts = json.load(open(os.path.join(self.a.builddir, "meson-info", "intro-buildoptions.json")))
            bt = [o["value"] for o in opts if o["name"] == "buildtype"][0]
            comp = json.load(open(os.path.join(self.a.builddir, "meson-info", "intro-compilers.json")))
            c = comp.get("host", {}).get("c", {})
            cc = "%s %s" % (c.get("id", "?"), c.get("full_version", c.get("version", "?")))
        except (OSError, ValueError, IndexError, KeyError):
            pass
        if cc == "?":
            try:
                cc = subprocess.run(["cc", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
            except (OSError, IndexError):
                pass
        git = subprocess.run(["git", "--version"], capture_output=True, text=True).stdout.strip()
        return ("nproc %d; CPU %s; RAM %s; kernel %s; compiler %s; build type %s; %s; python %s"
                % (os.cpu_count(), first("/proc/cpuinfo", "model name"), first("/proc/meminfo", "MemTotal"),
                   platform.release(), cc, bt, git, platform.python_version()))

    def main(self):
        self.builds, self.logs, self.discovers, self.inter, self.floors = {}, {}, {}, {}, []
        sizes = self.a.sizes
        ok = True
        t0 = time.time()
        for n in ([] if "series" in self.a.skip else sizes):
            print("== N = %d" % n, file=sys.stderr)
            c, norm = self.cmp_build(n)
            if "log" not in self.a.skip:
                self.cmp_log(n, c)
            if "discover" not in self.a.skip:
                self.cmp_discover(n, c)
            if "report" not in self.a.skip:
                self.cmp_report(n, c)
            if "interactive" not in self.a.skip:
                self.cmp_interactive(n, c)
            if norm is None:  # --skip build: no normalized files for the rows below
                continue
            if n == sizes[-1] and "incr" not in self.a.skip:
                self.cmp_incr(n, c, norm)
            if n == sizes[-1] and "caches" not in self.a.skip:
                self.cmp_caches(n, c)
            if n == sizes[-1] and self.a.baseline:
                self.cmp_baseline(n, c)
            if n == sizes[0] and "wdiff" not in self.a.skip:
                self.cmp_wdiff(norm, 20 if self.a.smoke else 100)
        if len(sizes) > 1 and "series" not in self.a.skip:
            self.scaling(sizes[0], sizes[-1])
            self.interactive_scaling(sizes)
        if "patho" not in self.a.skip:
            print("== pathological inputs", file=sys.stderr)
            self.cmp_patho()
        if "big" not in self.a.skip:
            print("== one long statement", file=sys.stderr)
            self.cmp_big()
        table = self.table()
        floors = [x for x in self.floors if x]
        if floors:
            table += ("\n\nPeak RSS is wait4's ru_maxrss of the timed process; a child of this harness "
                      "reports at least the harness's own RSS at the spawn (%s MiB for `true` started "
                      "after the interactive rows).  \"own\": the same command's peak under GNU time, "
                      "in the untimed run that checks its exit code (no such floor)."
                      % ", ".join("%.0f" % (x / 1024) for x in floors))
        text = ("# posdiff benchmark results\n\nGenerated by `tests/bench/run.sh%s` on %s in %.0f s.\n\n"
                "Machine: %s.\n\nReps: %s (min and median of each; posdiff and peer interleaved).\n"
                "Ratio = posdiff / peer (same input, same run).\n\n%s\n"
                % (" --smoke" if self.a.smoke else "", time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                   time.time() - t0, self.machine(),
                   "1 (smoke)" if self.a.smoke else "%d (N >= 10000: %d)" % (self.a.reps, self.a.reps_big), table))
        print(text)
        if self.a.out:
            with open(self.a.out, "w") as f:
                f.write(text)
        for r in self.rows:
            if r["a"].error and "not available" not in r["a"].error:
                ok = False
        return 0 if ok or not self.a.smoke else 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--posdiff", required=True)
    ap.add_argument("--builddir", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--out")
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--reps-big", type=int, default=3)
    ap.add_argument("--timeout", type=int, default=1800)
    ap.add_argument("--patho-timeout", type=int, default=300)
    ap.add_argument("--probe-timeout", type=int, default=0,
                    help="seconds for an interactive command's untimed first run; over it, "
                         "the command is not timed (default: --timeout)")
    ap.add_argument("--skip", default="",
                    help="comma list of series,incr,caches,wdiff,patho,big,interactive; "
                         "build (one build, no git fast-import), log, discover, report")
    ap.add_argument("--baseline", help="an earlier posdiff binary: build and log side by side")
    ap.add_argument("--baseline-catalog", help="positions.conf for the baseline (its own)")
    a = ap.parse_args()
    a.sizes = [int(x) for x in a.sizes.split(",")]
    a.skip = a.skip.split(",")
    if a.smoke:
        a.sizes = [100, 200]
        a.timeout = a.patho_timeout = 300
    a.posdiff = os.path.abspath(a.posdiff)
    return Bench(a).main()


if __name__ == "__main__":
    sys.exit(main())
