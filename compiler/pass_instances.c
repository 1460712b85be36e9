/* pass_instances.c — everything that needs instance data.
 *
 * - The price snapshot of each cluster (read by the driver: passes do no
 *   I/O) decides which types are offered in the region.
 * - Instance selection: a node group with a profile and no instance gets the
 *   cheapest catalog type offered in the region (priced in the snapshot) that
 *   meets every requirement of the profile, EFA when the group enables it, and
 *   the head node's architecture when the profile names none. Ties go to the
 *   type name, so the choice is stable. The choice and the runners-up become
 *   the instance's provenance.
 * - Profile checks: a node group with an instance and a profile gets a
 *   warning for each requirement an instance misses.
 * - The rules of ParallelCluster's validators that need instance data:
 *   EfaValidator / InstancesEFAValidator (EFA on a type without it is an
 *   error; EFA supported but off on a placement-group queue a warning; GDR
 *   without EFA an error), InstanceArchitectureCompatibilityValidator (head
 *   and compute architectures), SchedulableMemoryValidator and
 *   InstancesMemorySchedulingWarningValidator. RealMemory is derived as
 *   ParallelCluster's config generator does: SchedulableMemory, else 95 % of
 *   the smallest instance's memory, rounded down (MiB).
 * - An instance type the catalog does not know is a warning (no checks for
 *   it), with "did you mean"; one the snapshot has no price for, a warning. */
#include <string.h>

#include "analysis.h"
#include "diag.h"
#include "passes.h"

static const Span NOSPAN = {0, 0, 0};

typedef struct P {
    Hpcc *h;
    Ir *ir;
    IrCluster *c;
    Analysis *an;
    const Catalog *cat;
    const char *v;                /* "ParallelCluster 3.11" */
} P;

static const char *money(P *p, Rat r)
{
    char b[96];
    return arena_strdup(p->h->arena, rat_format(r, b, sizeof b));
}

/* ---- requirements -------------------------------------------------------------------------- */

/* The instance's value for a requirement, in the requirement's unit; false if
 * the attribute does not apply (then the requirement is unmet). */
static bool attr_value(const Instance *in, const char *attr, Rat *out)
{
    if (str_eq(attr, "cores")) *out = rat_int(in->cores);
    else if (str_eq(attr, "vcpus")) *out = rat_int(in->vcpus);
    else if (str_eq(attr, "memory")) *out = rat_int(in->memory_gib);
    else if (str_eq(attr, "memory_per_core")) *out = rat_div_or_die(rat_int(in->memory_gib), rat_int(in->cores ? in->cores : 1));
    else if (str_eq(attr, "nvme")) *out = rat_int(in->nvme_gb);
    else if (str_eq(attr, "gpus")) *out = rat_int(in->gpus);
    else if (str_eq(attr, "gpu_memory")) *out = in->gpus ? rat_div_or_die(rat_int(in->gpu_memory_gib), rat_int(in->gpus)) : rat_int(0);
    else if (str_eq(attr, "network")) *out = in->network_gbps;
    else return false;
    return true;
}

/* NULL if the instance meets the requirement, else how it misses it:
 * "memory 128 GiB < 384 GiB". */
