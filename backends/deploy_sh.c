/* deploy_sh.c — deploy.sh, the command sequence that deploys a cluster, and
 * the files it needs beside it (policies/<name>.json, uploads/...).
 *
 * Two stages, as the knowledge-transfer document runs them by hand:
 *   deploy.sh image   [--via cli|stack] [--dry-run]
 *     the components (aws imagebuilder create-component, or image-stack.yaml),
 *     pcluster build-image, wait for it, print the AMI id and the spec line
 *     that pins it;
 *   deploy.sh cluster [--via cli|stack] [--dry-run]
 *     upload the local scripts and slurm_extras.conf to the URLs the config
 *     names, then pcluster create-cluster and wait (or cluster-stack.yaml),
 *     and print how to connect.
 * `set -euo pipefail`, every value single-quoted, each step named: a failed
 * step stops the script with a message naming it. What already exists (a
 * component, a policy, a log group) is not created again, so a stage can be
 * run again after a failure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "json.h"

#define A (o->arena)

/* A bash single-quoted word. */
static const char *sq(BackendOut *o, const char *s)
{
    Buf b = {0};
    buf_putc(&b, '\'');
    for (; *s; s++) {
        if (*s == '\'') buf_puts(&b, "'\\''");
        else buf_putc(&b, *s);
    }
    buf_putc(&b, '\'');
    const char *r = arena_strdup(A, b.p);
    buf_free(&b);
    return r;
}

static const char *json_tags(BackendOut *o, const Ir_KV *tags)
{
    Json *m = js_object();
    for (size_t i = 0; i < tags->n; i++) js_put(m, tags->v[i].key, js_strn(tags->v[i].v->str.s, tags->v[i].v->str.len));
    char *s = js_dump_compact(m);
    const char *r = arena_strdup(A, s);
    free(s);
    js_release(m);
    return r;
}

static void policy_json(BackendOut *o, const IrPolicy *p)
{
    Json *doc = js_object(), *sts = js_array();
    js_put(doc, "Version", js_str("2012-10-17"));
    for (size_t i = 0; i < p->statements.n; i++) {
        const IrStatement *st = p->statements.v[i];
        Json *s = js_object(), *a = js_array(), *r = js_array();
        js_put(s, "Sid", js_str(st->sid.v));
        js_put(s, "Effect", js_str(st->effect.v));
        for (size_t k = 0; k < st->actions.n; k++) js_append(a, js_str(st->actions.v[k].v));
        for (size_t k = 0; k < st->resources.n; k++) js_append(r, js_str(st->resources.v[k].v));
        js_put(s, "Action", a);
        js_put(s, "Resource", r);
        js_append(sts, s);
    }
    js_put(doc, "Statement", sts);
    char *text = js_dump_pretty(doc);
    size_t n = strlen(text);
    be_add(o, arena_printf(A, "policies/%s.json", p->name.v), arena_strndup(A, text, n), n);
    free(text);
    js_release(doc);
}

/* The path below the uploads prefix a local script goes to (scripts/<name>). */
static const char *upload_rel(BackendOut *o, const IrCluster *c, const IrScript *s)
{
    size_t n = strlen(c->uploads.v);
    return arena_strdup(A, s->url.v + n + 1);
}

static void collect_scripts(const IrActions *a, const IrScript **out, size_t *n, size_t cap)
{
    if (!a) return;
    const IrAction *acts[] = {a->on_start, a->on_configured, a->on_updated};
    for (int i = 0; i < 3; i++)
        for (size_t k = 0; acts[i] && k < acts[i]->scripts.n; k++) {
            const IrScript *s = acts[i]->scripts.v[k];
            if (!s->local.v) continue;
            bool dup = false;
            for (size_t j = 0; j < *n; j++) dup |= str_eq(out[j]->url.v, s->url.v);
            if (!dup && *n < cap) out[(*n)++] = s;
        }
}

