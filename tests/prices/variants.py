#!/usr/bin/env python3
"""variants.py BASE.csv OUTDIR — the offer files of tests/run-prices.sh that
differ from BASE by one thing each: line ends, a byte order mark, column
order, and every kind of damage hpcc-prices must name (malformed CSV,
metadata, header, rows). Written the way AWS writes (every non-empty field
quoted, empty fields bare), so a variant differs from BASE only where it
means to. Deterministic.
"""
import csv
import io
import os
import sys

base_path, out = sys.argv[1], sys.argv[2]
with open(base_path, newline="") as f:
    BASE_TEXT = f.read()
META = [r for r in csv.reader(io.StringIO("".join(BASE_TEXT.splitlines(True)[:5])))]
ROWS = list(csv.reader(io.StringIO(BASE_TEXT)))[5:]
HEADER, DATA = ROWS[0], ROWS[1:]
COL = {name: i for i, name in enumerate(HEADER)}


def q(v):
    return '"' + v.replace('"', '""') + '"' if v != "" else ""


def text(meta=None, header=None, data=None, eol="\n"):
    meta = META if meta is None else meta
    header = HEADER if header is None else header
    data = DATA if data is None else data
    lines = [",".join(q(v) for v in r) for r in meta + [header] + data]
    return eol.join(lines) + eol


assert text() == BASE_TEXT, "the base fixture does not round-trip"


def write(name, content):
    with open(os.path.join(out, name), "w", newline="") as f:
        f.write(content)


def kept(**changes):
    """A copy of the first data row (an m5.large that is kept), changed."""
    r = list(DATA[0])
    for k, v in changes.items():
        r[COL[k.replace("_", " ")]] = v
    return r


def without(names):
    idx = [i for i, h in enumerate(HEADER) if h not in names]
    return [HEADER[i] for i in idx], [[r[i] for i in idx] for r in DATA]


# ---- the same prices, other bytes ----
write("offer-crlf.csv", text(eol="\r\n"))
write("offer-bom.csv", "\ufeff" + text())
write("offer-no-final-newline.csv", text()[:-1])
# Only the columns hpcc-prices reads (optional ones absent), in another order.
minimal = ["PricePerUnit", "Instance Type", "usageType", "Unit", "Currency", "CapacityStatus", "Pre Installed S/W",
           "Tenancy", "Operating System", "Product Family", "TermType", "Region Code"]
write("offer-minimal.csv", text(header=minimal, data=[[r[COL[c]] for c in minimal] for r in DATA]))

# ---- malformed CSV ----
t = text()
lines = t.split("\n")
# Line 8 (the second data row): damaged in place.
def damage(line_no, old, new):
    ls = list(lines)
    assert old in ls[line_no - 1], (line_no, old)
    ls[line_no - 1] = ls[line_no - 1].replace(old, new, 1)
    return "\n".join(ls)


write("bad-quote-in-field.csv", damage(8, '"Hrs"', 'H"rs'))
write("bad-after-quote.csv", damage(8, '"Hrs"', '"Hrs"x'))
write("bad-cr.csv", damage(8, '"Hrs",', '"Hrs"\r,'))
write("bad-cr-at-end.csv", t + '"ABC"\r')
write("bad-unclosed.csv", t + '"ABC,OnDemand\n')
write("bad-fields.csv", damage(9, '"USD",', ""))
# The limit counts the bytes of the fields hpcc-prices reads (usageType is one).
write("bad-long-record.csv", text(data=DATA + [kept(usageType="BoxUsage:" + "x" * (1 << 20))]))
write("bad-many-fields.csv", text(header=HEADER + ["Extra %d" % i for i in range(4100)]))

# ---- metadata (lines 1-5) ----
def meta(i, row):
    m = [list(r) for r in META]
    m[i] = row
    return m


write("bad-format.csv", text(meta=meta(0, ["FormatVersion", "v2.0"])))
write("bad-format-fields.csv", text(meta=meta(0, ["FormatVersion", "v1.0", "v2.0"])))
write("bad-no-version.csv", text(meta=meta(3, ["Edition", "20250912225308"])))
write("bad-no-date.csv", text(meta=meta(2, ["Date", "2025-09-12T22:53:08Z"])))
write("bad-no-offer-code.csv", text(meta=meta(4, ["Offer", "AmazonEC2"])))
write("bad-offer-code.csv", text(meta=meta(4, ["OfferCode", "AmazonS3"])))
write("bad-meta-fields.csv", text(meta=meta(2, ["Publication Date", "2025-09-12T22:53:08Z", "extra"])))
write("bad-meta-value.csv", text(meta=meta(3, ["Version", "2025" * 17])))
write("bad-meta-twice.csv", text(meta=meta(1, ["Version", "20250101000000"])))
write("bad-short.csv", "".join(t.splitlines(True)[:3]))
write("bad-html.csv", "<!DOCTYPE html>\n<html><body>Not a price list</body></html>\n")

# ---- the header (line 6) ----
h, d = without({"Unit"})
write("bad-missing-column.csv", text(header=h, data=d))
h, d = without({"Unit", "Currency", "Tenancy"})
write("bad-missing-columns.csv", text(header=h, data=d))
write("bad-duplicate-column.csv", text(header=[("Tenancy" if x == "Group" else x) for x in HEADER]))

# ---- rows ----
write("bad-two-prices.csv", text(data=DATA + [kept(SKU="ZZZZZZZZZZZZZZZZ", PricePerUnit="0.0970000000")]))
write("bad-price.csv", text(data=DATA + [kept(PricePerUnit="0.09.6")]))
write("bad-price-long.csv", text(data=DATA + [kept(PricePerUnit="0." + "1" * 50)]))
write("bad-price-empty.csv", text(data=DATA + [kept(PricePerUnit="")]))
write("bad-price-negative.csv", text(data=DATA + [kept(PricePerUnit="-0.0960000000")]))
write("bad-price-tab.csv", text(data=DATA + [kept(PricePerUnit="0.096\t")]))
write("bad-type.csv", text(data=DATA + [kept(Instance_Type="m5 large")]))
write("bad-type-empty.csv", text(data=DATA + [kept(Instance_Type="")]))
