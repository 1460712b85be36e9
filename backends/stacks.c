/* stacks.c — the two CloudFormation stacks of a cluster.
 *
 * Deployment has two stages, because the cluster needs the AMI the image
 * stage builds (its id is then pinned in the spec and committed):
 *
 * image-stack.yaml — what `pcluster build-image` needs to exist: one
 *   AWS::ImageBuilder::Component per component of the image (inline Data when
 *   the document fits in 16,000 characters, else Uri to where deploy.sh uploads
 *   it), created under exactly the ARNs image.yaml names; the declared IAM
 *   policies the image build uses; the Image Builder log group
 *   (/aws/imagebuilder/ParallelClusterImage-<image>) with retention and tags.
 *
 * cluster-stack.yaml — the declared IAM policies the nodes use; the Slurm job
 *   log group; an EFA security group where a partition needs one and names
 *   none (self-referencing rules as separate ingress/egress resources: inline
 *   they would form a cycle); the key pair and the database secret when the
 *   spec asks the stack to create them; an EFS file system with owner = stack,
 *   its NFS security group and mount targets; the budget; and the cluster itself as
 *   Custom::PclusterCluster, whose ClusterConfiguration is cluster.yaml with
 *   what this stack creates referred to by Ref. Its ServiceToken comes from
 *   ParallelCluster's provider template for the target version, as a nested
 *   stack, or from a parameter when the provider is deployed separately.
 *
 * Intrinsics are written in long form (`Ref:`, `Fn::GetAtt:`, `Fn::Sub:`), so
 * any YAML reader reads the templates. Logical ids derive from spec names. */
#include <ctype.h>
#include <string.h>

#include "backend.h"

#define A (o->arena)

typedef VEC(const char *) Names;

/* ---- intrinsics and ids -------------------------------------------------------------- */

YNode *be_ref(BackendOut *o, const char *id)
{
    YNode *m = y_map(A);
    y_put(m, "Ref", y_str(A, id));
    return m;
}

YNode *be_getatt(BackendOut *o, const char *id, const char *attr)
{
    YNode *m = y_map(A), *s = y_flow_seq(A);
    y_push(s, y_str(A, id));
    y_push(s, y_str(A, attr));
    y_put(m, "Fn::GetAtt", s);
    return m;
}

static YNode *sub(BackendOut *o, const char *text)
{
    YNode *m = y_map(A);
    y_put(m, "Fn::Sub", y_str(A, text));
    return m;
}

/* prod-mpi -> ProdMpi, ParallelCluster_S3_GetObject_RPMs -> ParallelClusterS3GetObjectRPMs */
static char *camel(BackendOut *o, const char *name)
{
    Buf b = {0};
    bool up = true;
    for (const char *q = name; *q; q++) {
        if (!isalnum((unsigned char)*q)) {
            up = true;
            continue;
        }
        buf_putc(&b, up ? (char)toupper((unsigned char)*q) : *q);
        up = false;
    }
    char *s = arena_strdup(A, b.p ? b.p : "");
    buf_free(&b);
    return s;
}

/* prefix + CamelCase(name); when an earlier name of the same list gives the
 * same id, its position makes this one unique. */
static const char *unique_id(BackendOut *o, const char *prefix, const char *name, const char *const *all, size_t n)
{
    const char *mine = camel(o, name);
    for (size_t i = 0; i < n; i++) {
        if (str_eq(all[i], name)) break;
        if (str_eq(camel(o, all[i]), mine)) return arena_printf(A, "%s%s%zu", prefix, mine, i + 1);
    }
    return arena_printf(A, "%s%s", prefix, mine);
}

const char *be_policy_id(BackendOut *o, const IrCluster *c, const IrPolicy *p)
{
    const char **all = arena_alloc(A, (c->policies.n + 1) * sizeof *all);
    for (size_t i = 0; i < c->policies.n; i++) all[i] = c->policies.v[i]->name.v;
    return unique_id(o, "Policy", p->name.v, all, c->policies.n);
}