static const char PROLOGUE[] =
    "set -euo pipefail\n"
    "\n"
    "here=$(cd \"$(dirname \"${BASH_SOURCE[0]}\")\" && pwd)\n"
    "poll=${HPCC_POLL_SECONDS:-30}\n"
    "dry_run=0\n"
    "via=cli\n"
    "\n"
    "die() {\n"
    "    printf 'deploy.sh: %s\\n' \"$*\" >&2\n"
    "    exit 1\n"
    "}\n"
    "\n"
    "# run STEP COMMAND...: runs one command, or prints it with --dry-run; a failure names the step.\n"
    "run() {\n"
    "    local step=$1\n"
    "    shift\n"
    "    if [ \"$dry_run\" = 1 ]; then\n"
    "        quoted \"$@\"\n"
    "        return 0\n"
    "    fi\n"
    "    \"$@\" || die \"step '$step' failed: $*\"\n"
    "}\n"
    "\n"
    "# quoted WORD...: prints the words as a command line that can be pasted back.\n"
    "quoted() {\n"
    "    local out='' word\n"
    "    for word in \"$@\"; do\n"
    "        out+=\"${out:+ }$(printf '%q' \"$word\")\"\n"
    "    done\n"
    "    printf '%s\\n' \"$out\"\n"
    "}\n"
    "\n"
    "# exists COMMAND...: true when the command succeeds (something already exists); false with --dry-run.\n"
    "exists() {\n"
    "    [ \"$dry_run\" = 1 ] && return 1\n"
    "    \"$@\" >/dev/null 2>&1\n"
    "}\n"
    "\n"
    "# answer STEP COMMAND...: the command's output without quotes (pcluster --query answers).\n"
    "answer() {\n"
    "    local step=$1 out\n"
    "    shift\n"
    "    out=$(\"$@\") || die \"step '$step' failed: $*\"\n"
    "    out=${out//\\\"/}\n"
    "    printf '%s\\n' \"$out\"\n"
    "}\n"
    "\n"
    "# wait_for STEP DONE COMMAND...: polls COMMAND until it answers DONE; *_IN_PROGRESS waits, anything else fails.\n"
    "wait_for() {\n"
    "    local step=$1 done=$2 status\n"
    "    shift 2\n"
    "    if [ \"$dry_run\" = 1 ]; then\n"
    "        printf 'until it answers %s: ' \"$done\"\n"
    "        quoted \"$@\"\n"
    "        return 0\n"
    "    fi\n"
    "    while :; do\n"
    "        status=$(answer \"$step\" \"$@\")\n"
    "        case $status in\n"
    "            \"$done\") return 0 ;;\n"
    "            *_IN_PROGRESS | PENDING | '') sleep \"$poll\" ;;\n"
    "            *) die \"step '$step' failed: status $status ($*)\" ;;\n"
    "        esac\n"
    "    done\n"
    "}\n";

