/* pass_pcluster.c — ParallelCluster 3.11's offline validation rules.
 *
 * Every rule of ParallelCluster 3.11.1 that needs neither an AWS call nor
 * instance data (its marshmallow schema and the "offline" validators of
 * cli/src/pcluster/validators/), checked on the IR so that mistakes surface
 * with a place in the spec instead of in `pcluster create-cluster`. Each
 * diagnostic names the ParallelCluster setting it concerns. docs/pcluster-rules.md
 * lists the rules and the validators they come from. Rules that need
 * instance data (EFA support per type, memory) come with the catalog. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "passes.h"
#include "value.h"

static const Span NOSPAN = {0, 0, 0};

typedef struct P {
    Hpcc *h;
    IrCluster *c;
    const char *v;        /* "ParallelCluster 3.11" */
} P;

/* Set by the spec or by hpcc, not merely ParallelCluster's default. */
static bool emit_set(Prov p) { return p.origin != ORIGIN_UNSET && p.origin != ORIGIN_DEFAULT; }

/* The span of a field, or the fallback when it came from a default. */
static Span at(Prov p, Span fallback) { return p.span.file ? p.span : fallback; }

/* The first `n` bytes of a span: the keyword of a block entry (`nodes`, `storage`). */
static Span head(Span s, size_t n)
{
    if (s.file && s.end - s.start > n) s.end = s.start + (uint32_t)n;
    return s;
}

static bool ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b)) return false;
    return !*a && !*b;
}

/* ---- names ------------------------------------------------------------------------ */

