#!/usr/bin/env python3
"""Random Xen-target policy generator for the differential tests.

From a seed, writes a complete policy.conf that "checkpolicy -t Xen" accepts:
the Xen object classes (with a few synthetic classes built on commons),
random types, attributes and aliases, allow/auditallow/dontaudit rules
(attributes, self, ~ and * permission sets), booleans and nested
conditionals, constraints and validatetrans with random expression trees,
type_transition/type_member/type_change (some conditional), roles with role
allow and role_transition, several users, typebounds, permissive types, and
in MLS mode sensitivities, dominance, categories, levels, user ranges,
mlsconstrain/mlsvalidatetrans, range_transition and default_* statements.

The same seed always gives the same text (random.Random(seed) only), so a
failing seed can be replayed: gen-policy.py --seed N [--mls] [--version V].

--large writes the benchmark policy: thousands of types and more than
100,000 rules, with the same statement kinds in bulk.

--compile OUT runs checkpolicy itself and fails loudly (exit 1, with
checkpolicy's message) if checkpolicy refuses the text: a generator that
writes policies the compiler rejects is a broken generator.
"""

import argparse
import os
import random
import subprocess
import sys
import tempfile

# The Xen object classes and their permissions, in the order Xen defines
# them (policy values follow this order). Xen's classes use no commons.
XEN_CLASSES = [
    ("xen", "settime tbufcontrol readconsole clearconsole perfcontrol mtrr_add "
     "mtrr_del mtrr_read microcode physinfo quirk writeconsole readapic "
     "writeapic privprofile nonprivprofile kexec firmware sleep frequency "
     "getidle debug getcpuinfo heap pm_op mca_op lockprof cpupool_op "
     "getscheduler setscheduler"),
    ("xen2", "resource_op psr_cmt_op psr_alloc pmu_ctrl pmu_use get_symbol "
     "get_cpu_levelling_caps get_cpu_featureset livepatch_op coverage_op"),
    ("domain", "setvcpucontext pause unpause resume create transition "
     "max_vcpus destroy setvcpuaffinity getvcpuaffinity getscheduler "
     "getdomaininfo getvcpuinfo getvcpucontext setdomainmaxmem "
     "setdomainhandle setdebugging hypercall settime set_target shutdown "
     "setaddrsize getaddrsize trigger getextvcpucontext setextvcpucontext "
     "getvcpuextstate setvcpuextstate getpodtarget setpodtarget "
     "set_misc_info set_virq_handler"),
    ("domain2", "relabelfrom relabelto relabelself make_priv_for "
     "set_as_target set_cpuid gettsc settsc setscheduler set_max_evtchn "
     "set_vnumainfo get_vnumainfo psr_cmt_op psr_alloc soft_reset "
     "set_gnttab_limits"),
    ("hvm", "sethvmc gethvmc setparam getparam pcilevel irqlevel pciroute "
     "bind_irq cacheattr trackdirtyvram hvmctl mem_event mem_sharing "
     "audit_p2m send_irq share_mem"),
    ("mmu", "map_read map_write pageinfo pagelist adjust stat updatemp "
     "physmap pinpage mfnlist memorymap remote_remap mmuext_op exchange"),
    ("resource", "add remove use add_irq remove_irq add_ioport remove_ioport "
     "add_iomem remove_iomem stat_device add_device remove_device plug "
     "unplug setup"),
    ("shadow", "disable enable logdirty"),
    ("event", "bind send status notify create vector reset"),
    ("grant", "map_read map_write unmap transfer setup copy query"),
    ("security", "compute_av compute_create compute_member check_context "
     "load_policy compute_relabel compute_user setenforce setbool "
     "setsecparam add_ocontext del_ocontext"),
    ("version", "xen_version xen_extraversion xen_compile_info "
     "xen_capabilities xen_changeset xen_pagesize xen_guest_handle "
     "xen_commandline xen_build_id"),
]

# Xen 4.17's initial SIDs in its order (xenboot first). Palisade refuses a
# policy with another number of them; libsepol does not care.
XEN_INITIAL_SIDS = ["xenboot", "xen", "dom0", "domio", "domxen", "unlabeled",
                    "security", "ioport", "iomem", "irq", "device", "domU", "domDM"]


def initial_sids(count):
    """The first count of Xen's initial SIDs, then spare ones beyond them."""
    names = XEN_INITIAL_SIDS[:count]
    return names + ["spare%d" % i for i in range(count - len(names))]