static const char *unmet(P *p, const Instance *in, const IrRequirement *q)
{
    const char *a = q->attribute.v;
    Arena *A = p->h->arena;
    if (str_eq(a, "avx512") || str_eq(a, "efa")) {
        bool have = str_eq(a, "avx512") ? in->avx512 : in->efa;
        if (!q->flag.v || have) return NULL; /* false: not required */
        return arena_printf(A, "no %s", str_eq(a, "avx512") ? "AVX-512" : "EFA");
    }
    if (str_eq(a, "arch")) return str_eq(in->arch, q->word.v) ? NULL : arena_printf(A, "arch %s, not %s", in->arch, q->word.v);
    Rat have;
    if (!attr_value(in, a, &have)) return arena_printf(A, "no %s", a);
    if (rat_holds(have, q->op.v, q->amount.v)) return NULL;
    static const char *const neg[][2] = {{">=", "<"}, {">", "<="}, {"<=", ">"}, {"<", ">="}, {"==", "!="}};
    const char *op = "!=";
    for (size_t i = 0; i < 5; i++)
        if (str_eq(q->op.v, neg[i][0])) op = neg[i][1];
    char hb[96], wb[96];
    const char *unit = q->amount.unit ? q->amount.unit : "";
    return arena_printf(A, "%s %s%s%s %s %s%s%s", a, rat_format(have, hb, sizeof hb), *unit ? " " : "", unit, op,
                        rat_format(q->amount.v, wb, sizeof wb), *unit ? " " : "", unit);
}

static bool req_unverified(const IrRequirement *q, const char **note)
{
    const Prov *pv[] = {&q->amount.p, &q->flag.p, &q->word.p};
    for (size_t i = 0; i < 3; i++)
        if (pv[i]->unverified) {
            if (note) *note = pv[i]->note;
            return true;
        }
    return false;
}

/* ---- selection ------------------------------------------------------------------------------ */

typedef struct Cand {
    const Instance *in;
    Rat hourly;
} Cand;

static bool cheaper(const Cand *a, const Cand *b)
{
    int c = rat_cmp(a->hourly, b->hourly);
    return c < 0 || (c == 0 && strcmp(a->in->type, b->in->type) < 0);
}

static const Instance *head_instance(P *p)
{
    return p->c->head && p->c->head->instance.v ? catalog_find(p->cat, p->c->head->instance.v) : NULL;
}