const char *be_efa_sg_id(BackendOut *o, const IrCluster *c, const IrPartition *p)
{
    const char **all = arena_alloc(A, (c->partitions.n + 1) * sizeof *all);
    for (size_t i = 0; i < c->partitions.n; i++) all[i] = c->partitions.v[i]->name.v;
    return unique_id(o, "EfaSecurityGroup", p->name.v, all, c->partitions.n);
}

const char *be_efs_id(BackendOut *o, const IrCluster *c, const IrStorage *s)
{
    const char **all = arena_alloc(A, (c->storage.n + 1) * sizeof *all);
    for (size_t i = 0; i < c->storage.n; i++) all[i] = c->storage.v[i]->label.v;
    return unique_id(o, "Efs", s->label.v, all, c->storage.n);
}

bool be_stack_storage(const IrStorage *s) { return str_eq(s->owner.v, "stack") && str_eq(s->type.v, "Efs"); }

static bool iam_uses(const IrIam *iam, const IrPolicy *p)
{
    if (!iam) return false;
    for (size_t i = 0; i < iam->policies.n; i++)
        if (str_eq(iam->policies.v[i].v, p->arn.v)) return true;
    return false;
}

bool be_policy_in_cluster_stack(const IrCluster *c, const IrPolicy *p)
{
    return !(c->image && iam_uses(c->image->iam, p));
}

bool be_stack_efa_sg(const IrPartition *p)
{
    if (ir_set(p->efa_security_group.p) || !p->network || !ir_set(p->network->security_groups.p) ||
        !ir_set(p->network->vpc.p))
        return false;
    for (size_t i = 0; i < p->nodes.n; i++)
        if (p->nodes.v[i]->efa.v) return true;
    return false;
}

/* ---- common resources --------------------------------------------------------------------- */

static YNode *resource(BackendOut *o, YNode *resources, const char *id, const char *type)
{
    YNode *r = y_map(A), *props = y_map(A);
    y_put(r, "Type", y_str(A, type));
    y_put(r, "Properties", props);
    y_put(resources, id, r);
    return props;
}

static YNode *policy_document(BackendOut *o, const IrPolicy *p)
{
    YNode *doc = y_map(A), *sts = y_seq(A);
    y_put(doc, "Version", y_str(A, "2012-10-17"));
    for (size_t i = 0; i < p->statements.n; i++) {
        const IrStatement *st = p->statements.v[i];
        YNode *s = y_map(A), *acts = y_seq(A), *res = y_seq(A);
        y_put(s, "Sid", y_str(A, st->sid.v));
        y_put(s, "Effect", y_str(A, st->effect.v));
        for (size_t k = 0; k < st->actions.n; k++) y_push(acts, y_str(A, st->actions.v[k].v));
        for (size_t k = 0; k < st->resources.n; k++) y_push(res, y_str(A, st->resources.v[k].v));
        y_put(s, "Action", acts);
        y_put(s, "Resource", res);
        y_push(sts, s);
    }
    y_put(doc, "Statement", sts);
    return doc;
}

static void managed_policy(BackendOut *o, YNode *resources, YNode *outputs, const IrCluster *c, const IrPolicy *p)
{
    const char *id = be_policy_id(o, c, p);
    YNode *props = resource(o, resources, id, "AWS::IAM::ManagedPolicy");
    y_put(props, "ManagedPolicyName", y_str(A, p->name.v));
    if (p->description.v) y_put(props, "Description", y_str(A, p->description.v));
    y_put(props, "PolicyDocument", policy_document(o, p));
    YNode *out = y_map(A);
    y_put(out, "Description", y_str(A, arena_printf(A, "ARN of the IAM policy %s", p->name.v)));
    y_put(out, "Value", be_ref(o, id));
    y_put(outputs, arena_printf(A, "%sArn", id), out);
}

