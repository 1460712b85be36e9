/* components.c — one Image Builder (AWSTOE) component document per component
 * the cluster's image uses: components/<name>.yaml.
 *
 * Every step is an ExecuteBash step whose single command is the script, byte
 * for byte (a literal block in YAML). Phases are written in AWSTOE's order,
 * build, validate, test, each only when it has steps. */
#include <stdlib.h>

#include "backend.h"

#define A (o->arena)

static const char *const phases[] = {"build", "validate", "test"};

YNode *be_component_doc(BackendOut *o, const IrComponent *comp)
{
    {
        YNode *root = y_map(A);
        y_put(root, "name", y_str(A, comp->name.v));
        if (emit(comp->description.p)) y_put(root, "description", y_str(A, comp->description.v));
        y_put(root, "schemaVersion", y_number(A, "1.0"));
        if (comp->params.n) {
            YNode *ps = y_seq(A);
            for (size_t k = 0; k < comp->params.n; k++) {
                const IrParam *p = comp->params.v[k];
                YNode *body = y_map(A), *one = y_map(A);
                y_put(body, "type", y_str(A, p->type.v));
                if (emit(p->default_value.p)) y_put(body, "default", y_str(A, p->default_value.v));
                if (emit(p->description.p)) y_put(body, "description", y_str(A, p->description.v));
                y_put(one, p->name.v, body);
                y_push(ps, one);
            }
            y_put(root, "parameters", ps);
        }
        YNode *phs = y_seq(A);
        for (int ph = 0; ph < 3; ph++) {
            YNode *steps = y_seq(A);
            for (size_t k = 0; k < comp->steps.n; k++) {
                const IrStep *s = comp->steps.v[k];
                if (!str_eq(s->phase.v, phases[ph])) continue;
                YNode *st = y_map(A), *in = y_map(A), *cmds = y_seq(A);
                y_put(st, "name", y_str(A, s->name.v));
                y_put(st, "action", y_str(A, s->action.v));
                y_push(cmds, y_str(A, s->body.v));
                y_put(in, "commands", cmds);
                y_put(st, "inputs", in);
                y_push(steps, st);
            }
            if (!y_len(steps)) continue;
            YNode *phase = y_map(A);
            y_put(phase, "name", y_str(A, phases[ph]));
            y_put(phase, "steps", steps);
            y_push(phs, phase);
        }
        y_put(root, "phases", phs);
        return root;
    }
}

char *be_component_yaml(BackendOut *o, const IrComponent *comp, size_t *len)
{
    const char *err;
    char *text = yaml_emit(be_component_doc(o, comp), be_header(o), len, &err);
    if (!text) {
        be_problem(o, comp->at, NULL, "cannot write component %s: %s", comp->name.v, err);
        return NULL;
    }
    char *copy = arena_strndup(A, text, *len);
    free(text);
    return copy;
}

void backend_components(const IrCluster *c, BackendOut *o)
{
    for (size_t i = 0; i < c->components.n; i++) {
        size_t len;
        char *text = be_component_yaml(o, c->components.v[i], &len);
        if (text) be_add(o, arena_printf(A, "components/%s.yaml", c->components.v[i]->name.v), text, len);
    }
}
