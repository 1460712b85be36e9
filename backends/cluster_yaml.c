/* cluster_yaml.c — the ParallelCluster v3 cluster configuration (cluster.yaml).
 *
 * Writes every value the spec sets or a pass derives, and leaves out the
 * ParallelCluster defaults the spec does not set (ORIGIN_DEFAULT), so the file
 * says what the spec says. Keys follow the Blue Brain reference's order
 * (Region, Image, Tags, Monitoring, HeadNode, Scheduling, Imds, SharedStorage)
 * and ParallelCluster's documentation order for keys the reference lacks.
 * Node groups always use the `Instances` list form, which also works in
 * queues with several subnets, where `InstanceType` is not allowed. */
#include <string.h>

#include "backend.h"

#define A (o->arena)

static void put(YNode *m, const char *k, YNode *v)
{
    if (v) y_put(m, k, v);
}

/* A sub-map is written only when something went into it. */
static void put_map(YNode *m, const char *k, YNode *sub)
{
    if (sub && y_len(sub) > 0) y_put(m, k, sub);
}

static void put_str(BackendOut *o, YNode *m, const char *k, const Ir_STR *f)
{
    if (emit(f->p)) y_put(m, k, y_str(A, f->v));
}

static void put_bool(BackendOut *o, YNode *m, const char *k, const Ir_BOOL *f)
{
    if (emit(f->p)) y_put(m, k, y_bool(A, f->v));
}

static void put_int(BackendOut *o, YNode *m, const char *k, const Ir_INT *f)
{
    if (emit(f->p)) y_put(m, k, y_int(A, f->v));
}

/* A quantity ParallelCluster takes as a number in the field's unit. */
static void put_qty(BackendOut *o, YNode *m, const char *k, const Ir_QTY *f)
{
    if (!emit(f->p)) return;
    char buf[96];
    y_put(m, k, y_number(A, rat_format(f->v, buf, sizeof buf)));
}

static YNode *strs(BackendOut *o, const Ir_STRS *f)
{
    YNode *s = y_seq(A);
    for (size_t i = 0; i < f->n; i++) y_push(s, y_str(A, f->v[i].v));
    return s;
}

static void put_strs(BackendOut *o, YNode *m, const char *k, const Ir_STRS *f)
{
    if (emit(f->p)) y_put(m, k, strs(o, f));
}

/* Slurm settings as a YAML map: scalars as written, lists comma-joined, durations in minutes. */
static YNode *settings_map(BackendOut *o, YNode *m, const Ir_KV *kv)
{
    for (size_t i = 0; i < kv->n; i++) {
        const Value *v = kv->v[i].v;
        if (v->kind == V_LIST) {
            Buf b = {0};
            for (size_t k = 0; k < v->list.n; k++) buf_printf(&b, "%s%s", k ? "," : "", value_text(A, v->list.v[k]));
            y_put(m, kv->v[i].key, y_str(A, b.p ? b.p : ""));
            buf_free(&b);
        } else if (v->kind == V_NUM && dim_eq(v->num.dim, DIM_TIME)) {
            Rat mins;
            if (!rat_div(v->num.v, rat_int(60), &mins) || !rat_is_int(mins)) {
                be_problem(o, v->span, "Slurm takes durations in whole minutes", "'%s' is not a whole number of minutes",
                           kv->v[i].key);
                continue;
            }
            y_put(m, kv->v[i].key, be_max_time(o, mins));
        } else {
            put(m, kv->v[i].key, be_value_yaml(o, v));
        }
    }
    return m;
}