/* Queue, compute resource: ^[a-z][a-z0-9-]*$, at most 25, not "default" (NameValidator). */
static void queue_style_name(P *p, const Ir_STR *name, const char *what, const char *setting)
{
    const char *s = name->v;
    size_t n = strlen(s);
    bool ok = n >= 1 && n <= 25 && s[0] >= 'a' && s[0] <= 'z' && strcmp(s, "default") != 0;
    for (size_t i = 1; ok && i < n; i++) ok = (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-';
    if (ok) return;
    Diag *d = diag(p->h, D_PC_NAME, name->p.span, "%s name '%s' is not allowed by %s", what, s, p->v);
    diag_label(d, "names must match ^[a-z][a-z0-9-]*$ and be at most 25 characters");
    if (strcmp(s, "default") == 0) diag_note(d, NOSPAN, "'default' is reserved (%s)", setting);
    else diag_note(d, NOSPAN, "it becomes %s", setting);
}

/* Shared storage and DRA names: ^[\w+=.:@/-]{0,256}$, at most 30, not "default". */
static void storage_style_name(P *p, const Ir_STR *name, Span fallback, const char *what, const char *setting)
{
    const char *s = name->v;
    size_t n = strlen(s);
    bool ok = n <= 30 && strcmp(s, "default") != 0;
    for (size_t i = 0; ok && i < n; i++) ok = isalnum((unsigned char)s[i]) || strchr("_+-=.:@/", s[i]);
    if (ok) return;
    Diag *d = diag(p->h, D_PC_NAME, at(name->p, fallback), "%s name '%s' is not allowed by %s", what, s, p->v);
    diag_label(d, "%s must use letters, digits and _+-=.:@/ only, be at most 30 characters and not be 'default'", setting);
}

static void cluster_name(P *p)
{
    const IrCluster *c = p->c;
    const char *s = c->name.v;
    size_t n = strlen(s);
    bool chars = isalpha((unsigned char)s[0]);
    for (size_t i = 1; chars && i < n; i++) chars = isalnum((unsigned char)s[i]) || s[i] == '-';
    bool accounting = c->slurm && c->slurm->accounting;
    size_t max = accounting ? 40 : 60;
    if (!chars || n < 2) {
        Diag *d = diag(p->h, D_PC_NAME, c->name.p.span, "cluster name '%s' is not allowed by %s", s, p->v);
        diag_label(d, "cluster names must match ^[a-zA-Z][a-zA-Z0-9-]+$");
    } else if (n > max) {
        Diag *d = diag(p->h, D_PC_NAME, c->name.p.span, "cluster name '%s' is %zu characters; %s allows at most %zu%s", s, n,
                       p->v, max, accounting ? " with Slurm accounting" : "");
        diag_label(d, "the cluster name prefixes AWS resource names");
        if (accounting) diag_note(d, c->slurm->accounting->at, "Slurm accounting (Scheduling/SlurmSettings/Database) is set here");
    }
}

/* ---- counts ------------------------------------------------------------------------ */

static void too_many(P *p, Span where, size_t have, size_t limit, const char *what, const char *setting)
{
    Diag *d = diag(p->h, D_PC_COUNT, where, "too many %s: %zu (limit is %zu)", what, have, limit);
    diag_label(d, "%s allows at most %zu %s", p->v, limit, setting);
}

static void counts(P *p)
{
    const IrCluster *c = p->c;
    if (c->partitions.n > 50)
        too_many(p, c->partitions.v[50]->name.p.span, c->partitions.n, 50, "partitions", "SlurmQueues");
    size_t total = 0;
    for (size_t i = 0; i < c->partitions.n; i++) {
        const IrPartition *q = c->partitions.v[i];
        if (q->nodes.n > 50)
            too_many(p, q->nodes.v[50]->name.p.span, q->nodes.n, 50,
                     arena_printf(p->h->arena, "node groups in partition '%s'", q->name.v), "ComputeResources per queue");
        for (size_t k = 0; k < q->nodes.n; k++)
            if (++total == 51)
                too_many(p, q->nodes.v[k]->name.p.span, 51, 50, "node groups in the cluster",
                         "ComputeResources in a cluster");
    }
    size_t ebs = 0, new_efs = 0, new_fsx = 0, old_efs = 0, old_fsx = 0;
    for (size_t i = 0; i < c->storage.n; i++) {
        const IrStorage *s = c->storage.v[i];
        /* A file system the cluster stack creates is an existing one to ParallelCluster. */
        bool existing = ir_set(s->existing.p) || str_eq(s->owner.v, "stack");
        const char *t = s->type.v;
        Span w = s->label.p.span;
        if (strcmp(t, "Ebs") == 0 && ++ebs == 6) too_many(p, w, 6, 5, "EBS volumes", "Ebs SharedStorage entries");
        if (strcmp(t, "Efs") == 0 && !existing && ++new_efs == 2)
            too_many(p, w, 2, 1, "new EFS file systems", "new (managed) Efs SharedStorage entry");
        if (strcmp(t, "FsxLustre") == 0 && !existing && ++new_fsx == 2)
            too_many(p, w, 2, 1, "new FSx file systems", "new (managed) FsxLustre SharedStorage entry");
        if (strcmp(t, "Efs") == 0 && existing && ++old_efs == 21)
            too_many(p, w, 21, 20, "existing EFS file systems", "existing Efs SharedStorage entries");
        if (strcmp(t, "FsxLustre") == 0 && existing && ++old_fsx == 21)
            too_many(p, w, 21, 20, "existing FSx file systems", "existing FSx SharedStorage entries");
    }
}

/* ---- node groups: counts, priorities, allocation ------------------------------------------- */

static void node_groups(P *p)
{
    const IrCluster *c = p->c;
    for (size_t i = 0; i < c->partitions.n; i++) {
        const IrPartition *q = c->partitions.v[i];
        queue_style_name(p, &q->name, "queue", "Scheduling/SlurmQueues/Name");
        bool block = str_eq(q->capacity.v, "CAPACITY_BLOCK");
        if (emit_set(q->allocation.p) && str_eq(q->capacity.v, "ONDEMAND") && !str_eq(q->allocation.v, "lowest-price")) {
            Diag *d = diag(p->h, D_PC_COUNT, q->allocation.p.span, "on-demand partition '%s' can only use the lowest-price allocation strategy",
                           q->name.v);
            diag_label(d, "AllocationStrategy %s needs CapacityType SPOT (%s)", q->allocation.v, p->v);
        }
        if (block && emit_set(q->allocation.p)) {
            Diag *d = diag(p->h, D_PC_COUNT, q->allocation.p.span, "a capacity-block partition takes no allocation strategy");
            diag_label(d, "remove AllocationStrategy for CapacityType CAPACITY_BLOCK");
        }
        int64_t max_static = -1, min_dynamic = INT64_MAX;
        Span static_at = NOSPAN, dynamic_at = NOSPAN;
        for (size_t k = 0; k < q->nodes.n; k++) {
            const IrNodeGroup *g = q->nodes.v[k];
            queue_style_name(p, &g->name, "compute resource", "SlurmQueues/ComputeResources/Name");
            if (block && g->min_count.v != g->max_count.v) {
                Diag *d = diag(p->h, D_PC_NODE_COUNT, at(g->max_count.p, g->name.p.span),
                               "a capacity block needs count MIN..MAX with MIN = MAX, found %lld..%lld",
                               (long long)g->min_count.v, (long long)g->max_count.v);
                diag_label(d, "MinCount and MaxCount must be equal with CapacityType CAPACITY_BLOCK");
            }
            if (block && g->min_count.v == 0) {
                Diag *d = diag(p->h, D_PC_NODE_COUNT, at(g->min_count.p, g->name.p.span),
                               "a capacity block needs at least one node");
                diag_label(d, "MinCount must be > 0 with CapacityType CAPACITY_BLOCK");
            }
            if (g->min_count.v > 0 && g->static_priority.v > max_static) max_static = g->static_priority.v, static_at = at(g->static_priority.p, g->name.p.span);
            if (g->max_count.v > g->min_count.v && g->dynamic_priority.v < min_dynamic)
                min_dynamic = g->dynamic_priority.v, dynamic_at = at(g->dynamic_priority.p, g->name.p.span);
        }
        if (max_static >= 0 && min_dynamic != INT64_MAX && min_dynamic < max_static) {
            Diag *d = diag(p->h, D_PC_PRIORITY, dynamic_at,
                           "in partition '%s', dynamic nodes (priority %lld) are preferred over static ones (priority %lld)",
                           q->name.v, (long long)min_dynamic, (long long)max_static);
            diag_label(d, "Slurm allocates lower weights first: DynamicNodePriority below StaticNodePriority starts instances while static nodes idle");
            diag_note(d, static_at, "the static nodes' priority");
        }
    }
}

/* ---- Slurm settings ------------------------------------------------------------------------- */

static const char *const DENY_CLUSTER[] = {"Epilog", "GresTypes", "LaunchParameters", "Prolog", "ReconfigFlags",
                                           "ResumeFailProgram", "ResumeProgram", "ResumeTimeout", "SlurmctldHost",
                                           "SlurmctldLogFile", "SlurmctldParameters", "SlurmdLogFile", "SlurmUser",
                                           "SuspendExcNodes", "SuspendProgram", "SuspendTime", "TaskPlugin",
                                           "TreeWidth", NULL};
static const char *const DENY_ACCOUNTING[] = {"AccountingStorageType", "AccountingStorageHost", "AccountingStoragePort",
                                              "AccountingStorageUser", "JobAcctGatherType", NULL};
static const char *const DENY_QUEUE[] = {"Nodes", "PartitionName", "ResumeTimeout", "State", "SuspendTime",
                                         "OverSubscribe", NULL};
static const char *const DENY_NODE[] = {"CPUs", "Features", "Gres", "NodeAddr", "NodeHostname", "NodeName", "State",
                                        "Weight", NULL};

static const char *denied(const char *key, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (ieq(key, list[i])) return list[i];
    return NULL;
}

static void deny_list(P *p, const Ir_KV *kv, const char *const *list, const char *level, const char *setting)
{
    for (size_t i = 0; i < kv->n; i++) {
        const char *k = denied(kv->v[i].key, list);
        if (!k) continue;
        Diag *d = diag(p->h, D_PC_SLURM_DENIED, head(kv->v[i].p.span, strlen(kv->v[i].key)), "Slurm setting '%s' is managed by ParallelCluster at %s level",
                       kv->v[i].key, level);
        diag_label(d, "%s does not allow %s in %s", p->v, k, setting);
    }
}

static void slurm_settings(P *p)
{
    const IrCluster *c = p->c;
    const IrSlurm *s = c->slurm;
    bool acct = s->accounting != NULL;
    deny_list(p, &s->settings, DENY_CLUSTER, "cluster", "Scheduling/SlurmSettings/CustomSlurmSettings");
    if (acct) deny_list(p, &s->settings, DENY_ACCOUNTING, "cluster (with accounting)", "Scheduling/SlurmSettings/CustomSlurmSettings");
    if (s->extras && ir_set(s->settings.p)) {
        Diag *d = diag(p->h, D_PC_SLURM_EXCLUSIVE, s->settings.p.span,
                       "cluster-level Slurm settings and an extras file cannot be used together");
        diag_label(d, "%s: CustomSlurmSettings and CustomSlurmSettingsIncludeFile are exclusive", p->v);
        diag_note(d, s->extras->at, "the extras file (CustomSlurmSettingsIncludeFile) is set here");
    }
    if (s->extras) {
        /* ParallelCluster does not check the include file: say what it overrides. */
        for (size_t i = 0; i < s->extras->settings.n; i++) {
            const IrKv *kv = &s->extras->settings.v[i];
            const char *k = denied(kv->key, DENY_CLUSTER);
            if (!k && acct) k = denied(kv->key, DENY_ACCOUNTING);
            if (!k) continue;
            Diag *d = diag(p->h, D_PC_SLURM_MANAGED, head(kv->p.span, strlen(kv->key)), "the extras file sets '%s', which ParallelCluster manages",
                           kv->key);
            diag_label(d, "ParallelCluster rejects %s in CustomSlurmSettings but does not check the include file", k);
            diag_note(d, NOSPAN, "if this is intended, say why: allow slurm-setting-managed \"...\"");
        }
    }
    for (size_t i = 0; i < c->partitions.n; i++) {
        const IrPartition *q = c->partitions.v[i];
        deny_list(p, &q->settings, DENY_QUEUE, "queue", "SlurmQueues/CustomSlurmSettings");
        for (size_t k = 0; k < q->settings.n; k++) {
            const IrKv *kv = &q->settings.v[k];
            const Prov *first = ieq(kv->key, "MaxNodes") && ir_set(q->max_nodes.p) ? &q->max_nodes.p
                                : ieq(kv->key, "MaxTime") && ir_set(q->max_time.p) ? &q->max_time.p : NULL;
            if (first) {
                Diag *d = diag(p->h, D_PC_SLURM_DENIED, head(kv->p.span, strlen(kv->key)), "'%s' is set twice in partition '%s'", kv->key, q->name.v);
                diag_label(d, "both become SlurmQueues/CustomSlurmSettings/%s", kv->key);
                diag_note(d, first->span, "also set here");
            }
        }
        for (size_t k = 0; k < q->nodes.n; k++)
            deny_list(p, &q->nodes.v[k]->settings, DENY_NODE, "node", "ComputeResources/CustomSlurmSettings");
    }
}

/* ---- networking: EFA, placement groups, availability zones ---------------------------------------- */

static void networking(P *p)
{
    const IrCluster *c = p->c;
    const IrStorage *managed_fsx = NULL;
    for (size_t i = 0; i < c->storage.n; i++)
        if (str_eq(c->storage.v[i]->type.v, "FsxLustre") && !ir_set(c->storage.v[i]->existing.p)) managed_fsx = c->storage.v[i];
    for (size_t i = 0; i < c->partitions.n; i++) {
        const IrPartition *q = c->partitions.v[i];
        const IrNetwork *n = q->network;
        size_t nsub = n ? n->subnets.n : 0;
        bool multi_az = nsub > 1;
        bool block = str_eq(q->capacity.v, "CAPACITY_BLOCK");
        for (size_t a = 0; n && a < nsub; a++)
            for (size_t b = 0; b < a; b++)
                if (strcmp(n->subnets.v[a].v, n->subnets.v[b].v) == 0) {
                    Diag *d = diag(p->h, D_PC_MULTI_AZ, n->subnets.v[a].p.span, "subnet '%s' is listed twice in partition '%s'",
                                   n->subnets.v[a].v, q->name.v);
                    diag_label(d, "SlurmQueues/Networking/SubnetIds must not repeat a subnet");
                }
        if (multi_az && managed_fsx) {
            Diag *d = diag(p->h, D_PC_MULTI_AZ, n->subnets.p.span,
                           "partition '%s' spans %zu subnets (availability zones), which a new FSx file system does not allow",
                           q->name.v, nsub);
            diag_label(d, "%s requires every queue to use one subnet when the cluster creates an FSx for Lustre file system",
                       p->v);
            diag_note(d, managed_fsx->label.p.span, "the new file system '%s' is declared here", managed_fsx->label.v);
        }
        if (multi_az && ir_set(q->placement_group.p) && q->placement_group.v) {
            Diag *d = diag(p->h, D_PC_MULTI_AZ, q->placement_group.p.span,
                           "a placement group cannot span the %zu subnets (availability zones) of partition '%s'", nsub, q->name.v);
            diag_label(d, "remove placement_group, or use one subnet (SlurmQueues/Networking/PlacementGroup)");
        }
        const IrNodeGroup *first_efa = NULL;
        for (size_t k = 0; k < q->nodes.n && !first_efa; k++)
            if (q->nodes.v[k]->efa.v) first_efa = q->nodes.v[k];
        /* With its own security groups a queue needs one that lets EFA traffic through
         * (EfaSecurityGroupValidator, checked against AWS): name it, or the stack creates it. */
        if (first_efa && n && ir_set(n->security_groups.p) && !ir_set(q->efa_security_group.p)) {
            if (!ir_set(n->vpc.p)) {
                Diag *d = diag(p->h, D_PC_EFA_SG_VPC, n->security_groups.p.span,
                               "partition '%s' replaces ParallelCluster's security groups and enables EFA, but names no EFA security group",
                               q->name.v);
                diag_label(d, "set efa_security_group = \"sg-...\" (all traffic from itself, in and out), or vpc in its network so the cluster stack can create one");
            } else {
                Diag *d = diag(p->h, D_PC_EFA_SG, head(first_efa->at, 5),
                               "cluster-stack.yaml creates the EFA security group of partition '%s'", q->name.v);
                diag_label(d, "cluster.yaml cannot name it before it exists: after the first stack deployment, pin efa_security_group = \"sg-...\"");
            }
        }
        for (size_t k = 0; k < q->nodes.n; k++) {
            const IrNodeGroup *g = q->nodes.v[k];
            if (!g->efa.v) continue;
            Span where = head(g->at, 5);
            if (multi_az) {
                Diag *d = diag(p->h, D_PC_MULTI_AZ, at(g->efa.p, where), "EFA on '%s' needs partition '%s' in one availability zone",
                               g->name.v, q->name.v);
                diag_label(d, "the partition lists %zu subnets (SlurmQueues/Networking/SubnetIds); EFA works within one AZ", nsub);
                continue;
            }
            if (block) continue;
            /* The node group's own placement group overrides the partition's. */
            bool own = ir_set(g->placement_group.p);
            bool set = own || ir_set(q->placement_group.p);
            bool enabled = own ? g->placement_group.v : q->placement_group.v;
            Span pg = own ? g->placement_group.p.span : q->placement_group.p.span;
            if (!set) {
                Diag *d = diag(p->h, D_PC_EFA_PG, where, "EFA on '%s' needs an explicit placement group", g->name.v);
                diag_note(d, q->name.p.span, "add `placement_group = true` to partition '%s', or `placement_group = false` to "
                          "go without one, or disable EFA (SlurmQueues/Networking/PlacementGroup)", q->name.v);
            } else if (!enabled) {
                Diag *d = diag(p->h, D_PC_EFA_PG_DISABLED, pg, "EFA on '%s' runs without a placement group", g->name.v);
                diag_label(d, "tightly coupled jobs may run better in a cluster placement group");
                diag_note(d, where, "EFA is enabled here");
            }
        }
    }
    /* Head node and queues: all managed security groups, or all custom (MixedSecurityGroupOverwriteValidator). */
    bool head_custom = c->head && c->head->network && ir_set(c->head->network->security_groups.p);
    size_t custom = 0, managed = 0;
    const IrPartition *odd = NULL;
    for (size_t i = 0; i < c->partitions.n; i++) {
        bool cu = c->partitions.v[i]->network && ir_set(c->partitions.v[i]->network->security_groups.p);
        if (cu) custom++;
        else managed++;
        if (cu != head_custom && !odd) odd = c->partitions.v[i];
    }
    if (c->partitions.n && ((head_custom && managed) || (!head_custom && custom))) {
        Diag *d = diag(p->h, D_PC_MIXED_SG, odd->name.p.span,
                       "partition '%s' %s ParallelCluster's security groups while the head node %s them", odd->name.v,
                       head_custom ? "keeps" : "replaces", head_custom ? "replaces" : "keeps");
        diag_label(d, "make sure every node can reach every other, or use additional_security_groups instead of security_groups");
    }
}

/* ---- storage ------------------------------------------------------------------------------------ */

static bool fsx_capacity_ok(const char *dep, int64_t gib, const char *media, int64_t per_unit, const char **rule)
{
    if (str_eq(dep, "SCRATCH_1")) {
        *rule = "1200, 2400 or a multiple of 3600 GiB";
        return gib == 1200 || gib == 2400 || (gib > 0 && gib % 3600 == 0);
    }
    if (str_eq(dep, "PERSISTENT_1") && str_eq(media, "HDD")) {
        if (per_unit == 12) {
            *rule = "a multiple of 6000 GiB at 12 MB/s/TiB";
            return gib > 0 && gib % 6000 == 0;
        }
        *rule = "a multiple of 1800 GiB at 40 MB/s/TiB";
        return gib > 0 && gib % 1800 == 0;
    }
    *rule = "1200 or a multiple of 2400 GiB";
    return gib == 1200 || (gib > 0 && gib % 2400 == 0);
}

static void fsx(P *p, const IrStorage *s)
{
    Span w = s->label.p.span;
    const char *dep = s->deployment.v;
    if (ir_set(s->existing.p)) {
        const Prov *extra[] = {&s->capacity.p, &s->per_unit.p, &s->compression.p, &s->media.p, &s->kms_key.p};
        for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++)
            if (ir_set(*extra[i])) {
                Diag *d = diag(p->h, D_PC_FSX, extra[i]->span, "an existing FSx file system takes no other settings");
                diag_label(d, "with FsxLustreSettings/FileSystemId, ParallelCluster only mounts the file system");
                return;
            }
        if (emit_set(s->deployment.p) || s->links.n) {
            Diag *d = diag(p->h, D_PC_FSX, s->links.n ? s->links.v[0]->at : s->deployment.p.span,
                           "an existing FSx file system takes no other settings");
            diag_label(d, "with FsxLustreSettings/FileSystemId, ParallelCluster only mounts the file system");
        }
        return;
    }
    if (!ir_set(s->capacity.p)) {
        Diag *d = diag(p->h, D_PC_FSX, w, "new FSx file system '%s' has no capacity", s->label.v);
        diag_label(d, "add capacity = 1200 GiB (FsxLustreSettings/StorageCapacity is required)");
    } else {
        const char *rule;
        int64_t gib = rat_to_i64(s->capacity.v), pu = ir_set(s->per_unit.p) ? rat_to_i64(s->per_unit.v) : 0;
        if (!fsx_capacity_ok(dep, gib, s->media.v, pu, &rule)) {
            Diag *d = diag(p->h, D_PC_FSX, s->capacity.p.span, "%lld GiB is not a valid capacity for a %s file system",
                           (long long)gib, dep);
            diag_label(d, "FsxLustreSettings/StorageCapacity must be %s", rule);
        }
    }
    bool scratch = str_eq(dep, "SCRATCH_1") || str_eq(dep, "SCRATCH_2");
    bool hdd = str_eq(s->media.v, "HDD");
    if (scratch && ir_set(s->per_unit.p)) {
        Diag *d = diag(p->h, D_PC_FSX, s->per_unit.p.span, "a %s file system takes no per-unit throughput", dep);
        diag_label(d, "PerUnitStorageThroughput is for PERSISTENT_1 and PERSISTENT_2");
    } else if (!scratch && !ir_set(s->per_unit.p)) {
        Diag *d = diag(p->h, D_PC_FSX, at(s->deployment.p, w), "a %s file system needs a per-unit throughput", dep);
        diag_label(d, "add per_unit = %s (FsxLustreSettings/PerUnitStorageThroughput)",
                   str_eq(dep, "PERSISTENT_2") ? "250 MB/s/TiB" : hdd ? "40 MB/s/TiB" : "200 MB/s/TiB");
    } else if (!scratch) {
        int64_t pu = rat_to_i64(s->per_unit.v);
        const int64_t p2[] = {125, 250, 500, 1000, 0}, p1[] = {50, 100, 200, 0}, p1h[] = {12, 40, 0};
        const int64_t *ok = str_eq(dep, "PERSISTENT_2") ? p2 : hdd ? p1h : p1;
        bool found = false;
        Buf b = {0};
        for (size_t i = 0; ok[i]; i++) {
            found |= ok[i] == pu;
            buf_printf(&b, "%s%lld", i ? ", " : "", (long long)ok[i]);
        }
        if (!found) {
            Diag *d = diag(p->h, D_PC_FSX, s->per_unit.p.span, "%lld MB/s/TiB is not offered for %s%s", (long long)pu, dep,
                           hdd ? " HDD" : "");
            diag_label(d, "PerUnitStorageThroughput must be one of %s MB/s/TiB", b.p);
        }
        buf_free(&b);
    }
    if (hdd && !str_eq(dep, "PERSISTENT_1")) {
        Diag *d = diag(p->h, D_PC_FSX, s->media.p.span, "HDD storage needs the PERSISTENT_1 deployment type");
        diag_label(d, "FsxLustreSettings/StorageType HDD is only for PERSISTENT_1");
    }
    if (ir_set(s->kms_key.p) && scratch) {
        Diag *d = diag(p->h, D_PC_FSX, s->kms_key.p.span, "a %s file system takes no KMS key", dep);
        diag_label(d, "FsxLustreSettings/KmsKeyId is for PERSISTENT_1 and PERSISTENT_2");
    }
    if (s->links.n > 8) {
        Diag *d = diag(p->h, D_PC_COUNT, s->links.v[8]->at, "too many links: %zu (limit is 8)", s->links.n);
        diag_label(d, "%s allows at most 8 DataRepositoryAssociations per file system", p->v);
    }
    if (s->links.n && !str_eq(dep, "PERSISTENT_2")) {
        Diag *d = diag(p->h, D_PC_FSX_DRA, s->links.v[0]->at, "data repository links on a %s file system", dep);
        diag_label(d, "ParallelCluster added DataRepositoryAssociations for PERSISTENT_2; FSx may refuse them on %s", dep);
    }
    for (size_t i = 0; i < s->links.n; i++) {
        const IrLink *l = s->links.v[i];
        storage_style_name(p, &l->name, l->at, "data repository link", "DataRepositoryAssociations/Name");
        for (size_t k = 0; k < i; k++)
            if (str_eq(l->name.v, s->links.v[k]->name.v)) {
                Diag *d = diag(p->h, D_PC_NAME, at(l->name.p, l->at), "two links of '%s' are named '%s'", s->label.v, l->name.v);
                diag_note(d, at(s->links.v[k]->name.p, s->links.v[k]->at), "the first is here");
            }
        if (l->path.v && (strlen(l->path.v) == 0 || strlen(l->path.v) > 4096)) {
            Diag *d = diag(p->h, D_PC_FSX, l->path.p.span, "a link's path must be 1 to 4096 characters");
            diag_label(d, "DataRepositoryAssociations/FileSystemPath");
        }
        const Ir_STRS *pol[] = {&l->import, &l->export};
        for (int j = 0; j < 2; j++)
            for (size_t a = 0; a < pol[j]->n; a++)
                for (size_t b = 0; b < a; b++)
                    if (str_eq(pol[j]->v[a].v, pol[j]->v[b].v)) {
                        Diag *d = diag(p->h, D_PC_FSX, pol[j]->v[a].p.span, "'%s' is listed twice", pol[j]->v[a].v);
                        diag_label(d, "%s lists each event once", j ? "AutoExportPolicy" : "AutoImportPolicy");
                    }
    }
}

