#!/usr/bin/env python3
"""What a policy decides about an operation between two domains, as libsepol
computes it (checkpolicy's debug mode, -d), not as Palisade's own security
server does: the hv-qemu cases that take their expected answer from here
therefore also catch a security server that drifts from libsepol.

An operation is the list of checks the hypervisor's FLASK hooks make for
it (xsm/flask/hooks.c, after Xen's xen/xsm/flask/hooks.c):

  evtchn S T   S offers T a channel and T binds it, then both send:
               alloc_unbound by S for T: S creates ch(S,T) = the
               type_transition of (S, T, event), and ch(S,T) binds to T;
               bind_interdomain by T: T creates ch(T,S), ch(T,S) binds to
               S, and ch(S,T) binds to T again; send: S on ch(S,T), T on
               ch(T,S).
  alloc S T    alloc_unbound by S for T only (its first two checks).
  grant-ro S T S maps a page T granted, read-only: grant map_read of S on T.
  grant-rw S T the same, writable: grant { map_read map_write } of S on T.
  grant-copy S T  GNTTABOP_copy by S with T's grant: grant copy of S on T.

decide() answers a dict: "decision" allow or deny (every check allowed),
and for the first refused check "perm" ("{ bind }"), "scontext",
"tcontext", "tclass": the fields of the AVC line the hypervisor must log;
"channel": the context of ch(S,T) (empty for the grant kinds).

Usage: sepol_decide.py POLICY KIND SCONTEXT TCONTEXT
"""

import re
import subprocess
import sys


class SepolError(Exception):
    pass


def ask(policy, lines):
    """Runs checkpolicy -d with one answer per line; returns each menu answer."""
    text = "\n".join(lines + ["q"]) + "\n"
    for mls in (["-M"], []):
        try:
            r = subprocess.run(["checkpolicy", "-b"] + mls + ["-d", policy], input=text,
                               capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as ex:
            raise SepolError("checkpolicy -d %s: %s" % (policy, ex))
        # -M is refused for a policy without MLS: ask again without it.
        if "non-MLS policy" not in r.stdout + r.stderr:
            break
    if r.returncode != 0:
        raise SepolError("checkpolicy -d %s exited %d: %s"
                         % (policy, r.returncode, r.stderr.strip()[-200:]))
    answers = []
    for chunk in r.stdout.split("Choose:")[1:]:
        # A chunk is the prompts ("scontext?  ") then the answer, then the menu.
        body = chunk.split("\nSelect an option:")[0].strip()
        last = body.splitlines()[-1].strip() if body else ""
        if "?" in last:
            last = last.rsplit("?", 1)[1].strip()
        answers.append(last)
    # The final "q" has no answer.
    return answers[:-1] if answers and answers[-1] == "" else answers


def _sid(answer, what):
    m = re.match(r"^sid (\d+)$", answer)
    if not m:
        raise SepolError("libsepol has no SID for %s (%r)" % (what, answer))
    return m.group(1)


KINDS = ("evtchn", "alloc", "grant-ro", "grant-rw", "grant-copy")
GRANT_PERMS = {"grant-ro": ["map_read"], "grant-rw": ["map_read", "map_write"],
               "grant-copy": ["copy"]}


def _verdict(policy, q, first, checks, ctx):
    """Asks the access vectors of checks (after the first answers of q)."""
    for src, tgt, cls, _ in checks:
        q = q + ["0", src, tgt, cls]
    a = ask(policy, q)[first:]
    if len(a) != len(checks):
        raise SepolError("checkpolicy gave %d answers for %d checks" % (len(a), len(checks)))
    for (src, tgt, cls, perms), ans in zip(checks, a):
        m = re.match(r"^allowed \{(.*)\}$", ans)
        if not m:
            raise SepolError("no access vector for %s %s %s (%r)" % (ctx[src], ctx[tgt], cls, ans))
        # The AVC line names every requested permission the policy refuses.
        denied = [p for p in perms if p not in m.group(1).split()]
        if denied:
            return dict(decision="deny", perm="{ %s }" % " ".join(denied), scontext=ctx[src],
                        tcontext=ctx[tgt], tclass=cls)
    return dict(decision="allow", perm="", scontext="", tcontext="", tclass="")


def decide(policy, kind, scon, tcon):
    if kind not in KINDS:
        raise SepolError("unknown operation %r (%s)" % (kind, ", ".join(KINDS)))
    base = ["2", scon, "2", tcon]
    a = ask(policy, base)
    if len(a) != 2:
        raise SepolError("checkpolicy gave %d answers for 2 contexts" % len(a))
    s, t = _sid(a[0], scon), _sid(a[1], tcon)
    if kind in GRANT_PERMS:
        d = _verdict(policy, base, 2, [(s, t, "grant", GRANT_PERMS[kind])], {s: scon, t: tcon})
        d["channel"] = ""
        return d
    trans = base + ["3", s, t, "event", "3", t, s, "event"]
    a = ask(policy, trans)
    ch1, ch2 = _sid(a[2], "ch(S,T)"), _sid(a[3], "ch(T,S)")
    ctx_q = trans + ["1", ch1, "1", ch2]
    a = ask(policy, ctx_q)
    ctx = {s: scon, t: tcon}
    for sid, ans in ((ch1, a[4]), (ch2, a[5])):
        m = re.match(r"^scontext (\S+)$", ans)
        if not m:
            raise SepolError("libsepol has no context for SID %s (%r)" % (sid, ans))
        ctx[sid] = m.group(1)
    checks = [(s, ch1, "create"), (ch1, t, "bind")]
    if kind == "evtchn":
        checks += [(t, ch2, "create"), (ch2, s, "bind"), (ch1, t, "bind"),
                   (s, ch1, "send"), (t, ch2, "send")]
    # ctx_q holds 6 questions (2 + 2 + 2); the av answers follow them.
    d = _verdict(policy, ctx_q, 6, [(a, b, "event", [p]) for a, b, p in checks], ctx)
    d["channel"] = ctx[ch1]
    return d


def main(argv):
    if len(argv) != 5:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    try:
        d = decide(*argv[1:])
    except SepolError as ex:
        print("sepol_decide: %s" % ex, file=sys.stderr)
        return 1
    print(" ".join("%s=%s" % (k, v) for k, v in d.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