/* The head node's Networking (a queue's is written in queue()). */
static YNode *head_network(BackendOut *o, const IrNetwork *n)
{
    YNode *m = y_map(A);
    if (!n) return m;
    if (n->subnets.n) y_put(m, "SubnetId", y_str(A, n->subnets.v[0].v));
    put_strs(o, m, "SecurityGroups", &n->security_groups);
    put_strs(o, m, "AdditionalSecurityGroups", &n->additional_security_groups);
    if (emit(n->elastic_ip.p)) {
        const char *e = n->elastic_ip.v;
        y_put(m, "ElasticIp", strcmp(e, "true") == 0 || strcmp(e, "false") == 0 ? y_bool(A, e[0] == 't') : y_str(A, e));
    }
    if (emit(n->proxy.p)) {
        YNode *p = y_map(A);
        y_put(p, "HttpProxyAddress", y_str(A, n->proxy.v));
        y_put(m, "Proxy", p);
    }
    return m;
}

/* In the cluster stack (o->stack_mode), the config refers to what the stack creates by Ref. */
static YNode *policy_value(BackendOut *o, const char *arn)
{
    if (o->stack_mode)
        for (size_t i = 0; i < o->cluster->policies.n; i++) {
            const IrPolicy *p = o->cluster->policies.v[i];
            if (str_eq(p->arn.v, arn) && be_policy_in_cluster_stack(o->cluster, p))
                return be_ref(o, be_policy_id(o, o->cluster, p));
        }
    return y_str(A, arn);
}

static YNode *iam(BackendOut *o, const IrIam *iam)
{
    YNode *m = y_map(A);
    if (!iam) return m;
    put_str(o, m, "InstanceRole", &iam->instance_role);
    put_str(o, m, "InstanceProfile", &iam->instance_profile);
    if (iam->s3.n) {
        YNode *s = y_seq(A);
        for (size_t i = 0; i < iam->s3.n; i++) {
            const IrS3Access *a = iam->s3.v[i];
            YNode *e = y_map(A);
            y_put(e, "BucketName", y_str(A, a->bucket.v));
            put_str(o, e, "KeyName", &a->key);
            put_bool(o, e, "EnableWriteAccess", &a->write);
            y_push(s, e);
        }
        y_put(m, "S3Access", s);
    }
    if (emit(iam->policies.p)) {
        YNode *s = y_seq(A);
        for (size_t i = 0; i < iam->policies.n; i++) {
            YNode *e = y_map(A);
            y_put(e, "Policy", policy_value(o, iam->policies.v[i].v));
            y_push(s, e);
        }
        y_put(m, "AdditionalIamPolicies", s);
    }
    return m;
}

static YNode *script(BackendOut *o, const IrScript *s)
{
    YNode *m = y_map(A);
    y_put(m, "Script", y_str(A, s->url.v));
    if (s->args.n) y_put(m, "Args", strs(o, &s->args));
    return m;
}

static YNode *action(BackendOut *o, const IrAction *a)
{
    if (!a->sequence.v && a->scripts.n == 1) return script(o, a->scripts.v[0]);
    YNode *seq = y_seq(A);
    for (size_t i = 0; i < a->scripts.n; i++) y_push(seq, script(o, a->scripts.v[i]));
    YNode *m = y_map(A);
    y_put(m, "Sequence", seq);
    return m;
}

static YNode *actions(BackendOut *o, const IrActions *acts)
{
    YNode *m = y_map(A);
    if (!acts) return m;
    if (acts->on_start) y_put(m, "OnNodeStart", action(o, acts->on_start));
    if (acts->on_configured) y_put(m, "OnNodeConfigured", action(o, acts->on_configured));
    if (acts->on_updated) y_put(m, "OnNodeUpdated", action(o, acts->on_updated));
    return m;
}

static YNode *root_volume(BackendOut *o, const IrVolume *v)
{
    YNode *m = y_map(A);
    if (!v) return m;
    put_qty(o, m, "Size", &v->size);
    put_str(o, m, "VolumeType", &v->type);
    put_int(o, m, "Iops", &v->iops);
    put_qty(o, m, "Throughput", &v->throughput);
    put_bool(o, m, "Encrypted", &v->encrypted);
    put_bool(o, m, "DeleteOnTermination", &v->delete_on_termination);
    return m;
}