/* Security groups a node set names (its own or additional ones). */
static bool names_groups(const IrNetwork *n)
{
    return n && (ir_set(n->security_groups.p) || ir_set(n->additional_security_groups.p));
}

/* owner = stack: cluster-stack.yaml creates the file system, a mount target in
 * each subnet the nodes use, and a security group admitting NFS from the
 * groups the nodes name, in the VPC the spec names. */
static void stack_efs(P *p, const IrStorage *s)
{
    const IrCluster *c = p->c;
    bool vpc = c->head && c->head->network && ir_set(c->head->network->vpc.p);
    for (size_t i = 0; i < c->partitions.n && !vpc; i++)
        vpc = c->partitions.v[i]->network && ir_set(c->partitions.v[i]->network->vpc.p);
    if (!vpc) {
        Diag *d = diag(p->h, D_STACK_EFS_NET, s->owner.p.span,
                       "the cluster stack needs the VPC to create the security group of EFS file system '%s'", s->label.v);
        diag_label(d, "set vpc = \"vpc-...\" in the head node's network");
    }
    const char *bare = NULL;
    Span where = s->owner.p.span;
    if (c->head && !names_groups(c->head->network)) bare = "the head node";
    for (size_t i = 0; i < c->partitions.n && !bare; i++)
        if (!names_groups(c->partitions.v[i]->network))
            bare = arena_printf(p->h->arena, "partition '%s'", c->partitions.v[i]->name.v);
    if (bare) {
        Diag *d = diag(p->h, D_STACK_EFS_NET, where,
                       "EFS file system '%s' would admit NFS only from security groups the nodes name, and %s names none",
                       s->label.v, bare);
        diag_label(d, "add additional_security_groups = [\"sg-...\"] to its network (the ids of groups ParallelCluster "
                      "creates are not known before the cluster exists)");
    }
    if (!ir_set(s->existing.p)) {
        Diag *d = diag(p->h, D_STACK_EFS, where, "cluster-stack.yaml creates EFS file system '%s'", s->label.v);
        diag_label(d, "cluster.yaml cannot name it before it exists: after the first stack deployment, pin existing = \"fs-...\"");
    }
}