static void line(Buf *b, int indent, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void line(Buf *b, int indent, const char *fmt, ...)
{
    for (int i = 0; i < indent; i++) buf_puts(b, "    ");
    va_list ap;
    va_start(ap, fmt);
    char tmp[8192];
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    buf_puts(b, tmp);
    buf_putc(b, '\n');
}

static void create_policy(BackendOut *o, Buf *b, int in, const IrPolicy *p)
{
    line(b, in, "if ! exists aws iam get-policy --policy-arn %s; then", sq(o, p->arn.v));
    line(b, in + 1, "run %s aws iam create-policy --policy-name %s --policy-document \"file://$here/policies/%s.json\"%s%s",
         sq(o, arena_printf(A, "create policy %s", p->name.v)), sq(o, p->name.v), p->name.v,
         p->description.v ? " --description " : "", p->description.v ? sq(o, p->description.v) : "");
    line(b, in, "fi");
}

static void create_log_group(BackendOut *o, Buf *b, int in, const IrCluster *c, const char *name)
{
    char buf[64];
    line(b, in, "if ! exists aws logs list-tags-log-group --log-group-name %s --region \"$region\"; then", sq(o, name));
    line(b, in + 1, "run %s aws logs create-log-group --log-group-name %s%s%s --region \"$region\"",
         sq(o, arena_printf(A, "create log group %s", name)), sq(o, name), c->tags.n ? " --tags " : "",
         c->tags.n ? sq(o, json_tags(o, &c->tags)) : "");
    line(b, in, "fi");
    line(b, in, "run %s aws logs put-retention-policy --log-group-name %s --retention-in-days %s --region \"$region\"",
         sq(o, arena_printf(A, "set the retention of %s", name)), sq(o, name), rat_format(c->logs->retention.v, buf, sizeof buf));
}

static void stage_image(BackendOut *o, Buf *b, const IrCluster *c)
{
    const IrImage *im = c->image;
    line(b, 0, "stage_image() {");
    if (!im) {
        line(b, 1, "die \"cluster $cluster has no image to build (it uses %s)\"",
             c->ami.v ? arena_printf(A, "AMI %s", c->ami.v) : "ParallelCluster's official AMI");
        line(b, 0, "}");
        return;
    }
    line(b, 1, "local image_id=%s ami", sq(o, im->name.v));
    line(b, 1, "if [ \"$via\" = stack ]; then");
    /* Components too big to be inline: the stack refers to them by Uri. */
    for (size_t i = 0; i < c->components.n; i++) {
        size_t len;
        char *doc = be_component_yaml(o, c->components.v[i], &len);
        if (doc && len > 16000 && c->uploads.v)
            line(b, 2, "run %s aws s3 cp \"$here/components/%s.yaml\" %s --region \"$region\"",
                 sq(o, arena_printf(A, "upload component %s", c->components.v[i]->name.v)), c->components.v[i]->name.v,
                 sq(o, arena_printf(A, "%s/components/%s.yaml", c->uploads.v, c->components.v[i]->name.v)));
    }
    line(b, 2, "run 'deploy the image stack' aws cloudformation deploy --template-file \"$here/image-stack.yaml\" --stack-name %s "
               "--capabilities CAPABILITY_NAMED_IAM --no-fail-on-empty-changeset --region \"$region\"",
         sq(o, c->stack->image_name.v));
    line(b, 1, "else");
    for (size_t i = 0; i < c->policies.n; i++)
        if (!be_policy_in_cluster_stack(c, c->policies.v[i])) create_policy(o, b, 2, c->policies.v[i]);
    create_log_group(o, b, 2, c, arena_printf(A, "/aws/imagebuilder/ParallelClusterImage-%s", im->name.v));
    for (size_t i = 0; i < c->components.n; i++) {
        const IrComponent *comp = c->components.v[i];
        size_t len;
        char *doc = be_component_yaml(o, comp, &len);
        if (!doc) continue;
        const char *arn = be_component_arn(o, c, comp);
        line(b, 2, "if ! exists aws imagebuilder get-component --component-build-version-arn %s --region \"$region\"; then", sq(o, arn));
        Buf cmd = {0};
        buf_printf(&cmd, "aws imagebuilder create-component --name %s --semantic-version %s --platform %s", sq(o, comp->name.v),
                   sq(o, comp->version.v), sq(o, comp->platform.v));
        if (comp->description.v) buf_printf(&cmd, " --description %s", sq(o, comp->description.v));
        if (comp->change.v) buf_printf(&cmd, " --change-description %s", sq(o, comp->change.v));
        if (comp->tags.n) buf_printf(&cmd, " --tags %s", sq(o, json_tags(o, &comp->tags)));
        if (len > 16000 && c->uploads.v) {
            const char *uri = arena_printf(A, "%s/components/%s.yaml", c->uploads.v, comp->name.v);
            line(b, 3, "run %s aws s3 cp \"$here/components/%s.yaml\" %s --region \"$region\"",
                 sq(o, arena_printf(A, "upload component %s", comp->name.v)), comp->name.v, sq(o, uri));
            buf_printf(&cmd, " --uri %s", sq(o, uri));
        } else {
            buf_printf(&cmd, " --data \"file://$here/components/%s.yaml\"", comp->name.v);
        }
        line(b, 3, "run %s %s --region \"$region\"", sq(o, arena_printf(A, "create component %s", comp->name.v)), cmd.p);
        buf_free(&cmd);
        line(b, 2, "fi");
    }
    line(b, 1, "fi");
    line(b, 1, "if exists pcluster describe-image --image-id \"$image_id\" --region \"$region\"; then");
    line(b, 2, "printf 'image %%s exists already: not building it again\\n' \"$image_id\"");
    line(b, 1, "else");
    line(b, 2, "run 'build the image' pcluster build-image --image-configuration \"$here/image.yaml\" --image-id \"$image_id\" --region \"$region\"");
    line(b, 1, "fi");
    line(b, 1, "wait_for 'build the image' BUILD_COMPLETE pcluster describe-image --image-id \"$image_id\" --region \"$region\" --query imageBuildStatus");
    line(b, 1, "[ \"$dry_run\" = 1 ] && return 0");
    line(b, 1, "ami=$(answer 'read the AMI id' pcluster describe-image --image-id \"$image_id\" --region \"$region\" --query ec2AmiInfo.amiId)");
    line(b, 1, "printf 'image %%s is ready: %%s\\n' \"$image_id\" \"$ami\"");
    line(b, 1, "printf 'pin it in %s, in cluster %%s:\\n    ami = \"%%s\"\\nthen compile again and commit: the cluster stage uses it\\n' \"$cluster\" \"$ami\"",
         o->spec);
    line(b, 0, "}");
}

static void stage_cluster(BackendOut *o, Buf *b, const IrCluster *c)
{
    line(b, 0, "stage_cluster() {");
    bool param = str_eq(c->stack->provider.v, "parameter");
    if (param)
        line(b, 1, "if [ \"$via\" = stack ] && [ -z \"${PCLUSTER_SERVICE_TOKEN:-}\" ]; then die \"step 'deploy the cluster stack' needs "
                   "PCLUSTER_SERVICE_TOKEN: the ServiceToken output of the ParallelCluster %s provider stack\"; fi",
             c->pcluster.v);
    for (size_t i = 0; i < c->partitions.n; i++)
        if (be_stack_efa_sg(c->partitions.v[i]))
            line(b, 1, "if [ \"$via\" = cli ]; then die %s; fi",
                 sq(o, arena_printf(A, "partition %s needs its EFA security group: deploy with --via stack, or pin "
                                       "efa_security_group in the spec", c->partitions.v[i]->name.v)));
    for (size_t i = 0; i < c->storage.n; i++)
        if (be_stack_storage(c->storage.v[i]) && !ir_set(c->storage.v[i]->existing.p))
            line(b, 1, "if [ \"$via\" = cli ]; then die %s; fi",
                 sq(o, arena_printf(A, "storage %s is created by the cluster stack: deploy with --via stack, or pin "
                                       "its existing id in the spec", c->storage.v[i]->label.v)));
    /* Uploads: local scripts, and the Slurm include file, to the URLs the config names. */
    const IrScript *scripts[256];
    size_t ns = 0;
    if (c->head) collect_scripts(c->head->actions, scripts, &ns, 256);
    for (size_t i = 0; i < c->partitions.n; i++) collect_scripts(c->partitions.v[i]->actions, scripts, &ns, 256);
    for (size_t i = 0; i < ns; i++)
        line(b, 1, "run %s aws s3 cp \"$here/uploads/%s\" %s --region \"$region\"",
             sq(o, arena_printf(A, "upload %s", scripts[i]->local.v)), upload_rel(o, c, scripts[i]), sq(o, scripts[i]->url.v));
    const IrExtras *ex = c->slurm ? c->slurm->extras : NULL;
    if (ex && ex->url.v && str_has_prefix(ex->url.v, "s3://"))
        line(b, 1, "run 'upload slurm_extras.conf' aws s3 cp \"$here/slurm_extras.conf\" %s --region \"$region\"", sq(o, ex->url.v));
    else if (ex && ex->url.v)
        line(b, 1, "printf 'slurm_extras.conf: publish it at %%s yourself (deploy.sh uploads to s3:// only)\\n' %s", sq(o, ex->url.v));
    line(b, 1, "if [ \"$via\" = stack ]; then");
    line(b, 2, "run 'deploy the cluster stack' aws cloudformation deploy --template-file \"$here/cluster-stack.yaml\" --stack-name %s "
               "--capabilities CAPABILITY_NAMED_IAM CAPABILITY_AUTO_EXPAND --no-fail-on-empty-changeset --region \"$region\"%s",
         sq(o, c->stack->name.v),
         param ? " --parameter-overrides \"PclusterServiceToken=$PCLUSTER_SERVICE_TOKEN\"" : "");
    line(b, 2, "run 'show the outputs' aws cloudformation describe-stacks --stack-name %s --region \"$region\" "
               "--query 'Stacks[0].Outputs' --output table", sq(o, c->stack->name.v));
    line(b, 2, "return 0");
    line(b, 1, "fi");
    for (size_t i = 0; i < c->policies.n; i++)
        if (be_policy_in_cluster_stack(c, c->policies.v[i])) create_policy(o, b, 1, c->policies.v[i]);
    create_log_group(o, b, 1, c, c->logs->jobs.v);
    if (c->head && c->head->create_ssh_key.v && c->head->ssh_key.v) {
        line(b, 1, "if ! exists aws ec2 describe-key-pairs --key-names %s --region \"$region\"; then", sq(o, c->head->ssh_key.v));
        line(b, 2, "if [ \"$dry_run\" = 1 ]; then");
        line(b, 3, "printf '%%s\\n' %s", sq(o, arena_printf(A, "aws ec2 create-key-pair --key-name %s --query KeyMaterial --output text > ~/.ssh/%s.pem",
                                                         c->head->ssh_key.v, c->head->ssh_key.v)));
        line(b, 2, "else");
        /* The private key goes to ~/.ssh, never into the output directory (it is committed). */
        line(b, 3, "(umask 077 && mkdir -p \"$HOME/.ssh\" && aws ec2 create-key-pair --key-name %s --query KeyMaterial --output text --region \"$region\" > \"$HOME/.ssh/%s.pem\") "
                   "|| die \"step 'create the key pair' failed\"",
             sq(o, c->head->ssh_key.v), c->head->ssh_key.v);
        line(b, 2, "fi");
        line(b, 1, "fi");
    }
    const IrAccounting *acc = c->slurm ? c->slurm->accounting : NULL;
    if (acc && acc->create_secret.v) {
        line(b, 1, "if ! exists aws secretsmanager describe-secret --secret-id %s --region \"$region\"; then", sq(o, acc->secret_name.v));
        line(b, 2, "run 'create the database secret' aws secretsmanager create-secret --name %s --description %s "
                   "--generate-secret-string 'PasswordLength=32,ExcludePunctuation=true' --region \"$region\"",
             sq(o, acc->secret_name.v), sq(o, arena_printf(A, "Slurm accounting database password of cluster %s", c->name.v)));
        line(b, 1, "fi");
    }
    line(b, 1, "if exists pcluster describe-cluster --cluster-name \"$cluster\" --region \"$region\"; then");
    line(b, 2, "printf 'cluster %%s exists already: not creating it again\\n' \"$cluster\"");
    line(b, 1, "else");
    line(b, 2, "run 'create the cluster' pcluster create-cluster --cluster-name \"$cluster\" --cluster-configuration \"$here/cluster.yaml\" "
               "--rollback-on-failure false --region \"$region\"");
    line(b, 1, "fi");
    line(b, 1, "wait_for 'create the cluster' CREATE_COMPLETE pcluster describe-cluster --cluster-name \"$cluster\" --region \"$region\" --query clusterStatus");
    line(b, 1, "[ \"$dry_run\" = 1 ] && return 0");
    line(b, 1, "local ip");
    line(b, 1, "ip=$(answer 'read the head node address' pcluster describe-cluster --cluster-name \"$cluster\" --region \"$region\" --query headNode.privateIpAddress)");
    const char *key = c->head && c->head->ssh_key.v ? c->head->ssh_key.v : NULL;
    line(b, 1, "printf 'cluster %%s is ready; head node %%s\\nconnect: pcluster ssh --cluster-name %%s --region %%s%s\\n' \"$cluster\" \"$ip\" \"$cluster\" \"$region\"",
         key ? arena_printf(A, " -i ~/.ssh/%s.pem", key) : "");
    line(b, 0, "}");
}

void backend_deploy_sh(const IrCluster *c, BackendOut *o)
{
    Buf b = {0};
    buf_puts(&b, "#!/usr/bin/env bash\n");
    buf_puts(&b, be_header(o));
    buf_printf(&b,
               "#\n"
               "# Deploys cluster %s in two stages (docs/deploy.md):\n"
               "#   ./deploy.sh image   [--via cli|stack] [--dry-run]   build the image, print the AMI id to pin in the spec\n"
               "#   ./deploy.sh cluster [--via cli|stack] [--dry-run]   upload what the config refers to, create the cluster\n"
               "# --via cli (the default) runs aws and pcluster commands; --via stack deploys\n"
               "# image-stack.yaml or cluster-stack.yaml with aws cloudformation deploy.\n"
               "# --dry-run prints the commands instead of running them.\n",
               c->name.v);
    buf_puts(&b, PROLOGUE);
    buf_printf(&b, "\ncluster=%s\nregion=%s\n\n", sq(o, c->name.v), sq(o, c->region.v));
    stage_image(o, &b, c);
    buf_putc(&b, '\n');
    stage_cluster(o, &b, c);
    buf_puts(&b,
             "\n"
             "usage() {\n"
             "    printf 'usage: deploy.sh image|cluster [--via cli|stack] [--dry-run]\\n' >&2\n"
             "    exit 2\n"
             "}\n"
             "\n"
             "[ $# -ge 1 ] || usage\n"
             "stage=$1\n"
             "shift\n"
             "while [ $# -gt 0 ]; do\n"
             "    case $1 in\n"
             "        --dry-run) dry_run=1 ;;\n"
             "        --via)\n"
             "            [ $# -ge 2 ] || usage\n"
             "            via=$2\n"
             "            shift\n"
             "            ;;\n"
             "        --via=*) via=${1#--via=} ;;\n"
             "        *) usage ;;\n"
             "    esac\n"
             "    shift\n"
             "done\n"
             "case $via in cli | stack) ;; *) usage ;; esac\n"
             "case $stage in\n"
             "    image) stage_image ;;\n"
             "    cluster) stage_cluster ;;\n"
             "    *) usage ;;\n"
             "esac\n");
    Artifact a = {"deploy.sh", arena_strndup(A, b.p, b.n), b.n, true};
    VPUSH(A, o->files, a);
    buf_free(&b);
    for (size_t i = 0; i < c->policies.n; i++) policy_json(o, c->policies.v[i]);
    const IrScript *scripts[256];
    size_t ns = 0;
    if (c->head) collect_scripts(c->head->actions, scripts, &ns, 256);
    for (size_t i = 0; i < c->partitions.n; i++) collect_scripts(c->partitions.v[i]->actions, scripts, &ns, 256);
    for (size_t i = 0; i < ns; i++)
        be_add(o, arena_printf(A, "uploads/%s", upload_rel(o, c, scripts[i])), arena_strdup(A, scripts[i]->local_data.v),
               strlen(scripts[i]->local_data.v));
}