static YNode *head_node(BackendOut *o, const IrHead *h)
{
    YNode *m = y_map(A);
    put_str(o, m, "InstanceType", &h->instance);
    put_map(m, "Networking", head_network(o, h->network));
    YNode *ssh = y_map(A);
    if (o->stack_mode && h->create_ssh_key.v && emit(h->ssh_key.p)) y_put(ssh, "KeyName", be_ref(o, "KeyPair"));
    else put_str(o, ssh, "KeyName", &h->ssh_key);
    put_str(o, ssh, "AllowedIps", &h->ssh_allowed_ips);
    put_map(m, "Ssh", ssh);
    YNode *ls = y_map(A);
    put_map(ls, "RootVolume", root_volume(o, h->root_volume));
    put_map(m, "LocalStorage", ls);
    YNode *dcv = y_map(A);
    put_bool(o, dcv, "Enabled", &h->dcv);
    put_int(o, dcv, "Port", &h->dcv_port);
    put_str(o, dcv, "AllowedIps", &h->dcv_allowed_ips);
    put_map(m, "Dcv", dcv);
    put_map(m, "Iam", iam(o, h->iam));
    put_map(m, "CustomActions", actions(o, h->actions));
    YNode *imds = y_map(A);
    put_bool(o, imds, "Secured", &h->imds_secured);
    put_map(m, "Imds", imds);
    put_bool(o, m, "DisableSimultaneousMultithreading", &h->disable_smt);
    be_passthrough(o, m, &h->passthrough, "HeadNode");
    return m;
}

static YNode *placement_group(BackendOut *o, const Ir_BOOL *enabled, const Ir_STR *name)
{
    YNode *m = y_map(A);
    put_bool(o, m, "Enabled", enabled);
    if (name) put_str(o, m, "Name", name);
    return m;
}

static YNode *compute_resource(BackendOut *o, const IrNodeGroup *g)
{
    YNode *m = y_map(A);
    put_str(o, m, "Name", &g->name);
    YNode *inst = y_seq(A);
    for (size_t i = 0; i < g->instances.n; i++) {
        YNode *e = y_map(A);
        y_put(e, "InstanceType", y_str(A, g->instances.v[i].v));
        y_push(inst, e);
    }
    if (g->instances.n) y_put(m, "Instances", inst);
    put_int(o, m, "MinCount", &g->min_count);
    put_int(o, m, "MaxCount", &g->max_count);
    put_qty(o, m, "SpotPrice", &g->spot_price);
    YNode *efa = y_map(A);
    put_bool(o, efa, "Enabled", &g->efa);
    put_bool(o, efa, "GdrSupport", &g->efa_gdr);
    put_map(m, "Efa", efa);
    put_bool(o, m, "DisableSimultaneousMultithreading", &g->disable_smt);
    put_qty(o, m, "SchedulableMemory", &g->schedulable_memory);
    YNode *net = y_map(A);
    put_map(net, "PlacementGroup", placement_group(o, &g->placement_group, NULL));
    put_map(m, "Networking", net);
    put_map(m, "CustomSlurmSettings", settings_map(o, y_map(A), &g->settings));
    if (emit(g->tags.p)) y_put(m, "Tags", be_tags(o, &g->tags));
    put_int(o, m, "StaticNodePriority", &g->static_priority);
    put_int(o, m, "DynamicNodePriority", &g->dynamic_priority);
    be_passthrough(o, m, &g->passthrough, arena_printf(A, "ComputeResources[%s]", g->name.v));
    return m;
}