static void efs(P *p, const IrStorage *s)
{
    if (str_eq(s->owner.v, "stack")) stack_efs(p, s);
    if (ir_set(s->existing.p) && !str_eq(s->owner.v, "stack")) {
        const Prov *extra[] = {&s->encrypted.p, &s->kms_key.p, &s->performance.p, &s->throughput_mode.p, &s->provisioned.p,
                               &s->deletion.p};
        for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++)
            if (emit_set(*extra[i])) {
                Diag *d = diag(p->h, D_PC_STORAGE, extra[i]->span, "an existing EFS file system takes no settings of its own");
                diag_label(d, "with EfsSettings/FileSystemId, ParallelCluster only mounts the file system");
                return;
            }
        return;
    }
    bool prov = str_eq(s->throughput_mode.v, "provisioned");
    if (prov && !ir_set(s->provisioned.p)) {
        Diag *d = diag(p->h, D_PC_STORAGE, s->throughput_mode.p.span, "provisioned throughput mode needs a throughput");
        diag_label(d, "add provisioned = 128 MiB/s (EfsSettings/ProvisionedThroughput)");
    } else if (!prov && ir_set(s->provisioned.p)) {
        Diag *d = diag(p->h, D_PC_STORAGE, s->provisioned.p.span, "a provisioned throughput needs throughput_mode = provisioned");
        diag_label(d, "EfsSettings/ProvisionedThroughput goes with ThroughputMode provisioned");
    }
    if (ir_set(s->provisioned.p)) {
        int64_t v = rat_to_i64(s->provisioned.v);
        if (v < 1 || v > 1024) {
            Diag *d = diag(p->h, D_PC_STORAGE, s->provisioned.p.span, "%lld MiB/s is out of range", (long long)v);
            diag_label(d, "EfsSettings/ProvisionedThroughput must be from 1 to 1024 MiB/s");
        }
    }
    if (ir_set(s->kms_key.p) && !s->encrypted.v) {
        Diag *d = diag(p->h, D_PC_STORAGE, s->kms_key.p.span, "a KMS key needs encrypted = true");
        diag_label(d, "EfsSettings/KmsKeyId is used only when Encrypted is true");
    }
}

