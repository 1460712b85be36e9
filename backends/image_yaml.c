/* image_yaml.c — the ParallelCluster build-image configuration (image.yaml).
 *
 * Written only for a cluster with an `image` block. A component declared in
 * the spec is referenced by the ARN it is created under (be_component_arn),
 * the same ARN the CloudFormation stack and deploy.sh create it with; Build's
 * tags default to the cluster's, Image's to Build's. Key order follows the
 * Blue Brain reference. No Region key: deploy.sh passes --region. */
#include "backend.h"

#define A (o->arena)

void backend_image_yaml(const IrCluster *c, BackendOut *o)
{
    const IrImage *im = c->image;
    if (!im) return;
    YNode *root = y_map(A), *build = y_map(A);
    if (emit(im->parent.p)) y_put(build, "ParentImage", y_str(A, im->parent.v));
    if (emit(im->update_os.p)) {
        YNode *u = y_map(A);
        y_put(u, "Enabled", y_bool(A, im->update_os.v));
        y_put(build, "UpdateOsPackages", u);
    }
    if (im->components.n) {
        YNode *cs = y_seq(A);
        for (size_t i = 0; i < im->components.n; i++) {
            const IrImageComponent *ic = im->components.v[i];
            YNode *e = y_map(A);
            if (str_eq(ic->kind.v, "component")) {
                const IrComponent *comp = NULL;
                for (size_t k = 0; k < c->components.n; k++)
                    if (str_eq(c->components.v[k]->name.v, ic->name.v)) comp = c->components.v[k];
                HPCC_ASSERT(comp);
                y_put(e, "Type", y_str(A, "arn"));
                y_put(e, "Value", y_str(A, be_component_arn(o, c, comp)));
            } else {
                y_put(e, "Type", y_str(A, str_eq(ic->kind.v, "script") ? "script" : "arn"));
                y_put(e, "Value", y_str(A, ic->value.v));
            }
            y_push(cs, e);
        }
        y_put(build, "Components", cs);
    }
    if (im->iam) {
        YNode *iam = y_map(A);
        if (emit(im->iam->instance_role.p)) y_put(iam, "InstanceRole", y_str(A, im->iam->instance_role.v));
        if (emit(im->iam->instance_profile.p)) y_put(iam, "InstanceProfile", y_str(A, im->iam->instance_profile.v));
        if (emit(im->iam->policies.p)) {
            YNode *s = y_seq(A);
            for (size_t i = 0; i < im->iam->policies.n; i++) {
                YNode *e = y_map(A);
                y_put(e, "Policy", y_str(A, im->iam->policies.v[i].v));
                y_push(s, e);
            }
            y_put(iam, "AdditionalIamPolicies", s);
        }
        if (y_len(iam)) y_put(build, "Iam", iam);
    }
    if (emit(im->tags.p)) y_put(build, "Tags", be_tags(o, &im->tags));
    if (emit(im->instance.p)) y_put(build, "InstanceType", y_str(A, im->instance.v));
    if (im->network) {
        if (im->network->subnets.n) y_put(build, "SubnetId", y_str(A, im->network->subnets.v[0].v));
        if (emit(im->network->security_groups.p)) {
            YNode *s = y_seq(A);
            for (size_t i = 0; i < im->network->security_groups.n; i++)
                y_push(s, y_str(A, im->network->security_groups.v[i].v));
            y_put(build, "SecurityGroupIds", s);
        }
    }
    if (emit(im->imds_support.p)) {
        YNode *imds = y_map(A);
        y_put(imds, "ImdsSupport", y_str(A, im->imds_support.v));
        y_put(build, "Imds", imds);
    }
    be_passthrough(o, build, &im->passthrough, "Build");
    y_put(root, "Build", build);
    YNode *image = y_map(A);
    if (emit(im->ami_tags.p)) y_put(image, "Tags", be_tags(o, &im->ami_tags));
    if (emit(im->root_volume_size.p) || emit(im->root_volume_encrypted.p)) {
        YNode *rv = y_map(A);
        char buf[64];
        if (emit(im->root_volume_size.p)) y_put(rv, "Size", y_number(A, rat_format(im->root_volume_size.v, buf, sizeof buf)));
        if (emit(im->root_volume_encrypted.p)) y_put(rv, "Encrypted", y_bool(A, im->root_volume_encrypted.v));
        y_put(image, "RootVolume", rv);
    }
    if (y_len(image)) y_put(root, "Image", image);
    be_add_yaml(o, "image.yaml", root);
}