static void select_instance(P *p, IrPartition *part, IrNodeGroup *g)
{
    Arena *A = p->h->arena;
    Span where = g->profile.p.span;
    if (!p->an->prices) {
        Diag *d = diag(p->h, D_NO_INSTANCE, where, "no instance type can be chosen for node group '%s': %s", g->name.v,
                       p->an->no_prices);
        diag_label(d, "set instance = ..., or give prices for %s", p->c->region.v);
        return;
    }
    bool has_arch = false;
    for (size_t k = 0; k < g->requirements.n; k++) has_arch |= str_eq(g->requirements.v[k]->attribute.v, "arch");
    const Instance *hi = head_instance(p);
    const char *arch = !has_arch && hi ? hi->arch : NULL;
    bool efa = g->efa.v;
    Cand best[3];
    size_t nbest = 0, ncand = 0;
    size_t offered = 0;
    /* For the error: how many offered types each requirement rules out. */
    size_t *missed = arena_alloc(A, (g->requirements.n + 2) * sizeof *missed);
    for (size_t i = 0; i < p->cat->n; i++) {
        const Instance *in = &p->cat->v[i];
        const Rat *price = prices_ec2(p->an->prices, in->type);
        if (!price) continue;
        offered++;
        bool ok = true;
        for (size_t k = 0; k < g->requirements.n; k++)
            if (unmet(p, in, g->requirements.v[k])) ok = false, missed[k]++;
        if (efa && !in->efa) ok = false, missed[g->requirements.n]++;
        if (arch && !str_eq(in->arch, arch)) ok = false, missed[g->requirements.n + 1]++;
        if (!ok) continue;
        ncand++;
        Cand c = {in, *price};
        /* keep the three cheapest, in order */
        size_t pos = nbest;
        while (pos > 0 && cheaper(&c, &best[pos - 1])) pos--;
        if (pos < 3) {
            for (size_t m = nbest < 3 ? nbest : 2; m > pos; m--) best[m] = best[m - 1];
            best[pos] = c;
            if (nbest < 3) nbest++;
        }
    }
    if (!ncand) {
        Diag *d = diag(p->h, D_NO_INSTANCE, where, "no instance type offered in %s meets profile %s for node group '%s'",
                       p->c->region.v, g->profile.v, g->name.v);
        diag_label(d, "of the %zu types priced in %s, none meets every requirement", offered, p->c->region.v);
        for (size_t k = 0; k < g->requirements.n; k++) {
            const IrRequirement *q = g->requirements.v[k];
            if (missed[k]) diag_note(d, q->at, "%zu of %zu miss this requirement", missed[k], offered);
        }
        if (missed[g->requirements.n])
            diag_note(d, g->efa.p.span, "%zu of %zu have no EFA, which this node group enables", missed[g->requirements.n], offered);
        if (missed[g->requirements.n + 1])
            diag_note(d, p->c->head->instance.p.span, "%zu of %zu are not %s like the head node (%s)", missed[g->requirements.n + 1],
                      offered, arch, hi->type);
        return;
    }
    Choice ch = {part->name.v, g->name.v, g->profile.v, best[0].in->type, best[0].hourly, {NULL, NULL}, {{0, 1}, {0, 1}}, ncand, false};
    Buf why = {0};
    buf_printf(&why, "instance selection: the cheapest of %zu type%s offered in %s that meet %s", ncand, ncand == 1 ? "" : "s",
               p->c->region.v, g->profile.v);
    if (efa) buf_printf(&why, " with EFA");
    if (arch) buf_printf(&why, " on %s like the head node", arch);
    buf_printf(&why, " (%s USD/h)", money(p, best[0].hourly));
    for (size_t m = 1; m < nbest; m++) {
        ch.runners_up[m - 1] = best[m].in->type;
        ch.runner_hourly[m - 1] = best[m].hourly;
        buf_printf(&why, "%s%s %s USD/h", m == 1 ? "; runners-up: " : ", ", best[m].in->type, money(p, best[m].hourly));
    }
    const char *note = NULL;
    for (size_t k = 0; k < g->requirements.n && !ch.unverified; k++) ch.unverified = req_unverified(g->requirements.v[k], &note);
    g->instances.v = NEW(A, Ir_STR);
    g->instances.n = 1;
    g->instances.v[0].v = best[0].in->type;
    g->instances.v[0].p = (Prov){ORIGIN_PASS, NOSPAN, arena_strdup(A, why.p), ch.unverified, note};
    g->instances.p = g->instances.v[0].p;
    buf_free(&why);
    VPUSH(A, p->an->choices, ch);
}

/* ---- checks ------------------------------------------------------------------------------------ */

/* EC2 sizes: nano micro small medium large xlarge Nxlarge metal metal-Nxl. */
static bool size_word(const char *s)
{
    static const char *const plain[] = {"nano", "micro", "small", "medium", "large", "xlarge", "metal"};
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
        if (str_eq(s, plain[i])) return true;
    if (str_has_prefix(s, "metal-")) s += 6;
    size_t n = 0;
    while (s[n] >= '0' && s[n] <= '9') n++;
    return n > 0 && (str_eq(s + n, "xlarge") || str_eq(s + n, "xl"));
}

/* A catalog type the name is probably a typo of. A well-formed name in a family
 * the catalog knows (g5.12xlarge beside g5.48xlarge) is a real type hpcc does
 * not know, not a typo; a family the catalog lacks gets a suggestion only one
 * edit away. */
static const char *typo_of(P *p, const char *type)
{
    const char *dot = strchr(type, '.');
    const char *close = catalog_closest(p->h, p->cat, type);
    if (!dot || !close) return close;
    if (!size_word(dot + 1)) return close;
    bool family_known = false;
    for (size_t i = 0; i < p->cat->n && !family_known; i++)
        family_known = strncmp(p->cat->v[i].type, type, (size_t)(dot - type) + 1) == 0;
    if (family_known) return NULL;
    return edit_distance(type, close, 1) <= 1 ? close : NULL;
}