static void ebs(P *p, const IrStorage *s)
{
    if (ir_set(s->existing.p)) {
        const Prov *extra[] = {&s->capacity.p, &s->volume_type.p, &s->iops.p, &s->throughput.p, &s->encrypted.p,
                               &s->kms_key.p, &s->snapshot.p};
        for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++)
            if (emit_set(*extra[i])) {
                Diag *d = diag(p->h, D_PC_STORAGE, extra[i]->span, "an existing EBS volume takes no settings of its own");
                diag_label(d, "with EbsSettings/VolumeId, ParallelCluster only attaches the volume");
                return;
            }
        return;
    }
    const char *t = s->volume_type.v;
    int64_t size = rat_to_i64(s->capacity.v);
    int64_t lo = 1, hi = 16384;
    if (str_eq(t, "standard")) hi = 1024;
    else if (str_eq(t, "io1")) lo = 4;
    else if (str_eq(t, "io2")) lo = 4, hi = 65536;
    else if (str_eq(t, "st1") || str_eq(t, "sc1")) lo = 500;
    if (size < lo || size > hi) {
        Diag *d = diag(p->h, D_PC_STORAGE, at(s->capacity.p, s->label.p.span), "%lld GiB is out of range for a %s volume",
                       (long long)size, t);
        diag_label(d, "EbsSettings/Size for %s must be from %lld to %lld GiB", t, (long long)lo, (long long)hi);
    }
    bool iops_type = str_eq(t, "io1") || str_eq(t, "io2") || str_eq(t, "gp3");
    if (emit_set(s->iops.p) && !iops_type) {
        Diag *d = diag(p->h, D_PC_STORAGE, s->iops.p.span, "a %s volume takes no IOPS setting", t);
        diag_label(d, "EbsSettings/Iops is for io1, io2 and gp3");
    } else if (ir_set(s->iops.p) && iops_type) {
        int64_t io = s->iops.v, mn = 100, mx = 64000, per = 50;
        if (str_eq(t, "io2")) mx = 256000, per = 1000;
        if (str_eq(t, "gp3")) mn = 3000, mx = 16000, per = 500;
        if (io < mn || io > mx || io > per * size) {
            Diag *d = diag(p->h, D_PC_STORAGE, at(s->iops.p, s->label.p.span), "%lld IOPS is out of range for a %lld GiB %s volume",
                           (long long)io, (long long)size, t);
            diag_label(d, "EbsSettings/Iops for %s must be from %lld to %lld, and at most %lld per GiB", t, (long long)mn,
                       (long long)mx, (long long)per);
        }
    }
    if (emit_set(s->throughput.p)) {
        int64_t tp = rat_to_i64(s->throughput.v);
        if (!str_eq(t, "gp3")) {
            Diag *d = diag(p->h, D_PC_STORAGE, s->throughput.p.span, "a %s volume takes no throughput setting", t);
            diag_label(d, "EbsSettings/Throughput is for gp3");
        } else if (tp < 125 || tp > 1000) {
            Diag *d = diag(p->h, D_PC_STORAGE, s->throughput.p.span, "%lld MiB/s is out of range for a gp3 volume", (long long)tp);
            diag_label(d, "EbsSettings/Throughput must be from 125 to 1000 MiB/s");
        } else if (ir_set(s->iops.p) && tp * 4 > s->iops.v) {
            Diag *d = diag(p->h, D_PC_STORAGE, s->throughput.p.span, "%lld MiB/s needs at least %lld IOPS", (long long)tp,
                           (long long)(tp * 4));
            diag_label(d, "gp3 EbsSettings/Throughput may be at most 0.25 x Iops (%lld)", (long long)s->iops.v);
        }
    }
}

