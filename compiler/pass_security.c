/* pass_security.c — security lints: warnings with ids, each silenceable in
 * one place with a stated reason (`allow ID "why"`).
 *
 * - ssh-open-to-world / dcv-open-to-world: the head node's managed security
 *   group admits SSH or DCV from 0.0.0.0/0, ParallelCluster's default when
 *   AllowedIps is unset (not when the spec replaces the security groups:
 *   then ParallelCluster creates no rule of its own);
 * - imds-v1-allowed: IMDSv1 (token-less metadata requests) is allowed on the
 *   cluster, the head node, or the image build;
 * - unencrypted-volume: an EBS volume, a new EFS file system (ParallelCluster
 *   leaves EFS unencrypted by default) or a root volume is not encrypted;
 * - s3-write-wildcard: write access to every bucket matching a wildcard;
 * - script-plain-http: a component script downloads over plain http (custom
 *   action scripts and the include file must be s3:// or https:// anyway:
 *   ParallelCluster's rule, an error in pass_pcluster.c).
 * A password or key written in the spec is not a lint: it is an error in the
 * front end (literal-secret), and cannot be allowed. */
#include <string.h>

#include "diag.h"
#include "passes.h"

static const Span NOSPAN = {0, 0, 0};

static Span at(Prov p, Span fallback) { return p.span.file ? p.span : fallback; }

/* The keyword at the start of a block's span (`head`, `image`). */
static Span kw(Span s, size_t n)
{
    if (s.file && s.end - s.start > n) s.end = s.start + (uint32_t)n;
    return s;
}

static void head_access(Hpcc *h, const IrCluster *c)
{
    const IrHead *hd = c->head;
    if (!hd) return;
    bool replaced = hd->network && ir_set(hd->network->security_groups.p);
    if (!replaced && str_eq(hd->ssh_allowed_ips.v, "0.0.0.0/0")) {
        Diag *d = diag(h, D_SEC_SSH_WORLD, at(hd->ssh_allowed_ips.p, kw(hd->at, 4)), "SSH to the head node of '%s' is open to the internet",
                       c->name.v);
        diag_label(d, ir_set(hd->ssh_allowed_ips.p) && hd->ssh_allowed_ips.p.origin == ORIGIN_SPEC
                          ? "0.0.0.0/0 admits every address"
                          : "ParallelCluster's default HeadNode/Ssh/AllowedIps is 0.0.0.0/0");
        diag_note(d, NOSPAN, "set ssh_from = \"10.0.0.0/8\" (your network) on the head node");
    }
    if (!replaced && ir_set(hd->dcv.p) && hd->dcv.v && str_eq(hd->dcv_allowed_ips.v, "0.0.0.0/0")) {
        Diag *d = diag(h, D_SEC_DCV_WORLD, at(hd->dcv_allowed_ips.p, hd->dcv.p.span), "DCV on the head node of '%s' is open to the internet",
                       c->name.v);
        diag_label(d, "HeadNode/Dcv/AllowedIps is 0.0.0.0/0");
        diag_note(d, NOSPAN, "set dcv { from = \"10.0.0.0/8\" } (your network)");
    }
    if (ir_set(hd->imds_secured.p) && !hd->imds_secured.v) {
        Diag *d = diag(h, D_SEC_IMDS_V1, hd->imds_secured.p.span, "the head node's instance metadata is open to every local user");
        diag_label(d, "HeadNode/Imds/Secured false lets any process read the head node's IAM credentials");
    }
}

static void imds(Hpcc *h, const IrCluster *c)
{
    if (str_eq(c->imds_support.v, "v1.0")) {
        Diag *d = diag(h, D_SEC_IMDS_V1, at(c->imds_support.p, c->at), "cluster '%s' allows IMDSv1", c->name.v);
        diag_label(d, "Imds/ImdsSupport v1.0 answers metadata requests without a session token (SSRF can read credentials)");
    }
    if (c->image && str_eq(c->image->imds_support.v, "v1.0")) {
        Diag *d = diag(h, D_SEC_IMDS_V1, at(c->image->imds_support.p, kw(c->image->at, 5)), "the image build allows IMDSv1");
        diag_label(d, "Build/Imds/ImdsSupport v1.0 answers metadata requests without a session token");
    }
}