static void log_group(BackendOut *o, YNode *resources, const IrCluster *c, const char *id, YNode *name)
{
    YNode *r = y_map(A), *props = y_map(A);
    y_put(r, "Type", y_str(A, "AWS::Logs::LogGroup"));
    /* The log group follows the cluster's logs.on_delete: Delete or Retain. */
    y_put(r, "DeletionPolicy", y_str(A, c->logs->on_delete.v));
    y_put(r, "UpdateReplacePolicy", y_str(A, c->logs->on_delete.v));
    y_put(r, "Properties", props);
    y_put(props, "LogGroupName", name);
    char buf[64];
    y_put(props, "RetentionInDays", y_number(A, rat_format(c->logs->retention.v, buf, sizeof buf)));
    if (c->tags.n) y_put(props, "Tags", be_tags(o, &c->tags));
    y_put(resources, id, r);
}

static YNode *tag_map(BackendOut *o, const Ir_KV *tags)
{
    YNode *m = y_map(A);
    for (size_t i = 0; i < tags->n; i++) y_put(m, tags->v[i].key, y_strn(A, tags->v[i].v->str.s, tags->v[i].v->str.len));
    return m;
}

static YNode *template_root(BackendOut *o, const char *description, YNode **resources, YNode **outputs)
{
    YNode *root = y_map(A);
    y_put(root, "AWSTemplateFormatVersion", y_str(A, "2010-09-09"));
    y_put(root, "Description", y_str(A, description));
    *resources = y_map(A);
    *outputs = y_map(A);
    return root;
}

static void output(BackendOut *o, YNode *outputs, const char *name, const char *desc, YNode *value)
{
    YNode *out = y_map(A);
    y_put(out, "Description", y_str(A, desc));
    y_put(out, "Value", value);
    y_put(outputs, name, out);
}

/* ---- image-stack.yaml ------------------------------------------------------------------------ */

enum { INLINE_DATA_LIMIT = 16000 };

void backend_image_stack(const IrCluster *c, BackendOut *o)
{
    const IrImage *im = c->image;
    if (!im) return;
    YNode *resources, *outputs;
    YNode *root = template_root(
        o, arena_printf(A, "hpcc: what pcluster build-image needs for image %s of cluster %s (from %s)", im->name.v, c->name.v, o->spec),
        &resources, &outputs);
    for (size_t i = 0; i < c->components.n; i++) {
        const IrComponent *comp = c->components.v[i];
        const char *id = arena_printf(A, "Component%s", camel(o, comp->name.v));
        YNode *props = resource(o, resources, id, "AWS::ImageBuilder::Component");
        y_put(props, "Name", y_str(A, comp->name.v));
        y_put(props, "Platform", y_str(A, comp->platform.v));
        y_put(props, "Version", y_str(A, comp->version.v));
        if (comp->description.v) y_put(props, "Description", y_str(A, comp->description.v));
        if (comp->change.v) y_put(props, "ChangeDescription", y_str(A, comp->change.v));
        size_t len;
        char *doc = be_component_yaml(o, comp, &len);
        if (!doc) continue;
        if (len <= INLINE_DATA_LIMIT) {
            y_put(props, "Data", y_strn(A, doc, len));
        } else if (c->uploads.v) {
            /* Too big to be inline: deploy.sh uploads components/<name>.yaml here. */
            y_put(props, "Uri", y_str(A, arena_printf(A, "%s/components/%s.yaml", c->uploads.v, comp->name.v)));
        } else {
            be_problem(o, comp->at, "set uploads = \"s3://bucket/prefix\" on the cluster: deploy.sh uploads it there",
                       "component %s is %zu characters, over the %d an inline Image Builder component may have", comp->name.v,
                       len, INLINE_DATA_LIMIT);
        }
        if (comp->tags.n) y_put(props, "Tags", tag_map(o, &comp->tags));
        output(o, outputs, arena_printf(A, "%sArn", id),
               arena_printf(A, "ARN of component %s (image.yaml names it)", comp->name.v), be_getatt(o, id, "Arn"));
    }
    for (size_t i = 0; i < c->policies.n; i++)
        if (!be_policy_in_cluster_stack(c, c->policies.v[i])) managed_policy(o, resources, outputs, c, c->policies.v[i]);
    log_group(o, resources, c, "ImageBuilderLogGroup",
              y_str(A, arena_printf(A, "/aws/imagebuilder/ParallelClusterImage-%s", im->name.v)));
    output(o, outputs, "ImageBuilderLogGroup", "where Image Builder writes the build's logs", be_ref(o, "ImageBuilderLogGroup"));
    y_put(root, "Resources", resources);
    y_put(root, "Outputs", outputs);
    be_add_yaml(o, "image-stack.yaml", root);
}