static YNode *queue(BackendOut *o, const IrPartition *p)
{
    YNode *m = y_map(A);
    put_str(o, m, "Name", &p->name);
    put_str(o, m, "CapacityType", &p->capacity);
    put_str(o, m, "AllocationStrategy", &p->allocation);
    YNode *crs = y_seq(A);
    for (size_t i = 0; i < p->nodes.n; i++) y_push(crs, compute_resource(o, p->nodes.v[i]));
    y_put(m, "ComputeResources", crs);
    YNode *net = y_map(A);
    put_map(net, "PlacementGroup", placement_group(o, &p->placement_group, &p->placement_group_name));
    if (p->network) {
        put_strs(o, net, "SubnetIds", &p->network->subnets);
        /* The EFA security group joins the queue's groups: its own list if it replaces
         * ParallelCluster's, else the additional ones. */
        const Ir_STRS *own = &p->network->security_groups, *add = &p->network->additional_security_groups;
        bool replaced = emit(own->p);
        const Ir_STRS *target = replaced ? own : add;
        YNode *sgs = y_seq(A);
        bool have_efa = false;
        for (size_t i = 0; i < target->n; i++) {
            y_push(sgs, y_str(A, target->v[i].v));
            have_efa |= emit(p->efa_security_group.p) && str_eq(target->v[i].v, p->efa_security_group.v);
        }
        if (emit(p->efa_security_group.p) && !have_efa) y_push(sgs, y_str(A, p->efa_security_group.v));
        if (o->stack_mode && be_stack_efa_sg(p)) y_push(sgs, be_ref(o, be_efa_sg_id(o, o->cluster, p)));
        if (y_len(sgs)) y_put(net, replaced ? "SecurityGroups" : "AdditionalSecurityGroups", sgs);
        if (replaced) put_strs(o, net, "AdditionalSecurityGroups", add);
        put_bool(o, net, "AssignPublicIp", &p->network->public_ip);
        if (emit(p->network->proxy.p)) {
            YNode *px = y_map(A);
            y_put(px, "HttpProxyAddress", y_str(A, p->network->proxy.v));
            y_put(net, "Proxy", px);
        }
    }
    put_map(m, "Networking", net);
    YNode *cs = y_map(A), *ls = y_map(A);
    put_map(ls, "RootVolume", root_volume(o, p->root_volume));
    if (emit(p->ephemeral_mount.p)) {
        YNode *ev = y_map(A);
        y_put(ev, "MountDir", y_str(A, p->ephemeral_mount.v));
        y_put(ls, "EphemeralVolume", ev);
    }
    put_map(cs, "LocalStorage", ls);
    put_map(m, "ComputeSettings", cs);
    YNode *slurm = y_map(A);
    put_int(o, slurm, "MaxNodes", &p->max_nodes);
    if (emit(p->max_time.p)) y_put(slurm, "MaxTime", be_max_time(o, p->max_time.v));
    settings_map(o, slurm, &p->settings);
    put_map(m, "CustomSlurmSettings", slurm);
    put_map(m, "Iam", iam(o, p->iam));
    put_map(m, "CustomActions", actions(o, p->actions));
    put_bool(o, m, "JobExclusiveAllocation", &p->job_exclusive);
    if (emit(p->gpu_health_check.p)) {
        YNode *hc = y_map(A), *gpu = y_map(A);
        y_put(gpu, "Enabled", y_bool(A, p->gpu_health_check.v));
        y_put(hc, "Gpu", gpu);
        y_put(m, "HealthChecks", hc);
    }
    if (emit(p->tags.p)) y_put(m, "Tags", be_tags(o, &p->tags));
    be_passthrough(o, m, &p->passthrough, arena_printf(A, "SlurmQueues[%s]", p->name.v));
    return m;
}