static void unencrypted(Hpcc *h, Span where, const char *what, const char *setting)
{
    Diag *d = diag(h, D_SEC_UNENCRYPTED, where, "%s is not encrypted", what);
    diag_label(d, "%s", setting);
}

static void volumes(Hpcc *h, const IrCluster *c)
{
    for (size_t i = 0; i < c->storage.n; i++) {
        const IrStorage *s = c->storage.v[i];
        if (ir_set(s->existing.p)) continue;
        if (str_eq(s->type.v, "Ebs") && ir_set(s->encrypted.p) && !s->encrypted.v)
            unencrypted(h, s->encrypted.p.span, arena_printf(h->arena, "EBS volume '%s'", s->label.v),
                        "EbsSettings/Encrypted false: set encrypted = true");
        if (str_eq(s->type.v, "Efs") && ir_set(s->encrypted.p) && !s->encrypted.v)
            unencrypted(h, at(s->encrypted.p, s->label.p.span), arena_printf(h->arena, "EFS file system '%s'", s->label.v),
                        s->encrypted.p.origin == ORIGIN_DEFAULT ? "ParallelCluster creates EFS unencrypted unless EfsSettings/Encrypted is true: set encrypted = true"
                                                                : "EfsSettings/Encrypted false: set encrypted = true");
    }
    if (c->head && c->head->root_volume && ir_set(c->head->root_volume->encrypted.p) && !c->head->root_volume->encrypted.v)
        unencrypted(h, c->head->root_volume->encrypted.p.span, "the head node's root volume",
                    "HeadNode/LocalStorage/RootVolume/Encrypted false");
    for (size_t i = 0; i < c->partitions.n; i++) {
        const IrPartition *p = c->partitions.v[i];
        if (p->root_volume && ir_set(p->root_volume->encrypted.p) && !p->root_volume->encrypted.v)
            unencrypted(h, p->root_volume->encrypted.p.span, arena_printf(h->arena, "the root volume of partition '%s'", p->name.v),
                        "ComputeSettings/LocalStorage/RootVolume/Encrypted false");
    }
    if (c->image && ir_set(c->image->root_volume_encrypted.p) && !c->image->root_volume_encrypted.v)
        unencrypted(h, c->image->root_volume_encrypted.p.span, "the image's root volume", "Image/RootVolume/Encrypted false");
}

static void s3_wildcards(Hpcc *h, const IrIam *iam, const char *who)
{
    if (!iam) return;
    for (size_t i = 0; i < iam->s3.n; i++) {
        const IrS3Access *a = iam->s3.v[i];
        if (!a->write.v || !strchr(a->bucket.v, '*')) continue;
        Diag *d = diag(h, D_SEC_S3_WILDCARD, a->bucket.p.span, "%s can write to every bucket matching '%s'", who, a->bucket.v);
        diag_label(d, "Iam/S3Access with EnableWriteAccess and a wildcard BucketName");
        diag_note(d, NOSPAN, "name the buckets it writes to, or read with s3_read");
    }
}

static void plain_http(Hpcc *h, const IrCluster *c)
{
    for (size_t i = 0; i < c->components.n; i++) {
        const IrComponent *comp = c->components.v[i];
        for (size_t k = 0; k < comp->steps.n; k++) {
            const IrStep *s = comp->steps.v[k];
            const char *u = strstr(s->body.v, "http://");
            if (!u) continue;
            size_t n = strcspn(u, " \t\n\"'|;&)");
            Diag *d = diag(h, D_SEC_PLAIN_HTTP, at(s->name.p, s->at), "step '%s' of component '%s' downloads over plain http: %.*s",
                           s->name.v, comp->name.v, (int)(n > 120 ? 120 : n), u);
            diag_label(d, "anything on the path can change what the image runs: use https://");
        }
    }
}

void pass_security(Hpcc *h, Ir *ir)
{
    for (size_t i = 0; i < ir->n; i++) {
        const IrCluster *c = ir->clusters[i];
        head_access(h, c);
        imds(h, c);
        volumes(h, c);
        if (c->head) s3_wildcards(h, c->head->iam, "the head node");
        for (size_t k = 0; k < c->partitions.n; k++)
            s3_wildcards(h, c->partitions.v[k]->iam, arena_printf(h->arena, "partition '%s'", c->partitions.v[k]->name.v));
        plain_http(h, c);
    }
}