/* ---- mount directories ----------------------------------------------------------------------------- */

static const char *const RESERVED_DIRS[] = {"/bin", "/boot", "/dev", "/etc", "/lib", "/lib64", "/media", "/mnt", "/opt",
                                            "/opt/parallelcluster", "/opt/parallelcluster/shared",
                                            "/opt/parallelcluster/shared_login_nodes", "/opt/slurm", "/opt/intel",
                                            "/proc", "/root", "/run", "/sbin", "/srv", "/sys", "/tmp", "/usr", "/var",
                                            NULL};

/* ParallelCluster's MountDir pattern: ^\/?[^\/.\\][^\/\\]*(\/[^\/.\\][^\/]*)*$ */
static bool mount_dir_ok(const char *s)
{
    const char *q = s;
    if (*q == '/') q++;
    for (bool first = true;; first = false) {
        if (!*q || *q == '/' || *q == '.' || *q == '\\') return false;
        q++;
        while (*q && *q != '/' && (first ? *q != '\\' : true)) q++;
        if (!*q) return true;
        if (*q == '\\') return false;
        q++; /* '/' */
    }
}

static char *norm_dir(P *p, const char *s)
{
    size_t n = strlen(s);
    while (n > 1 && s[n - 1] == '/') n--;
    return s[0] == '/' ? arena_strndup(p->h->arena, s, n) : arena_printf(p->h->arena, "/%.*s", (int)n, s);
}

static bool contains(const char *outer, const char *inner)
{
    size_t n = strlen(outer);
    return strncmp(outer, inner, n) == 0 && (inner[n] == '/' || (n == 1 && outer[0] == '/'));
}

static void mounts(P *p)
{
    const IrCluster *c = p->c;
    size_t n = c->storage.n;
    char **dirs = arena_alloc(p->h->arena, (n + 1) * sizeof *dirs);
    for (size_t i = 0; i < n; i++) {
        const IrStorage *s = c->storage.v[i];
        if (!s->mount.v) continue;
        Span w = s->mount.p.span;
        if (!mount_dir_ok(s->mount.v) || ieq(s->mount.v, "NONE") || ieq(s->mount.v, "/NONE")) {
            Diag *d = diag(p->h, D_PC_MOUNT, w, "'%s' is not a valid mount directory", s->mount.v);
            diag_label(d, "SharedStorage/MountDir: a path of names that do not start with '.', without '\\'");
            continue;
        }
        dirs[i] = norm_dir(p, s->mount.v);
        for (size_t k = 0; RESERVED_DIRS[k]; k++)
            if (strcmp(dirs[i], RESERVED_DIRS[k]) == 0) {
                Diag *d = diag(p->h, D_PC_MOUNT, w, "mount directory %s is reserved", dirs[i]);
                diag_label(d, "%s does not allow SharedStorage/MountDir %s", p->v, dirs[i]);
            }
        for (size_t k = 0; k < i; k++) {
            if (!dirs[k]) continue;
            if (strcmp(dirs[k], dirs[i]) == 0) {
                Diag *d = diag(p->h, D_PC_MOUNT, w, "'%s' and '%s' are both mounted at %s", c->storage.v[k]->label.v, s->label.v,
                               dirs[i]);
                diag_note(d, c->storage.v[k]->mount.p.span, "'%s' is mounted here", c->storage.v[k]->label.v);
            } else if (contains(dirs[k], dirs[i]) || contains(dirs[i], dirs[k])) {
                Diag *d = diag(p->h, D_PC_MOUNT, w, "mount directories %s and %s overlap", dirs[k], dirs[i]);
                diag_label(d, "%s does not allow one SharedStorage/MountDir inside another", p->v);
                diag_note(d, c->storage.v[k]->mount.p.span, "'%s' is mounted here", c->storage.v[k]->label.v);
            }
        }
    }
    for (size_t i = 0; i < c->partitions.n; i++) {
        const IrPartition *q = c->partitions.v[i];
        if (!ir_set(q->ephemeral_mount.p)) continue;
        char *e = norm_dir(p, q->ephemeral_mount.v);
        for (size_t k = 0; k < n; k++) {
            if (!dirs[k]) continue;
            if (strcmp(dirs[k], e) == 0 || contains(dirs[k], e) || contains(e, dirs[k])) {
                Diag *d = diag(p->h, D_PC_MOUNT, q->ephemeral_mount.p.span,
                               "partition '%s' mounts its local disks at %s, which %s shared storage '%s'", q->name.v, e,
                               strcmp(dirs[k], e) == 0 ? "is the mount directory of" : "overlaps", c->storage.v[k]->label.v);
                diag_label(d, "EphemeralVolume/MountDir must not overlap a SharedStorage/MountDir");
            }
        }
    }
    /* Storage names: valid and unique. */
    for (size_t i = 0; i < n; i++) {
        const IrStorage *s = c->storage.v[i];
        storage_style_name(p, &s->name, s->label.p.span, "storage", "SharedStorage/Name");
        for (size_t k = 0; k < i; k++)
            if (str_eq(s->name.v, c->storage.v[k]->name.v)) {
                Diag *d = diag(p->h, D_PC_NAME, at(s->name.p, s->label.p.span), "two storages are named '%s'", s->name.v);
                diag_label(d, "SharedStorage/Name must be unique");
                diag_note(d, at(c->storage.v[k]->name.p, c->storage.v[k]->label.p.span), "the first is here");
            }
    }
}