/* ---- cluster-stack.yaml ---------------------------------------------------------------------- */

static void efa_security_group(BackendOut *o, YNode *resources, YNode *outputs, const IrCluster *c, const IrPartition *p)
{
    const char *id = be_efa_sg_id(o, c, p);
    YNode *props = resource(o, resources, id, "AWS::EC2::SecurityGroup");
    y_put(props, "GroupDescription",
          y_str(A, arena_printf(A, "EFA traffic of partition %s of cluster %s: all traffic from and to itself", p->name.v, c->name.v)));
    y_put(props, "VpcId", y_str(A, p->network->vpc.v));
    if (c->tags.n) y_put(props, "Tags", be_tags(o, &c->tags));
    /* Separate rules: inline self-references would make the group depend on itself. */
    YNode *in = resource(o, resources, arena_printf(A, "%sIngress", id), "AWS::EC2::SecurityGroupIngress");
    y_put(in, "GroupId", be_ref(o, id));
    y_put(in, "IpProtocol", y_str(A, "-1"));
    y_put(in, "SourceSecurityGroupId", be_ref(o, id));
    y_put(in, "Description", y_str(A, "all traffic from the group itself (EFA)"));
    YNode *out = resource(o, resources, arena_printf(A, "%sEgress", id), "AWS::EC2::SecurityGroupEgress");
    y_put(out, "GroupId", be_ref(o, id));
    y_put(out, "IpProtocol", y_str(A, "-1"));
    y_put(out, "DestinationSecurityGroupId", be_ref(o, id));
    y_put(out, "Description", y_str(A, "all traffic to the group itself (EFA)"));
    output(o, outputs, id, arena_printf(A, "pin it in the spec: efa_security_group = \"...\" in partition %s", p->name.v),
           be_ref(o, id));
}

/* The subnets the nodes use, head first, each once: an EFS mount target in each. */
static const IrNetwork **node_networks(BackendOut *o, const IrCluster *c, size_t *n)
{
    const IrNetwork **nets = arena_alloc(A, (1 + c->partitions.n) * sizeof *nets);
    *n = 0;
    if (c->head && c->head->network) nets[(*n)++] = c->head->network;
    for (size_t i = 0; i < c->partitions.n; i++)
        if (c->partitions.v[i]->network) nets[(*n)++] = c->partitions.v[i]->network;
    return nets;
}

static void node_subnets(BackendOut *o, const IrCluster *c, Names *out)
{
    size_t nn;
    const IrNetwork **nets = node_networks(o, c, &nn);
    for (size_t k = 0; k < nn; k++)
        for (size_t i = 0; i < nets[k]->subnets.n; i++) {
            const char *sn = nets[k]->subnets.v[i].v;
            bool seen = false;
            for (size_t j = 0; j < out->n && !seen; j++) seen = str_eq(out->v[j], sn);
            if (!seen) VPUSH(A, *out, sn);
        }
}

static const char *cluster_vpc(const IrCluster *c)
{
    if (c->head && c->head->network && ir_set(c->head->network->vpc.p)) return c->head->network->vpc.v;
    for (size_t i = 0; i < c->partitions.n; i++)
        if (c->partitions.v[i]->network && ir_set(c->partitions.v[i]->network->vpc.p)) return c->partitions.v[i]->network->vpc.v;
    return NULL;
}