static YNode *scheduling(BackendOut *o, const IrCluster *c)
{
    YNode *m = y_map(A);
    y_put(m, "Scheduler", y_str(A, "slurm"));
    const IrSlurm *s = c->slurm;
    put_str(o, m, "ScalingStrategy", &s->scaling);
    YNode *ss = y_map(A);
    put_qty(o, ss, "ScaledownIdletime", &s->scaledown_idle);
    put_str(o, ss, "QueueUpdateStrategy", &s->queue_update_strategy);
    put_bool(o, ss, "EnableMemoryBasedScheduling", &s->memory_based);
    if (emit(s->settings.p)) {
        /* Cluster level: a list of one-key maps. */
        YNode *list = y_seq(A);
        YNode *tmp = settings_map(o, y_map(A), &s->settings);
        for (size_t i = 0; i < s->settings.n; i++) {
            YNode *one = y_map(A);
            YNode *v = y_get(tmp, s->settings.v[i].key);
            if (v) y_put(one, s->settings.v[i].key, v);
            y_push(list, one);
        }
        y_put(ss, "CustomSlurmSettings", list);
    }
    if (s->extras) put_str(o, ss, "CustomSlurmSettingsIncludeFile", &s->extras->url);
    if (s->accounting) {
        YNode *db = y_map(A);
        put_str(o, db, "Uri", &s->accounting->uri);
        put_str(o, db, "UserName", &s->accounting->user);
        if (o->stack_mode && s->accounting->create_secret.v) y_put(db, "PasswordSecretArn", be_ref(o, "DbPasswordSecret"));
        else put_str(o, db, "PasswordSecretArn", &s->accounting->password_secret);
        put_str(o, db, "DatabaseName", &s->accounting->database);
        y_put(ss, "Database", db);
    }
    be_passthrough(o, ss, &s->passthrough, "Scheduling/SlurmSettings");
    put_map(m, "SlurmSettings", ss);
    YNode *qs = y_seq(A);
    for (size_t i = 0; i < c->partitions.n; i++) y_push(qs, queue(o, c->partitions.v[i]));
    y_put(m, "SlurmQueues", qs);
    return m;
}

static YNode *shared_storage(BackendOut *o, const IrStorage *s)
{
    YNode *m = y_map(A);
    put_str(o, m, "Name", &s->name);
    y_put(m, "StorageType", y_str(A, s->type.v));
    put_str(o, m, "MountDir", &s->mount);
    YNode *set = y_map(A);
    const char *t = s->type.v;
    if (be_stack_storage(s)) {
        /* The stack's own file system: ParallelCluster only mounts it; its settings
         * are the stack resource's. */
        if (o->stack_mode) y_put(set, "FileSystemId", be_ref(o, be_efs_id(o, o->cluster, s)));
        else put_str(o, set, "FileSystemId", &s->existing);
        y_put(m, "EfsSettings", set);
    } else if (strcmp(t, "Efs") == 0) {
        put_str(o, set, "FileSystemId", &s->existing);
        put_bool(o, set, "Encrypted", &s->encrypted);
        put_str(o, set, "KmsKeyId", &s->kms_key);
        put_str(o, set, "PerformanceMode", &s->performance);
        put_str(o, set, "ThroughputMode", &s->throughput_mode);
        put_qty(o, set, "ProvisionedThroughput", &s->provisioned);
        put_str(o, set, "DeletionPolicy", &s->deletion);
        y_put(m, "EfsSettings", set);
    } else if (strcmp(t, "FsxLustre") == 0) {
        put_str(o, set, "FileSystemId", &s->existing);
        put_str(o, set, "DeploymentType", &s->deployment);
        put_qty(o, set, "StorageCapacity", &s->capacity);
        put_qty(o, set, "PerUnitStorageThroughput", &s->per_unit);
        put_str(o, set, "DataCompressionType", &s->compression);
        put_str(o, set, "StorageType", &s->media);
        put_str(o, set, "KmsKeyId", &s->kms_key);
        put_str(o, set, "DeletionPolicy", &s->deletion);
        if (s->links.n) {
            YNode *dras = y_seq(A);
            for (size_t i = 0; i < s->links.n; i++) {
                const IrLink *l = s->links.v[i];
                YNode *d = y_map(A);
                put_str(o, d, "Name", &l->name);
                put_bool(o, d, "BatchImportMetaDataOnCreate", &l->batch_import);
                put_str(o, d, "DataRepositoryPath", &l->s3);
                put_str(o, d, "FileSystemPath", &l->path);
                put_qty(o, d, "ImportedFileChunkSize", &l->chunk_size);
                if (emit(l->export.p)) {
                    YNode *e = y_flow_seq(A);
                    for (size_t k = 0; k < l->export.n; k++) y_push(e, y_str(A, l->export.v[k].v));
                    y_put(d, "AutoExportPolicy", e);
                }
                if (emit(l->import.p)) {
                    YNode *e = y_flow_seq(A);
                    for (size_t k = 0; k < l->import.n; k++) y_push(e, y_str(A, l->import.v[k].v));
                    y_put(d, "AutoImportPolicy", e);
                }
                y_push(dras, d);
            }
            y_put(set, "DataRepositoryAssociations", dras);
        }
        y_put(m, "FsxLustreSettings", set);
    } else {
        put_str(o, set, "VolumeType", &s->volume_type);
        put_qty(o, set, "Size", &s->capacity);
        put_int(o, set, "Iops", &s->iops);
        put_qty(o, set, "Throughput", &s->throughput);
        put_bool(o, set, "Encrypted", &s->encrypted);
        put_str(o, set, "KmsKeyId", &s->kms_key);
        put_str(o, set, "SnapshotId", &s->snapshot);
        put_str(o, set, "VolumeId", &s->existing);
        put_str(o, set, "DeletionPolicy", &s->deletion);
        y_put(m, "EbsSettings", set);
    }
    be_passthrough(o, set, &s->passthrough, arena_printf(A, "SharedStorage[%s]", s->name.v));
    return m;
}