static const Instance *known(P *p, const Ir_STR *s, const char *what)
{
    if (!s->v) return NULL;
    const Instance *in = catalog_find(p->cat, s->v);
    bool priced = p->an->prices && prices_ec2(p->an->prices, s->v);
    if (!in) {
        Diag *d = diag(p->h, D_UNKNOWN_INSTANCE, s->p.span, "instance type '%s' is not in hpcc's catalog", s->v);
        diag_label(d, priced ? "no hardware checks for %s" : "no hardware checks or prices for %s", what);
        const char *close = typo_of(p, s->v);
        if (close) diag_note(d, NOSPAN, "did you mean '%s'?", close);
        return NULL;
    }
    if (p->an->prices && !priced && s->p.origin == ORIGIN_SPEC) {
        Diag *d = diag(p->h, D_NOT_OFFERED, s->p.span, "%s is not offered in %s", s->v, p->c->region.v);
        Buf b = {0};
        for (size_t i = 0; i < in->nregions; i++) buf_printf(&b, "%s%s", i ? ", " : "", in->regions[i]);
        diag_label(d, "%s has no price for it%s%s", p->an->prices->label, b.n ? "; hpcc's catalog lists it in " : "", b.n ? b.p : "");
        buf_free(&b);
    }
    return in;
}

static void check_profile(P *p, const IrNodeGroup *g, const Ir_STR *s, const Instance *in)
{
    for (size_t k = 0; k < g->requirements.n; k++) {
        const IrRequirement *q = g->requirements.v[k];
        const char *why = unmet(p, in, q);
        if (!why) continue;
        Diag *d = diag(p->h, D_PROFILE_UNMET, s->p.span, "%s does not meet %s: %s", s->v, g->profile.v, why);
        diag_label(d, "node group '%s' asks for profile %s", g->name.v, g->profile.v);
        const char *note = NULL;
        if (req_unverified(q, &note)) diag_note(d, q->at, "the requirement is unverified: %s", note ? note : "");
        else diag_note(d, q->at, "the requirement");
    }
}

static bool partition_pg(const IrPartition *q, const IrNodeGroup *g)
{
    if (ir_set(g->placement_group.p)) return g->placement_group.v;
    return ir_set(q->placement_group.p) && q->placement_group.v;
}