COMMON_POOL = "read write getattr setattr lock relabelfrom relabelto append " \
              "map ioctl".split()
EXTRA_PERM_POOL = "attach detach probe flush query_state tick wake".split()


class Gen:
    def __init__(self, seed, mls, version, size="small", classes_dir=None, isids=None):
        self.r = random.Random(seed)
        self.isids = initial_sids(len(XEN_INITIAL_SIDS) if isids is None else isids)
        self.seed = seed
        self.mls = mls
        self.version = version
        self.size = size
        self.large = size == "large"
        self.out = []
        self.classes = []  # (name, common or None, [own perms])
        self.commons = {}  # name -> [perms]
        self.classes_dir = classes_dir

    def pick(self, small, medium, large):
        """A size-dependent value; small and medium ones may be (lo, hi)."""
        v = {"small": small, "medium": medium, "large": large}[self.size]
        return self.r.randint(*v) if isinstance(v, tuple) else v

    def w(self, line=""):
        self.out.append(line)

    def perms_of(self, cls):
        name, common, own = cls
        return (self.commons[common] if common else []) + own

    # ---- classes -------------------------------------------------------
    def make_classes(self):
        r = self.r
        for name, perms in XEN_CLASSES:
            self.classes.append((name, None, perms.split()))
        # Synthetic classes exercise commons (the Xen classes have none).
        ncommon = r.randint(1, 2)
        for i in range(ncommon):
            self.commons["pal_common%d" % i] = r.sample(COMMON_POOL, r.randint(2, 6))
        for i in range(r.randint(1, 2)):
            common = r.choice(sorted(self.commons))
            own = r.sample(EXTRA_PERM_POOL, r.randint(0, 3))
            self.classes.append(("pal_obj%d" % i, common, own))

    def emit_classes(self):
        for name, _, _ in self.classes:
            self.w("class %s" % name)
        self.w()
        for sid in self.isids:
            self.w("sid %s" % sid)
        self.w()
        for cname in sorted(self.commons):
            self.w("common %s { %s }" % (cname, " ".join(self.commons[cname])))
        for name, common, own in self.classes:
            text = "class %s" % name
            if common:
                text += " inherits %s" % common
            if own:
                text += " { %s }" % " ".join(own)
            self.w(text)
        self.w()

    # ---- default_* (policy version 27/28 and later) --------------------
    def emit_defaults(self):
        r = self.r
        if self.version < 28 or self.large:
            return
        names = [c[0] for c in self.classes]
        for kind in ("default_user", "default_role", "default_type"):
            if r.random() < 0.6:
                pick = r.sample(names, r.randint(1, 3))
                self.w("%s { %s } %s;" % (kind, " ".join(pick),
                                         r.choice(["source", "target"])))
        if self.mls and r.random() < 0.7:
            pick = r.sample(names, r.randint(1, 3))
            which = r.choice(["source", "target"])
            part = r.choice(["low", "high", "low-high"])
            self.w("default_range { %s } %s %s;" % (" ".join(pick), which, part))
        self.w()

    # ---- MLS -----------------------------------------------------------
    def make_mls(self):
        r = self.r
        nsens = r.randint(2, 4)
        # Medium policies cross the 64-bit ebitmap node boundary.
        ncat = self.pick((3, 8), (70, 140), 64)
        self.sens = ["s%d" % i for i in range(nsens)]
        self.cats = ["c%d" % i for i in range(ncat)]
        # Categories each sensitivity may carry (always a prefix range, plus
        # sometimes a hole, so that "level" statements differ).
        self.sens_cats = {}
        for s in self.sens:
            hi = r.randint(1, ncat)
            cats = self.cats[:hi]
            if len(cats) > 2 and r.random() < 0.3:
                cats = [c for c in cats if c != r.choice(cats[1:])]
            self.sens_cats[s] = cats

    def emit_mls_decls(self):
        r = self.r
        for s in self.sens:
            if r.random() < 0.3:
                self.w("sensitivity %s alias %s_alias;" % (s, s))
            else:
                self.w("sensitivity %s;" % s)
        self.w("dominance { %s }" % " ".join(self.sens))
        for c in self.cats:
            if r.random() < 0.2:
                self.w("category %s alias %s_alias;" % (c, c))
            else:
                self.w("category %s;" % c)
        for s in self.sens:
            self.w("level %s:%s;" % (s, self.cat_text(self.sens_cats[s])))
        self.w()

    def cat_text(self, cats):
        """Categories as the policy language writes them, with ranges."""
        idx = sorted(self.cats.index(c) for c in cats)
        parts = []
        i = 0
        while i < len(idx):
            j = i
            while j + 1 < len(idx) and idx[j + 1] == idx[j] + 1:
                j += 1
            if j - i >= 2:
                parts.append("%s.%s" % (self.cats[idx[i]], self.cats[idx[j]]))
            else:
                parts.extend(self.cats[k] for k in idx[i:j + 1])
            i = j + 1
        return ",".join(parts)

    def rand_level(self, max_sens=None):
        r = self.r
        top = len(self.sens) - 1 if max_sens is None else max_sens
        s = self.sens[r.randint(0, top)]
        cats = [c for c in self.sens_cats[s] if r.random() < 0.4]
        return (s, cats)

    def level_text(self, lv):
        s, cats = lv
        return s + (":" + self.cat_text(cats) if cats else "")

    def dominates(self, a, b):
        return self.sens.index(a[0]) >= self.sens.index(b[0]) and set(b[1]) <= set(a[1])

    def rand_range(self):
        low = self.rand_level()
        for _ in range(10):
            high = self.rand_level()
            if self.dominates(high, low):
                return low, high
        return low, low

    def range_text(self, rg):
        low, high = rg
        if low == high:
            return self.level_text(low)
        return "%s - %s" % (self.level_text(low), self.level_text(high))

    # ---- types, attributes, roles, users -------------------------------
    def make_types(self):
        r = self.r
        ntypes = self.pick((8, 13), (150, 260), 2200)
        nattrs = self.pick((2, 5), (10, 25), 60)
        self.types = ["t%d_t" % i for i in range(ntypes)]
        self.attrs = ["attr%d" % i for i in range(nattrs)]
        # A child of a typebounds pair never appears in random rules: its
        # rules are derived from its parent's so the bounds hold.
        self.bounds = {}
        nb = self.pick((0, 2), (0, 10), 40)
        cands = self.types[2:]
        for child in r.sample(cands, nb):
            parent = r.choice([t for t in self.types if t != child
                               and t not in self.bounds])
            if parent in self.bounds.values() and child in self.bounds.values():
                continue
            if child in self.bounds.values():
                continue
            self.bounds[child] = parent
        self.free_types = [t for t in self.types if t not in self.bounds]
        self.attr_members = {a: set() for a in self.attrs}
        for t in self.free_types:
            for a in self.attrs:
                if r.random() < {"small": 0.35, "medium": 0.1, "large": 0.02}[self.size]:
                    self.attr_members[a].add(t)
        self.aliases = {}
        for t in self.types:
            if r.random() < 0.15:
                self.aliases[t] = ["%s_al%d" % (t[:-2], i) for i in range(r.randint(1, 2))]
        self.permissive = [t for t in self.free_types if r.random() < 0.1]

    def emit_types(self):
        r = self.r
        for a in self.attrs:
            self.w("attribute %s;" % a)
        for t in self.types:
            attrs = [a for a in self.attrs if t in self.attr_members[a]]
            # Some memberships by typeattribute, some in the declaration.
            inline = [a for a in attrs if r.random() < 0.5]
            later = [a for a in attrs if a not in inline]
            text = "type %s" % t
            al = self.aliases.get(t, [])
            if al and r.random() < 0.5:
                text += " alias { %s }" % " ".join(al)
                al = []
            if inline:
                text += ", " + ", ".join(inline)
            self.w(text + ";")
            for a in al:
                self.w("typealias %s alias %s;" % (t, a))
            if later:
                self.w("typeattribute %s %s;" % (t, ", ".join(later)))
        for child, parent in sorted(self.bounds.items()):
            self.w("typebounds %s %s;" % (parent, child))
        for t in self.permissive:
            self.w("permissive %s;" % t)
        self.w()

    def make_roles_users(self):
        r = self.r
        nroles = self.pick((2, 4), (3, 8), 20)
        self.roles = ["role%d_r" % i for i in range(nroles)]
        self.role_types = {}
        for ro in self.roles:
            k = max(1, int(len(self.types) * r.uniform(0.2, 0.7)))
            self.role_types[ro] = sorted(r.sample(self.types, k))
        # system_r holds every type, so every type can be a subject.
        self.roles.insert(0, "system_r")
        self.role_types["system_r"] = list(self.types)
        nusers = self.pick((2, 4), (3, 8), 20)
        self.users = ["system_u"] + ["user%d_u" % i for i in range(nusers)]
        self.user_roles = {"system_u": ["system_r"] + r.sample(self.roles[1:], 1)}
        for u in self.users[1:]:
            self.user_roles[u] = sorted(r.sample(self.roles, r.randint(1, min(3, len(self.roles)))))
        if self.mls:
            self.user_range = {"system_u": ((self.sens[0], []),
                                            (self.sens[-1], list(self.sens_cats[self.sens[-1]])))}
            for u in self.users[1:]:
                self.user_range[u] = self.rand_range()

    def emit_roles(self):
        r = self.r
        for ro in self.roles:
            types = self.role_types[ro]
            # Roles may name attributes: cover a couple of them that way.
            self.w("role %s;" % ro)
            chunk = 40
            for i in range(0, len(types), chunk):
                self.w("role %s types { %s };" % (ro, " ".join(types[i:i + chunk])))
        # role allow
        for _ in range(r.randint(1, 4)):
            a, b = r.sample(self.roles, 2)
            self.w("allow %s %s;" % (a, b))
        # role_transition needs an explicit class on the Xen target, and
        # only policy version 26 and later keep role transitions for
        # classes other than "process" (which Xen lacks).
        if self.version >= 26:
            seen = set()
            for _ in range(r.randint(1, 4)):
                ro = r.choice(self.roles)
                t = r.choice(self.types)
                cls = r.choice(["domain", "domain", r.choice(self.classes)[0]])
                if (ro, t, cls) in seen:
                    continue
                seen.add((ro, t, cls))
                self.w("role_transition %s %s:%s %s;" % (ro, t, cls, r.choice(self.roles)))
        self.w()

    def emit_users(self):
        for u in self.users:
            text = "user %s roles { %s }" % (u, " ".join(self.user_roles[u]))
            if self.mls:
                low, high = self.user_range[u]
                text += " level %s range %s" % (self.level_text(low),
                                                self.range_text((low, high)))
            self.w(text + ";")
        self.w()

    # ---- TE rules ------------------------------------------------------
    def type_set(self, allow_self=False, for_target=False):
        """A random type set: one type, an attribute, a brace list, or a
        set with a negation; excludes bounded children."""
        r = self.r
        x = r.random()
        if x < 0.4:
            return r.choice(self.free_types)
        if x < 0.65:
            return r.choice(self.attrs)
        if for_target and allow_self and x < 0.75:
            return "self"
        items = r.sample(self.free_types + self.attrs, r.randint(2, 3))
        if x > 0.92 and any(i in self.attrs for i in items):
            neg = r.choice(self.free_types)
            if neg not in items:
                items.append("-" + neg)
        return "{ %s }" % " ".join(items)

    def perm_set(self, cls):
        r = self.r
        perms = self.perms_of(cls)
        x = r.random()
        if x < 0.05:
            return "*"
        if x < 0.12 and len(perms) > 2:
            return "~{ %s }" % " ".join(r.sample(perms, r.randint(1, len(perms) - 1)))
        k = r.randint(1, min(5, len(perms)))
        return "{ %s }" % " ".join(r.sample(perms, k))

    def av_rule(self, kind=None):
        r = self.r
        kind = kind or r.choices(["allow", "auditallow", "dontaudit"], [8, 2, 2])[0]
        cls = r.choice(self.classes)
        src = self.type_set()
        tgt = self.type_set(allow_self=True, for_target=True)
        # A set of classes now and then.
        if r.random() < 0.1:
            cls2 = r.choice(self.classes)
            if cls2[0] != cls[0]:
                common = set(self.perms_of(cls)) & set(self.perms_of(cls2))
                if common:
                    p = r.sample(sorted(common), r.randint(1, min(3, len(common))))
                    return "%s %s %s:{ %s %s } { %s };" % (kind, src, tgt, cls[0], cls2[0],
                                                          " ".join(p))
        return "%s %s %s:%s %s;" % (kind, src, tgt, cls[0], self.perm_set(cls))

    def type_rule(self, used):
        """type_transition/member/change on concrete types, each key once
        (checkpolicy refuses conflicting type rules)."""
        r = self.r
        kind = r.choice(["type_transition", "type_member", "type_change"])
        for _ in range(10):
            s = r.choice(self.types)
            t = r.choice(self.types)
            cls = r.choice(self.classes)[0]
            if (kind, s, t, cls) not in used:
                used.add((kind, s, t, cls))
                return "%s %s %s:%s %s;" % (kind, s, t, cls, r.choice(self.types))
        return None

    def cond_expr(self, depth=0):
        r = self.r
        if depth >= 3 or r.random() < 0.4:
            b = r.choice(self.bools)
            return ("!" + b) if r.random() < 0.25 else b
        op = r.choice(["&&", "||", "^", "==", "!="])
        e = "(%s %s %s)" % (self.cond_expr(depth + 1), op, self.cond_expr(depth + 1))
        if r.random() < 0.2:
            e = "!" + e
        return e

    def emit_te(self):
        r = self.r
        # Policy capabilities are SELinux names, but the binary keeps the
        # bitmap whatever the target: the reader must get past it.
        if r.random() < 0.5:
            for cap in r.sample(["network_peer_controls", "open_perms",
                                 "always_check_network"], r.randint(1, 2)):
                self.w("policycap %s;" % cap)
        nbool = self.pick((1, 4), (20, 45), 30)
        self.bools = ["bool%d" % i for i in range(nbool)]
        for b in self.bools:
            self.w("bool %s %s;" % (b, r.choice(["true", "false"])))
        nrules = self.pick((60, 140), (1500, 3000), 0)
        for _ in range(nrules):
            self.w(self.av_rule())
        if self.large:
            self.emit_bulk_rules()
        used = set()
        for _ in range(self.pick((8, 25), (200, 500), 3000)):
            rule = self.type_rule(used)
            if rule:
                self.w(rule)
        # Name-based type transitions (version 25 and later keep them); no
        # query names an object, so only the reader sees them.
        if self.version >= 25:
            for i in range(r.randint(0, 4)):
                s, t, n = r.choice(self.types), r.choice(self.types), r.choice(self.types)
                cls = r.choice(self.classes)[0]
                if ("type_transition", s, t, cls) in used:
                    continue
                self.w('type_transition %s %s:%s %s "obj%d";' % (s, t, cls, n, i))
        # Conditionals, some with else branches and type rules inside.
        for _ in range(self.pick((1, 5), (20, 40), 200)):
            self.w("if %s {" % self.cond_expr())
            for _ in range(r.randint(1, 6)):
                self.w("\t" + self.av_rule())
            if r.random() < 0.4:
                rule = self.type_rule(used)
                if rule:
                    self.w("\t" + rule)
            if r.random() < 0.5:
                self.w("} else {")
                for _ in range(r.randint(1, 4)):
                    self.w("\t" + self.av_rule())
                if r.random() < 0.3:
                    rule = self.type_rule(used)
                    if rule:
                        self.w("\t" + rule)
            self.w("}")
        # Bounded children: each rule is a copy of a rule given to the
        # parent, with a subset of its permissions.
        for child, parent in sorted(self.bounds.items()):
            for _ in range(r.randint(1, 4)):
                cls = r.choice(self.classes)
                tgt = r.choice(self.free_types)
                perms = r.sample(self.perms_of(cls), r.randint(1, min(4, len(self.perms_of(cls)))))
                self.w("allow %s %s:%s { %s };" % (parent, tgt, cls[0], " ".join(perms)))
                sub = perms[:r.randint(1, len(perms))]
                self.w("allow %s %s:%s { %s };" % (child, tgt, cls[0], " ".join(sub)))
        if self.mls:
            seen = set()
            for _ in range(self.pick((1, 4), (10, 40), 100)):
                s, t = r.choice(self.types), r.choice(self.types)
                cls = r.choice(self.classes)[0]
                if (s, t, cls) in seen:
                    continue
                seen.add((s, t, cls))
                self.w("range_transition %s %s:%s %s;" % (s, t, cls,
                                                          self.range_text(self.rand_range())))
        self.w()

    def emit_bulk_rules(self):
        """The large mode's bulk: >100,000 rules on concrete types."""
        r = self.r
        n = 0
        keys = set()
        while n < 110000:
            s = r.choice(self.free_types)
            t = r.choice(self.free_types)
            cls = r.choice(self.classes)
            kind = r.choices(["allow", "auditallow", "dontaudit"], [10, 1, 1])[0]
            if (kind, s, t, cls[0]) in keys:
                continue
            keys.add((kind, s, t, cls[0]))
            perms = r.sample(self.perms_of(cls), r.randint(1, min(6, len(self.perms_of(cls)))))
            self.w("%s %s %s:%s { %s };" % (kind, s, t, cls[0], " ".join(perms)))
            n += 1
        for _ in range(2000):
            self.w(self.av_rule())

    # ---- constraints ---------------------------------------------------
    def names_of(self, what):
        r = self.r
        if what == "t":
            pool = self.types + self.attrs
        elif what == "r":
            pool = self.roles
        else:
            pool = self.users
        items = r.sample(pool, r.randint(1, min(3, len(pool))))
        return items[0] if len(items) == 1 else "{ %s }" % " ".join(items)

    def leaf(self, mls, vt):
        r = self.r
        n = 3 if vt else 2
        if mls and r.random() < 0.6:
            a, b = r.choice([("l1", "l2"), ("l1", "h2"), ("h1", "l2"), ("h1", "h2"),
                             ("l1", "h1"), ("l2", "h2")])
            op = r.choice(["==", "!=", "dom", "domby", "incomp"])
            return "%s %s %s" % (a, op, b)
        x = r.random()
        # mlsconstrain comes before types, roles and users are declared,
        # so MLS expressions cannot name them.
        if x < 0.3 or mls:
            what = r.choice(["u", "r", "t"])
            if what == "r":
                op = r.choice(["==", "!=", "dom", "domby", "incomp"])
            else:
                op = r.choice(["==", "!="])
            return "%s1 %s %s2" % (what, op, what)
        what = r.choice(["u", "r", "t"])
        idx = r.randint(1, n)
        return "%s%d %s %s" % (what, idx, r.choice(["==", "!="]), self.names_of(what))

    def cexpr(self, mls, vt, depth=0):
        r = self.r
        if depth >= 3 or r.random() < 0.35:
            e = self.leaf(mls, vt)
        else:
            op = r.choice(["and", "or"])
            e = "(%s %s %s)" % (self.cexpr(mls, vt, depth + 1), op,
                                self.cexpr(mls, vt, depth + 1))
        if r.random() < 0.15:
            e = "not (%s)" % e
        return e

    def constraint_stmt(self, mls):
        r = self.r
        cls = r.choice(self.classes)
        perms = r.sample(self.perms_of(cls), r.randint(1, min(4, len(self.perms_of(cls)))))
        kw = "mlsconstrain" if mls else "constrain"
        return "%s %s { %s } %s;" % (kw, cls[0], " ".join(perms), self.cexpr(mls, False))

    def validatetrans_stmt(self, mls):
        cls = self.r.choice(self.classes)
        kw = "mlsvalidatetrans" if mls else "validatetrans"
        return "%s %s %s;" % (kw, cls[0], self.cexpr(mls, True))

    def emit_mls_constraints(self):
        r = self.r
        for _ in range(self.pick((2, 6), (5, 15), 60)):
            self.w(self.constraint_stmt(True))
        for _ in range(r.randint(0, 2)):
            self.w(self.validatetrans_stmt(True))
        self.w()

    def emit_constraints(self):
        r = self.r
        for _ in range(self.pick((1, 5), (5, 15), 60)):
            self.w(self.constraint_stmt(False))
        for _ in range(r.randint(0, 2)):
            self.w(self.validatetrans_stmt(False))
        self.w()

    # ---- initial SIDs and Xen ocontexts --------------------------------
    def ctx(self, user, role, typ, rng=None):
        text = "%s:%s:%s" % (user, role, typ)
        if self.mls:
            text += ":" + self.range_text(rng or ((self.sens[0], []), (self.sens[0], [])))
        return text

    def emit_contexts(self):
        r = self.r
        for sid in self.isids:
            role = r.choice(["object_r", "system_r"])
            self.w("sid %s %s" % (sid, self.ctx("system_u", role, r.choice(self.types))))
        self.w()
        for i in range(r.randint(0, 3)):
            self.w("pirqcon %d %s" % (16 + 7 * i, self.ctx("system_u", "object_r", r.choice(self.types))))
        for i in range(r.randint(0, 2)):
            base = 0xfe000 + 0x100 * i
            self.w("iomemcon 0x%x-0x%x %s" % (base, base + 0x7f,
                                              self.ctx("system_u", "object_r", r.choice(self.types))))
        for i in range(r.randint(0, 2)):
            base = 0x3f8 - 0x100 * i
            self.w("ioportcon 0x%x-0x%x %s" % (base, base + 7,
                                               self.ctx("system_u", "object_r", r.choice(self.types))))
        for i in range(r.randint(0, 2)):
            self.w("pcidevicecon 0x%x %s" % (0xc800 + i, self.ctx("system_u", "object_r",
                                                                  r.choice(self.types))))
        # Version 30 widened iomem frames to 64 bits and added device trees.
        if self.version >= 30:
            if r.random() < 0.5:
                base = 0x100000000 + 0x1000 * r.randint(0, 15)
                self.w("iomemcon 0x%x-0x%x %s" % (base, base + 0xfff,
                                                  self.ctx("system_u", "object_r",
                                                           r.choice(self.types))))
            for i in range(r.randint(0, 2)):
                self.w('devicetreecon "/soc/dev@%x" %s' % (0x1000 * (i + 1),
                                                          self.ctx("system_u", "object_r",
                                                                   r.choice(self.types))))

    def generate(self):
        # What the binary's header says about classes and permissions an
        # embedder knows but the policy lacks (checkpolicy -U). "reject"
        # is left out: the hypervisor would refuse such a policy outright.
        self.handle_unknown = "deny" if self.large else self.r.choice(["deny", "allow"])
        self.w("# Generated by tests/policy/gen/gen-policy.py seed=%d mls=%d version=%d%s" %
               (self.seed, int(self.mls), self.version,
                "" if self.size == "small" else " " + self.size))
        self.w("# compile with: checkpolicy -t Xen -c %d%s -U %s" %
               (self.version, " -M" if self.mls else "", self.handle_unknown))
        self.make_classes()
        if self.mls:
            self.make_mls()
        self.make_types()
        self.make_roles_users()
        self.emit_classes()
        self.emit_defaults()
        if self.mls:
            self.emit_mls_decls()
            self.emit_mls_constraints()
        self.emit_types()
        self.emit_te()
        self.emit_roles()
        self.emit_users()
        self.emit_constraints()
        self.emit_contexts()
        return "\n".join(self.out) + "\n"