/* ---- tags, logs, URLs, database, OS ----------------------------------------------------------------- */

static void tag_list(P *p, const Ir_KV *t, const char *setting, bool reserved)
{
    for (size_t i = 0; i < t->n; i++) {
        const IrKv *kv = &t->v[i];
        const char *val = kv->v->str.s;
        if (strlen(kv->key) > 128) {
            Diag *d = diag(p->h, D_PC_TAG, kv->p.span, "tag key is %zu characters (limit is 128)", strlen(kv->key));
            diag_label(d, "%s/Key", setting);
        }
        if (strlen(val) > 256) {
            Diag *d = diag(p->h, D_PC_TAG, kv->p.span, "tag value of '%s' is %zu characters (limit is 256)", kv->key, strlen(val));
            diag_label(d, "%s/Value", setting);
        }
        if (strlen(kv->key) == 0) diag(p->h, D_PC_TAG, kv->p.span, "a tag key cannot be empty");
        if (reserved && str_has_prefix(kv->key, "parallelcluster:") && strcmp(kv->key, "parallelcluster:custom_resource") != 0) {
            Diag *d = diag(p->h, D_PC_TAG, kv->p.span, "tag key prefix 'parallelcluster:' is reserved");
            diag_label(d, "%s cannot use it in %s", p->v, setting);
        }
    }
}

static size_t add_keys(const Ir_KV *t, const char **keys, size_t n)
{
    for (size_t i = 0; i < t->n; i++) {
        bool seen = false;
        for (size_t k = 0; k < n && !seen; k++) seen = strcmp(keys[k], t->v[i].key) == 0;
        if (!seen) keys[n++] = t->v[i].key;
    }
    return n;
}

static void tags(P *p)
{
    const IrCluster *c = p->c;
    tag_list(p, &c->tags, "Tags", true);
    for (size_t i = 0; i < c->partitions.n; i++) {
        const IrPartition *q = c->partitions.v[i];
        tag_list(p, &q->tags, "SlurmQueues/Tags", true);
        for (size_t k = 0; k < q->nodes.n; k++) {
            const IrNodeGroup *g = q->nodes.v[k];
            tag_list(p, &g->tags, "ComputeResources/Tags", true);
            size_t cap = c->tags.n + q->tags.n + g->tags.n + 1;
            const char **keys = arena_alloc(p->h->arena, cap * sizeof *keys);
            size_t n = add_keys(&g->tags, keys, add_keys(&q->tags, keys, add_keys(&c->tags, keys, 0)));
            if (n > 40) {
                Diag *d = diag(p->h, D_PC_TAG, g->name.p.span, "node group '%s' carries %zu tags (limit is 40)", g->name.v, n);
                diag_label(d, "cluster, SlurmQueues and ComputeResources Tags together hold at most 40 distinct keys");
            }
        }
    }
    if (c->image) {
        tag_list(p, &c->image->tags, "Build/Tags", false);
        tag_list(p, &c->image->ami_tags, "Image/Tags", false);
    }
}

static void log_retention(P *p)
{
    static const int64_t ok[] = {0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1827, 3653};
    const Ir_QTY *r = &p->c->logs->retention;
    if (!ir_set(r->p)) return;
    int64_t d0 = rat_to_i64(r->v);
    int64_t best = ok[0];
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        if (ok[i] == d0) return;
        if (llabs(ok[i] - d0) < llabs(best - d0)) best = ok[i];
    }
    Diag *d = diag(p->h, D_PC_LOGS, r->p.span, "CloudWatch cannot keep logs for %lld days", (long long)d0);
    diag_label(d, "Monitoring/Logs/CloudWatch/RetentionInDays is one of 0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1827, 3653");
    diag_note(d, NOSPAN, "the closest is %lld d", (long long)best);
}

/* s3://bucket/key (a key is needed) or https:// (UrlValidator). */
static bool url_ok(const char *u)
{
    if (str_has_prefix(u, "https://")) return u[8] != 0;
    if (!str_has_prefix(u, "s3://")) return false;
    const char *slash = strchr(u + 5, '/');
    return slash && slash > u + 5 && slash[1];
}

static void action_urls(P *p, const IrActions *a, const char *who)
{
    if (!a) return;
    const IrAction *acts[] = {a->on_start, a->on_configured, a->on_updated};
    static const char *const names[] = {"OnNodeStart", "OnNodeConfigured", "OnNodeUpdated"};
    for (int i = 0; i < 3; i++) {
        if (!acts[i]) continue;
        for (size_t k = 0; k < acts[i]->scripts.n; k++) {
            const IrScript *s = acts[i]->scripts.v[k];
            if (!s->url.v || url_ok(s->url.v)) continue;
            Diag *d = diag(p->h, D_PC_URL, at(s->url.p, s->at), "%s script '%s' is not an s3:// or https:// URL", who, s->url.v);
            diag_label(d, "CustomActions/%s/Script must be s3://bucket/key or https://...", names[i]);
        }
    }
}

static void urls(P *p)
{
    const IrCluster *c = p->c;
    if (c->head) action_urls(p, c->head->actions, "head node");
    for (size_t i = 0; i < c->partitions.n; i++)
        action_urls(p, c->partitions.v[i]->actions, arena_printf(p->h->arena, "partition '%s'", c->partitions.v[i]->name.v));
    if (c->slurm->extras && c->slurm->extras->url.v && !url_ok(c->slurm->extras->url.v)) {
        Diag *d = diag(p->h, D_PC_URL, c->slurm->extras->url.p.span, "the extras file URL must be s3://bucket/key or https://");
        diag_label(d, "Scheduling/SlurmSettings/CustomSlurmSettingsIncludeFile");
    }
}