/* NFS from each security group the nodes name, each once. */
static void nfs_sources(BackendOut *o, const IrCluster *c, YNode *ingress)
{
    Names seen = {0};
    size_t nn;
    const IrNetwork **nets = node_networks(o, c, &nn);
    for (size_t k = 0; k < nn; k++)
        for (int which = 0; which < 2; which++) {
            const Ir_STRS *g = which ? &nets[k]->additional_security_groups : &nets[k]->security_groups;
            for (size_t i = 0; i < g->n; i++) {
                bool dup = false;
                for (size_t j = 0; j < seen.n && !dup; j++) dup = str_eq(seen.v[j], g->v[i].v);
                if (dup) continue;
                VPUSH(A, seen, g->v[i].v);
                YNode *rule = y_map(A);
                y_put(rule, "IpProtocol", y_str(A, "tcp"));
                y_put(rule, "FromPort", y_int(A, 2049));
                y_put(rule, "ToPort", y_int(A, 2049));
                y_put(rule, "SourceSecurityGroupId", y_str(A, g->v[i].v));
                y_put(rule, "Description", y_str(A, "NFS from the cluster's nodes"));
                y_push(ingress, rule);
            }
        }
}

/* owner = stack: the file system, a security group admitting NFS from the
 * nodes, a mount target in each subnet the nodes use. The mount targets'
 * ids go to `after`: the cluster must not start before it can mount. */
static void stack_efs(BackendOut *o, YNode *resources, YNode *outputs, const IrCluster *c, const IrStorage *s, Names *after)
{
    const char *id = be_efs_id(o, c, s);
    YNode *fs = y_map(A), *props = y_map(A);
    y_put(fs, "Type", y_str(A, "AWS::EFS::FileSystem"));
    y_put(fs, "DeletionPolicy", y_str(A, s->deletion.v));
    y_put(fs, "UpdateReplacePolicy", y_str(A, s->deletion.v));
    y_put(fs, "Properties", props);
    y_put(resources, id, fs);
    y_put(props, "Encrypted", y_bool(A, s->encrypted.v));
    if (ir_set(s->kms_key.p)) y_put(props, "KmsKeyId", y_str(A, s->kms_key.v));
    y_put(props, "PerformanceMode", y_str(A, s->performance.v));
    y_put(props, "ThroughputMode", y_str(A, s->throughput_mode.v));
    if (ir_set(s->provisioned.p)) {
        char buf[64];
        y_put(props, "ProvisionedThroughputInMibps", y_number(A, rat_format_fixed(s->provisioned.v, 0, buf, sizeof buf)));
    }
    YNode *tags = y_seq(A), *name = y_map(A);
    y_put(name, "Key", y_str(A, "Name"));
    y_put(name, "Value", y_str(A, arena_printf(A, "%s-%s", c->name.v, s->name.v)));
    y_push(tags, name);
    /* The cluster's tags, but Name: the file system's own. */
    for (size_t i = 0; i < c->tags.n; i++) {
        if (str_eq(c->tags.v[i].key, "Name")) continue;
        YNode *t = y_map(A);
        y_put(t, "Key", y_str(A, c->tags.v[i].key));
        y_put(t, "Value", y_strn(A, c->tags.v[i].v->str.s, c->tags.v[i].v->str.len));
        y_push(tags, t);
    }
    y_put(props, "FileSystemTags", tags);

    const char *sg = arena_printf(A, "%sSecurityGroup", id);
    YNode *sgp = resource(o, resources, sg, "AWS::EC2::SecurityGroup");
    y_put(sgp, "GroupDescription", y_str(A, arena_printf(A, "NFS to EFS file system %s of cluster %s", s->label.v, c->name.v)));
    const char *vpc = cluster_vpc(c);
    y_put(sgp, "VpcId", y_str(A, vpc ? vpc : ""));
    YNode *ingress = y_seq(A);
    nfs_sources(o, c, ingress);
    y_put(sgp, "SecurityGroupIngress", ingress);
    if (c->tags.n) y_put(sgp, "Tags", be_tags(o, &c->tags));

    Names subnets = {0};
    node_subnets(o, c, &subnets);
    for (size_t i = 0; i < subnets.n; i++) {
        const char *mt = subnets.n == 1 ? arena_printf(A, "%sMountTarget", id) : arena_printf(A, "%sMountTarget%zu", id, i + 1);
        YNode *mp = resource(o, resources, mt, "AWS::EFS::MountTarget");
        y_put(mp, "FileSystemId", be_ref(o, id));
        y_put(mp, "SubnetId", y_str(A, subnets.v[i]));
        YNode *sgs = y_seq(A);
        y_push(sgs, be_ref(o, sg));
        y_put(mp, "SecurityGroups", sgs);
        VPUSH(A, *after, mt);
    }
    output(o, outputs, id, arena_printf(A, "pin it in the spec: existing = \"...\" in storage %s", s->label.v), be_ref(o, id));
}