YNode *be_cluster_config(const IrCluster *c, BackendOut *o, bool stack)
{
    o->cluster = c;
    o->stack_mode = stack;
    YNode *root = y_map(A);
    put_str(o, root, "Region", &c->region);
    YNode *image = y_map(A);
    put_str(o, image, "Os", &c->os);
    put_str(o, image, "CustomAmi", &c->ami);
    put_map(root, "Image", image);
    put_str(o, root, "CustomS3Bucket", &c->custom_bucket);
    if (emit(c->tags.p)) y_put(root, "Tags", be_tags(o, &c->tags));

    YNode *mon = y_map(A), *logs = y_map(A), *cw = y_map(A), *rot = y_map(A);
    put_bool(o, mon, "DetailedMonitoring", &c->monitoring->detailed);
    put_bool(o, cw, "Enabled", &c->logs->enabled);
    put_qty(o, cw, "RetentionInDays", &c->logs->retention);
    put_str(o, cw, "DeletionPolicy", &c->logs->on_delete);
    put_map(logs, "CloudWatch", cw);
    put_bool(o, rot, "Enabled", &c->logs->rotation);
    put_map(logs, "Rotation", rot);
    put_map(mon, "Logs", logs);
    YNode *dash = y_map(A), *dcw = y_map(A), *alarms = y_map(A);
    put_bool(o, dcw, "Enabled", &c->monitoring->dashboards);
    put_map(dash, "CloudWatch", dcw);
    put_map(mon, "Dashboards", dash);
    put_bool(o, alarms, "Enabled", &c->monitoring->alarms);
    put_map(mon, "Alarms", alarms);
    put_map(root, "Monitoring", mon);

    if (c->head) y_put(root, "HeadNode", head_node(o, c->head));
    y_put(root, "Scheduling", scheduling(o, c));
    YNode *imds = y_map(A);
    put_str(o, imds, "ImdsSupport", &c->imds_support);
    put_map(root, "Imds", imds);
    /* A file system the stack creates and the spec has not pinned yet has no id
     * cluster.yaml could name: it is left out (hpcc warns, deploy.sh's CLI path refuses). */
    YNode *ss = y_seq(A);
    size_t nss = 0;
    for (size_t i = 0; i < c->storage.n; i++) {
        const IrStorage *s = c->storage.v[i];
        if (!stack && be_stack_storage(s) && !ir_set(s->existing.p)) continue;
        y_push(ss, shared_storage(o, s));
        nss++;
    }
    if (nss) y_put(root, "SharedStorage", ss);
    be_passthrough(o, root, &c->passthrough, "the cluster");
    o->stack_mode = false;
    return root;
}

void backend_cluster_yaml(const IrCluster *c, BackendOut *o)
{
    be_add_yaml(o, "cluster.yaml", be_cluster_config(c, o, false));
}
