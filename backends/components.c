/* components.c — one Image Builder (AWSTOE) component document per component
 * the cluster's image uses: components/<name>.yaml.
 *
 * Every step is an ExecuteBash step whose single command is the script, byte
 * for byte (a literal block in YAML). Phases are written in AWSTOE's order,
 * build, validate, test, each only when it has steps. */
#include "backend.h"

#define A (o->arena)

void backend_components(const IrCluster *c, BackendOut *o)
{
    static const char *const phases[] = {"build", "validate", "test"};
    for (size_t i = 0; i < c->components.n; i++) {
        const IrComponent *comp = c->components.v[i];
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
        be_add_yaml(o, arena_printf(A, "components/%s.yaml", comp->name.v), root);
    }
}