static void budget(BackendOut *o, YNode *resources, const IrCluster *c)
{
    const IrBudget *b = c->budget;
    if (!b || !ir_set(b->monthly.p)) return;
    YNode *props = resource(o, resources, "Budget", "AWS::Budgets::Budget");
    YNode *bd = y_map(A), *limit = y_map(A), *filters = y_map(A), *tag = y_seq(A);
    char buf[128];
    y_put(bd, "BudgetName", y_str(A, arena_printf(A, "%s-monthly", c->name.v)));
    y_put(bd, "BudgetType", y_str(A, "COST"));
    y_put(bd, "TimeUnit", y_str(A, "MONTHLY"));
    y_put(limit, "Amount", y_number(A, rat_format_fixed(b->monthly.v, 2, buf, sizeof buf)));
    y_put(limit, "Unit", y_str(A, "USD"));
    y_put(bd, "BudgetLimit", limit);
    /* ParallelCluster tags every resource of a cluster with its name. */
    y_push(tag, y_str(A, arena_printf(A, "user:parallelcluster:cluster-name$%s", c->name.v)));
    y_put(filters, "TagKeyValue", tag);
    y_put(bd, "CostFilters", filters);
    y_put(props, "Budget", bd);
    if (b->notify.n) {
        YNode *ns = y_seq(A);
        static const char *const kinds[] = {"ACTUAL", "FORECASTED"};
        for (int k = 0; k < 2; k++) {
            YNode *nw = y_map(A), *n = y_map(A), *subs = y_seq(A);
            y_put(n, "NotificationType", y_str(A, kinds[k]));
            y_put(n, "ComparisonOperator", y_str(A, "GREATER_THAN"));
            y_put(n, "Threshold", y_int(A, k == 0 ? 80 : 100));
            y_put(n, "ThresholdType", y_str(A, "PERCENTAGE"));
            y_put(nw, "Notification", n);
            for (size_t i = 0; i < b->notify.n; i++) {
                YNode *s = y_map(A);
                y_put(s, "SubscriptionType", y_str(A, "EMAIL"));
                y_put(s, "Address", y_str(A, b->notify.v[i].v));
                y_push(subs, s);
            }
            y_put(nw, "Subscribers", subs);
            y_push(ns, nw);
        }
        y_put(props, "NotificationsWithSubscribers", ns);
    }
}