def compile_policy(conf_text, mls, version, out, handle_unknown=None):
    """Run checkpolicy; raise SystemExit with its message if it refuses."""
    with tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False) as f:
        f.write(conf_text)
        conf = f.name
    cmd = ["checkpolicy", "-t", "Xen", "-c", str(version), "-o", out]
    if mls:
        cmd.insert(1, "-M")
    if handle_unknown:
        cmd[1:1] = ["-U", handle_unknown]
    cmd.append(conf)
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if p.returncode != 0:
        sys.stderr.write("gen-policy: checkpolicy refused the generated policy (%s):\n%s" %
                         (" ".join(cmd), p.stdout))
        sys.stderr.write("gen-policy: the text is kept in %s\n" % conf)
        raise SystemExit(1)
    os.unlink(conf)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--mls", action="store_true")
    # libsepol's compatibility table has only these two for the Xen target
    # ("compatibility lookup failed" for 25-29, 31-33).
    ap.add_argument("--version", type=int, default=30, choices=[24, 30])
    ap.add_argument("--large", action="store_true", help="the benchmark policy")
    ap.add_argument("--medium", action="store_true",
                    help="hundreds of types, >64 categories, dozens of booleans")
    ap.add_argument("--initial-sids", type=int, metavar="N",
                    help="declare N initial SIDs instead of Xen 4.17's %d" % len(XEN_INITIAL_SIDS))
    ap.add_argument("-o", "--output", help="policy.conf to write (default stdout)")
    ap.add_argument("--compile", metavar="BINARY",
                    help="also run checkpolicy and write the binary policy here")
    a = ap.parse_args()
    size = "large" if a.large else "medium" if a.medium else "small"
    if a.initial_sids is not None and a.initial_sids < 1:
        ap.error("--initial-sids must be at least 1")
    gen = Gen(a.seed, a.mls, a.version, size, isids=a.initial_sids)
    text = gen.generate()
    if a.output:
        with open(a.output, "w") as f:
            f.write(text)
    elif not a.compile:
        sys.stdout.write(text)
    if a.compile:
        compile_policy(text, a.mls, a.version, a.compile, gen.handle_unknown)


if __name__ == "__main__":
    main()