static void node_group(P *p, IrPartition *q, IrNodeGroup *g)
{
    bool multi_az = q->network && q->network->subnets.n > 1;
    if (ir_set(g->efa_gdr.p) && g->efa_gdr.v && !g->efa.v) {
        Diag *d = diag(p->h, D_PC_EFA_GDR, g->efa_gdr.p.span, "GDR support needs EFA on node group '%s'", g->name.v);
        diag_label(d, "Efa/GdrSupport can be used only with Efa/Enabled (EfaValidator)");
    }
    int64_t min_mib = -1, max_mib = -1;
    const Instance *smallest = NULL;
    for (size_t i = 0; i < g->instances.n; i++) {
        Ir_STR located = g->instances.v[i];
        const Ir_STR *s = &located;
        /* A type the selection chose has no place in the spec: report at the profile. */
        if (!s->p.span.file) located.p.span = g->profile.p.span.file ? g->profile.p.span : g->name.p.span;
        const Instance *in = known(p, s, arena_printf(p->h->arena, "node group '%s'", g->name.v));
        if (!in) {
            min_mib = -2; /* memory unknown for one type: no memory rules */
            continue;
        }
        if (g->profile.v && s->p.origin == ORIGIN_SPEC) check_profile(p, g, s, in);
        if (g->efa.v && !in->efa) {
            Diag *d = diag(p->h, D_PC_EFA_INSTANCE, s->p.span, "%s does not support EFA", in->type);
            diag_label(d, "node group '%s' enables EFA (EfaValidator); disable it, or choose a type with EFA", g->name.v);
        } else if (!g->efa.v && in->efa && !multi_az && partition_pg(q, g)) {
            Diag *d = diag(p->h, D_EFA_OFF, s->p.span, "%s supports EFA, but node group '%s' leaves it off in a placement group",
                           in->type, g->name.v);
            diag_label(d, "tightly coupled jobs run better with efa = true (no extra charge)");
        }
        const Instance *hi = head_instance(p);
        if (hi && !str_eq(hi->arch, in->arch)) {
            Diag *d = diag(p->h, D_PC_ARCH, s->p.span,
                           "%s is %s, but the head node (%s) is %s", in->type, in->arch, hi->type, hi->arch);
            diag_label(d, "head and compute nodes must share an architecture (InstanceArchitectureCompatibilityValidator)");
        }
        int64_t mib = in->memory_gib * 1024;
        if (min_mib != -2) {
            if (min_mib < 0 || mib < min_mib) min_mib = mib, smallest = in;
            if (mib > max_mib) max_mib = mib;
        }
    }
    if (min_mib < 0) return;
    /* RealMemory, as ParallelCluster's Slurm config generator writes it. */
    NodeMemory nm = {q->name.v, g->name.v, smallest->type, min_mib, 0, false};
    if (ir_set(g->schedulable_memory.p) && rat_is_int(g->schedulable_memory.v)) {
        nm.real_mib = rat_to_i64(g->schedulable_memory.v);
        nm.schedulable = true;
    } else {
        nm.real_mib = min_mib * 95 / 100;
    }
    VPUSH(p->h->arena, p->an->memory, nm);
    if (ir_set(g->schedulable_memory.p)) {
        Rat sm = g->schedulable_memory.v;
        if (rat_cmp(sm, rat_int(1)) < 0) {
            diag(p->h, D_PC_MEMORY, g->schedulable_memory.p.span, "SchedulableMemory must be at least 1 MiB");
        } else if (rat_cmp(sm, rat_int(min_mib)) > 0) {
            Diag *d = diag(p->h, D_PC_MEMORY, g->schedulable_memory.p.span,
                           "schedulable_memory is larger than the memory of %s (%lld MiB)", smallest->type, (long long)min_mib);
            diag_label(d, "SchedulableMemory cannot exceed the EC2 memory of the smallest instance type (SchedulableMemoryValidator)");
        }
    }
    bool memory_based = p->c->slurm && p->c->slurm->memory_based.v;
    if (memory_based && g->instances.n > 1) {
        int64_t diff = max_mib - min_mib;
        /* both thresholds: more than 4096 MiB and more than 20 % of the smallest */
        if (diff > 4096 && diff * 5 > min_mib) {
            Diag *d = diag(p->h, D_MEMORY_FLEX, g->name.p.span,
                           "node group '%s' mixes instance types whose memory differs by %lld MiB", g->name.v, (long long)diff);
            diag_label(d, "with memory-based scheduling, Slurm sees only the smallest (%s, %lld MiB): the rest of the larger "
                          "types' memory goes unused",
                       smallest->type, (long long)min_mib);
        }
    }
}

static void cluster(P *p)
{
    IrCluster *c = p->c;
    if (c->head) known(p, &c->head->instance, "the head node");
    if (c->image) known(p, &c->image->instance, "the image build");
    for (size_t i = 0; i < c->partitions.n; i++) {
        IrPartition *q = c->partitions.v[i];
        for (size_t k = 0; k < q->nodes.n; k++) {
            IrNodeGroup *g = q->nodes.v[k];
            if (g->instances.n == 0 && g->profile.v) select_instance(p, q, g);
            node_group(p, q, g);
        }
    }
}

void pass_instances(Hpcc *h, Ir *ir)
{
    for (size_t i = 0; i < ir->n; i++) {
        P p = {h, ir, ir->clusters[i], analysis_of(h, ir, i), catalog_get(h), NULL};
        const char *ver = p.c->pcluster.v;
        p.v = arena_printf(h->arena, "ParallelCluster %.*s", (int)(strrchr(ver, '.') - ver), ver);
        cluster(&p);
    }
}