void backend_cluster_stack(const IrCluster *c, BackendOut *o)
{
    YNode *resources, *outputs;
    YNode *root = template_root(o, arena_printf(A, "hpcc: cluster %s and what it needs (from %s)", c->name.v, o->spec),
                                &resources, &outputs);
    bool nested = str_eq(c->stack->provider.v, "nested");
    if (!nested) {
        YNode *params = y_map(A), *p = y_map(A);
        y_put(p, "Type", y_str(A, "String"));
        y_put(p, "Description", y_str(A, arena_printf(A, "ServiceToken output of ParallelCluster %s's custom resource provider, deployed separately", c->pcluster.v)));
        y_put(params, "PclusterServiceToken", p);
        y_put(root, "Parameters", params);
    }
    Names depends = {0};
    for (size_t i = 0; i < c->policies.n; i++)
        if (be_policy_in_cluster_stack(c, c->policies.v[i])) managed_policy(o, resources, outputs, c, c->policies.v[i]);
    log_group(o, resources, c, "JobLogGroup", y_str(A, c->logs->jobs.v));
    VPUSH(A, depends, "JobLogGroup");
    for (size_t i = 0; i < c->partitions.n; i++)
        if (be_stack_efa_sg(c->partitions.v[i])) efa_security_group(o, resources, outputs, c, c->partitions.v[i]);
    for (size_t i = 0; i < c->storage.n; i++)
        if (be_stack_storage(c->storage.v[i])) stack_efs(o, resources, outputs, c, c->storage.v[i], &depends);
    if (c->head && c->head->create_ssh_key.v && c->head->ssh_key.v) {
        YNode *props = resource(o, resources, "KeyPair", "AWS::EC2::KeyPair");
        y_put(props, "KeyName", y_str(A, c->head->ssh_key.v));
        if (c->tags.n) y_put(props, "Tags", be_tags(o, &c->tags));
        output(o, outputs, "KeyPairId", "the key pair's private key is in SSM Parameter Store at /ec2/keypair/<this id>",
               be_getatt(o, "KeyPair", "KeyPairId"));
    }
    const IrAccounting *acc = c->slurm ? c->slurm->accounting : NULL;
    if (acc && acc->create_secret.v) {
        YNode *props = resource(o, resources, "DbPasswordSecret", "AWS::SecretsManager::Secret");
        y_put(props, "Name", y_str(A, acc->secret_name.v));
        y_put(props, "Description", y_str(A, arena_printf(A, "Slurm accounting database password of cluster %s", c->name.v)));
        YNode *gen = y_map(A);
        y_put(gen, "PasswordLength", y_int(A, 32));
        y_put(gen, "ExcludePunctuation", y_bool(A, true));
        y_put(props, "GenerateSecretString", gen);
        if (c->tags.n) y_put(props, "Tags", be_tags(o, &c->tags));
    }
    budget(o, resources, c);
    YNode *token;
    if (nested) {
        YNode *props = resource(o, resources, "PclusterClusterProvider", "AWS::CloudFormation::Stack");
        y_put(props, "TemplateURL",
              sub(o, arena_printf(A, "https://${AWS::Region}-aws-parallelcluster.s3.${AWS::Region}.${AWS::URLSuffix}"
                                     "/parallelcluster/%s/templates/custom_resource/cluster.yaml", c->pcluster.v)));
        token = be_getatt(o, "PclusterClusterProvider", "Outputs.ServiceToken");
        output(o, outputs, "ProviderLogGroupArn", "the log group of ParallelCluster's custom resource provider",
               be_getatt(o, "PclusterClusterProvider", "Outputs.LogGroupArn"));
    } else {
        token = be_ref(o, "PclusterServiceToken");
    }
    YNode *cr = y_map(A), *props = y_map(A);
    y_put(cr, "Type", y_str(A, "Custom::PclusterCluster"));
    YNode *dep = y_seq(A);
    for (size_t i = 0; i < depends.n; i++) y_push(dep, y_str(A, depends.v[i]));
    y_put(cr, "DependsOn", dep);
    y_put(cr, "Properties", props);
    y_put(props, "ServiceToken", token);
    y_put(props, "ClusterName", y_str(A, c->name.v));
    y_put(props, "ClusterConfiguration", be_cluster_config(c, o, true));
    y_put(resources, "PclusterCluster", cr);
    output(o, outputs, "HeadNodePrivateIp", "connect: ssh to this address, or pcluster ssh --cluster-name <cluster>",
           be_getatt(o, "PclusterCluster", "headNode.privateIpAddress"));
    output(o, outputs, "HeadNodeInstanceId", "the head node's instance", be_getatt(o, "PclusterCluster", "headNode.instanceId"));
    output(o, outputs, "ClusterStackArn", "ParallelCluster's own stack for the cluster",
           be_getatt(o, "PclusterCluster", "cloudformationStackArn"));
    output(o, outputs, "ClusterLogGroup", "the cluster's CloudWatch log group", be_getatt(o, "PclusterCluster", "logGroupName"));
    output(o, outputs, "JobLogGroup", "the Slurm job log group", be_ref(o, "JobLogGroup"));
    output(o, outputs, "ValidationMessages", "what ParallelCluster's validators said", be_getatt(o, "PclusterCluster", "validationMessages"));
    y_put(root, "Resources", resources);
    y_put(root, "Outputs", outputs);
    be_add_yaml(o, "cluster-stack.yaml", root);
}