static void database(P *p)
{
    const IrAccounting *a = p->c->slurm->accounting;
    if (!a || !a->uri.v) return;
    const char *u = a->uri.v;
    if (u[0] == '/') {
        Diag *d = diag(p->h, D_PC_DATABASE, a->uri.p.span, "the accounting URI starts with '/'");
        diag_label(d, "Database/Uri is host:port, e.g. db.example.com:3306");
    } else if (strstr(u, "://")) {
        Diag *d = diag(p->h, D_PC_DATABASE, a->uri.p.span, "the accounting URI has a scheme");
        diag_label(d, "Database/Uri is host:port without a scheme, e.g. db.example.com:3306");
    } else if (!u[0] || u[0] == ':') {
        Diag *d = diag(p->h, D_PC_DATABASE, a->uri.p.span, "the accounting URI has no host");
        diag_label(d, "Database/Uri is host:port, e.g. db.example.com:3306");
    }
    if (a->database.v) {
        const char *s = a->database.v;
        bool ok = strlen(s) >= 1 && strlen(s) <= 64;
        for (; ok && *s; s++) ok = (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_';
        if (!ok) {
            Diag *d = diag(p->h, D_PC_DATABASE, a->database.p.span, "database name '%s' is not allowed", a->database.v);
            diag_label(d, "Database/DatabaseName must match ^[0-9a-z_]+$ and be at most 64 characters");
        }
    }
}

static void os_rules(P *p)
{
    const IrCluster *c = p->c;
    if ((str_eq(c->os.v, "rocky8") || str_eq(c->os.v, "rocky9")) && !ir_set(c->ami.p)) {
        Diag *d = diag(p->h, D_PC_OS, c->os.p.span, "%s has no official ParallelCluster AMI", c->os.v);
        diag_label(d, "set ami = \"ami-...\" (Image/CustomAmi is required for %s)", c->os.v);
    }
}

static void root_volumes(P *p)
{
    const IrCluster *c = p->c;
    const IrPartition *ref = NULL;
    bool ref_enc = true;
    for (size_t i = 0; i < c->partitions.n; i++) {
        const IrPartition *q = c->partitions.v[i];
        bool enc = q->root_volume && ir_set(q->root_volume->encrypted.p) ? q->root_volume->encrypted.v : true;
        if (!ref) {
            ref = q, ref_enc = enc;
            continue;
        }
        if (enc != ref_enc) {
            Diag *d = diag(p->h, D_PC_ROOT_ENCRYPTION,
                           q->root_volume && ir_set(q->root_volume->encrypted.p) ? q->root_volume->encrypted.p.span : q->name.p.span,
                           "partition '%s' %s its root volumes while partition '%s' %s", q->name.v,
                           enc ? "encrypts" : "does not encrypt", ref->name.v, ref_enc ? "does" : "does not");
            diag_label(d, "ComputeSettings/LocalStorage/RootVolume/Encrypted should be the same in every queue: "
                          "a Service Control Policy enforcing encryption would stop some");
        }
    }
}

/* ---- the image build ------------------------------------------------------------------------------- */

static void image(P *p)
{
    const IrCluster *c = p->c;
    const IrImage *im = c->image;
    if (!im) return;
    const char *id = im->name.v;
    bool ok = id && isalpha((unsigned char)id[0]) && strlen(id) <= 128;
    for (const char *q = id; ok && *q; q++) ok = isalnum((unsigned char)*q) || *q == '-';
    if (!ok) {
        Diag *d = diag(p->h, D_PC_IMAGE, im->name.p.span, "image name '%s' cannot be a ParallelCluster image id", id);
        diag_label(d, "pcluster build-image --image-id must match ^[a-zA-Z][a-zA-Z0-9-]{0,127}$");
    }
    if (im->components.n > 15) {
        Diag *d = diag(p->h, D_PC_COUNT, im->components.v[15]->at, "too many image components: %zu (limit is 15)",
                       im->components.n);
        diag_label(d, "%s allows at most 15 Build/Components", p->v);
    }
    if (im->network && im->network->subnets.n && !ir_set(im->network->security_groups.p)) {
        Diag *d = diag(p->h, D_PC_IMAGE, im->network->subnets.v[0].p.span, "the image build names a subnet but no security groups");
        diag_label(d, "Build/SubnetId needs Build/SecurityGroupIds: add security_groups to the image's network");
    }
    for (size_t i = 0; i < c->components.n; i++) {
        const IrComponent *comp = c->components.v[i];
        if (!ir_set(c->account.p)) {
            const IrImageComponent *ic = NULL;
            for (size_t k = 0; k < im->components.n && !ic; k++)
                if (str_eq(im->components.v[k]->name.v, comp->name.v)) ic = im->components.v[k];
            Diag *d = diag(p->h, D_PC_IMAGE, ic ? ic->at : im->name.p.span,
                           "component '%s' is created by hpcc's stack, and its ARN needs the cluster's account", comp->name.v);
            diag_label(d, "set account = \"123456789012\" on the cluster (Build/Components/Value is an ARN)");
            break;
        }
        const char *n = comp->name.v;
        size_t len = strlen(n);
        bool nok = len >= 1 && len <= 128;
        for (size_t k = 0; nok && k < len; k++) nok = isalnum((unsigned char)n[k]) || n[k] == '-' || n[k] == '_';
        if (!nok) {
            Diag *d = diag(p->h, D_PC_IMAGE, comp->name.p.span, "'%s' cannot be an Image Builder component name", n);
            diag_label(d, "letters, digits, '-' and '_', at most 128 characters");
        }
    }
}

void pass_pcluster_rules(Hpcc *h, Ir *ir)
{
    for (size_t i = 0; i < ir->n; i++) {
        P p = {h, ir->clusters[i], NULL};
        const char *ver = p.c->pcluster.v;
        p.v = arena_printf(h->arena, "ParallelCluster %.*s", (int)(strrchr(ver, '.') - ver), ver);
        cluster_name(&p);
        counts(&p);
        node_groups(&p);
        slurm_settings(&p);
        networking(&p);
        for (size_t k = 0; k < p.c->storage.n; k++) {
            const IrStorage *s = p.c->storage.v[k];
            if (str_eq(s->type.v, "FsxLustre")) fsx(&p, s);
            else if (str_eq(s->type.v, "Efs")) efs(&p, s);
            else ebs(&p, s);
        }
        mounts(&p);
        tags(&p);
        log_retention(&p);
        urls(&p);
        database(&p);
        os_rules(&p);
        root_volumes(&p);
        image(&p);
    }
}
