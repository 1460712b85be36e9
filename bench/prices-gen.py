#!/usr/bin/env python3
"""prices-gen.py OUT.csv MB — a synthetic AWS Price List offer file for EC2.

Writes about MB megabytes in the shape of AWS's regional CSV (five metadata
lines, the 2025 header of 91 columns, every non-empty field quoted) for
bench/prices.sh. Deterministic: the same arguments give the same bytes.

Rows cycle through the combinations a real offer file holds for every
instance type: terms (on-demand, and reserved 1 or 3 years with three
payment options, each with an hourly row and an upfront-fee row),
operating systems, tenancies, pre-installed software and capacity statuses.
The first combination is the one hpcc-prices keeps (on-demand Linux, shared,
no software, capacity Used), so every type has exactly one kept row; the
script prints how many types that is, and the benchmark checks the snapshot
against it.
"""
import hashlib
import sys

HEADER = ("SKU,OfferTermCode,RateCode,TermType,PriceDescription,EffectiveDate,StartingRange,EndingRange,Unit,"
          "PricePerUnit,Currency,RelatedTo,LeaseContractLength,PurchaseOption,OfferingClass,Product Family,"
          "serviceCode,Location,Location Type,Instance Type,Current Generation,Instance Family,vCPU,"
          "Physical Processor,Clock Speed,Memory,Storage,Network Performance,Processor Architecture,Storage Media,"
          "Volume Type,Max Volume Size,Max IOPS/volume,Max IOPS Burst Performance,Max throughput/volume,"
          "Provisioned,Tenancy,EBS Optimized,Operating System,License Model,Group,Group Description,Transfer Type,"
          "From Location,From Location Type,To Location,To Location Type,usageType,operation,AvailabilityZone,"
          "CapacityStatus,ClassicNetworkingSupport,Dedicated EBS Throughput,ECU,Elastic Graphics Type,"
          "Enhanced Networking Supported,From Region Code,GPU,GPU Memory,Instance,Instance Capacity - 10xlarge,"
          "Instance Capacity - 12xlarge,Instance Capacity - 16xlarge,Instance Capacity - 18xlarge,"
          "Instance Capacity - 24xlarge,Instance Capacity - 2xlarge,Instance Capacity - 32xlarge,"
          "Instance Capacity - 4xlarge,Instance Capacity - 8xlarge,Instance Capacity - 9xlarge,"
          "Instance Capacity - large,Instance Capacity - medium,Instance Capacity - metal,"
          "Instance Capacity - xlarge,instanceSKU,Intel AVX2 Available,Intel AVX Available,Intel Turbo Available,"
          "MarketOption,Normalization Size Factor,Physical Cores,Pre Installed S/W,Processor Features,Product Type,"
          "Region Code,Resource Type,serviceName,SnapshotArchiveFeeType,To Region Code,Volume API Name,"
          "VPCNetworkingSupport").split(",")

FAMILIES = [
    ("m5", "General purpose", "Intel Xeon Platinum 8175", "3.1 GHz", 4, "0.048"),
    ("m6i", "General purpose", "Intel Xeon 8375C (Ice Lake)", "3.5 GHz", 4, "0.048"),
    ("m7i", "General purpose", "Intel Xeon Scalable (Sapphire Rapids)", "3.2 GHz", 4, "0.0504"),
    ("m7a", "General purpose", "AMD EPYC 9R14", "3.7 GHz", 4, "0.05796"),
    ("c5", "Compute optimized", "Intel Xeon Platinum 8124M", "3.4 GHz", 2, "0.0425"),
    ("c6i", "Compute optimized", "Intel Xeon 8375C (Ice Lake)", "3.5 GHz", 2, "0.0425"),
    ("c7i", "Compute optimized", "Intel Xeon Scalable (Sapphire Rapids)", "3.2 GHz", 2, "0.04463"),
    ("c7a", "Compute optimized", "AMD EPYC 9R14", "3.7 GHz", 2, "0.05132"),
    ("r5", "Memory optimized", "Intel Xeon Platinum 8175", "3.1 GHz", 8, "0.063"),
    ("r6i", "Memory optimized", "Intel Xeon 8375C (Ice Lake)", "3.5 GHz", 8, "0.063"),
    ("r7i", "Memory optimized", "Intel Xeon Scalable (Sapphire Rapids)", "3.2 GHz", 8, "0.06615"),
    ("x2idn", "Memory optimized", "Intel Xeon Scalable (Icelake)", "3.5 GHz", 16, "0.104203"),
    ("m6g", "General purpose", "AWS Graviton2 Processor", "2.5 GHz", 4, "0.0385"),
    ("c7g", "Compute optimized", "AWS Graviton3 Processor", "2.6 GHz", 2, "0.03625"),
    ("r7g", "Memory optimized", "AWS Graviton3 Processor", "2.6 GHz", 8, "0.05355"),
    ("i4i", "Storage optimized", "Intel Xeon 8375C (Ice Lake)", "3.5 GHz", 8, "0.0858"),
    ("m5a", "General purpose", "AMD EPYC 7571", "2.5 GHz", 4, "0.043"),
    ("c5a", "Compute optimized", "AMD EPYC 7R32", "3.3 GHz", 2, "0.0385"),
    ("r5a", "Memory optimized", "AMD EPYC 7571", "2.5 GHz", 8, "0.0565"),
    ("m6a", "General purpose", "AMD EPYC 7R13 Processor", "3.6 GHz", 4, "0.0432"),
    ("c6a", "Compute optimized", "AMD EPYC 7R13 Processor", "3.6 GHz", 2, "0.0383"),
    ("r6a", "Memory optimized", "AMD EPYC 7R13 Processor", "3.6 GHz", 8, "0.0567"),
    ("m7g", "General purpose", "AWS Graviton3 Processor", "2.6 GHz", 4, "0.0408"),
    ("c6gn", "Compute optimized", "AWS Graviton2 Processor", "2.5 GHz", 2, "0.0432"),
]
SIZES = [("large", 2), ("xlarge", 4), ("2xlarge", 8), ("4xlarge", 16), ("8xlarge", 32), ("12xlarge", 48),
         ("16xlarge", 64), ("24xlarge", 96), ("32xlarge", 128), ("48xlarge", 192), ("metal", 192)]
OSES = [("Linux", ""), ("Windows", ":0002"), ("RHEL", ":0010"), ("SUSE", ":000g"),
        ("Red Hat Enterprise Linux with HA", ":1010"), ("Ubuntu Pro", ":0g00")]
TENANCIES = [("Shared", "BoxUsage"), ("Dedicated", "DedicatedUsage"), ("Host", "HostUsage")]
SOFTWARE = ["NA", "SQL Web", "SQL Std", "SQL Ent"]
CAPACITY = ["Used", "AllocatedCapacityReservation", "UnusedCapacityReservation"]
TERMS = [("OnDemand", "", "", "")] + [
    ("Reserved", lease, option, cls) for lease in ("1yr", "3yr") for option in ("No Upfront", "Partial Upfront",
                                                                               "All Upfront")
    for cls in ("standard", "convertible")]


def decimal_times(price, k):
    """price (decimal string) times the integer k, as a string with ten decimals: exact."""
    whole, _, frac = price.partition(".")
    frac = (frac + "0" * 10)[:10]
    v = int(whole + frac) * k
    return "%d.%010d" % (v // 10 ** 10, v % 10 ** 10)


def main():
    out, mb = sys.argv[1], int(sys.argv[2])
    target = mb * 1000 * 1000
    index = {h: i for i, h in enumerate(HEADER)}

    def fill(row, **fields):
        for k, v in fields.items():
            row[index[{"Pre_Installed_S_W": "Pre Installed S/W"}.get(k, k.replace("_", " "))]] = '"' + v + '"'

    # What a row takes from its instance type...
    types = []
    for fam, famname, cpu, clock, gib_per_vcpu, per_vcpu in FAMILIES:
        for size, vcpu in SIZES:
            itype = fam + "." + size
            row = [""] * len(HEADER)
            fill(row, Product_Family="Compute Instance", serviceCode="AmazonEC2", Location="US East (N. Virginia)",
                 Location_Type="AWS Region", Instance_Type=itype, Current_Generation="Yes",
                 Instance_Family=famname, vCPU=str(vcpu), Physical_Processor=cpu, Clock_Speed=clock,
                 Memory="%d GiB" % (vcpu * gib_per_vcpu), Storage="EBS only",
                 Network_Performance="Up to 12500 Megabit" if vcpu < 32 else "25 Gigabit",
                 Processor_Architecture="64-bit", EBS_Optimized="Yes", License_Model="No License required",
                 ClassicNetworkingSupport="false", Dedicated_EBS_Throughput="Up to 10000 Mbps",
                 Enhanced_Networking_Supported="Yes", Intel_AVX2_Available="Yes", Intel_AVX_Available="Yes",
                 Intel_Turbo_Available="Yes", MarketOption="OnDemand", Normalization_Size_Factor=str(vcpu // 2),
                 Physical_Cores=str(vcpu // 2), Processor_Features="Intel AVX; Intel AVX2; Intel AVX512; Intel Turbo",
                 Region_Code="us-east-1", serviceName="Amazon Elastic Compute Cloud", VPCNetworkingSupport="true",
                 EffectiveDate="2025-09-01", StartingRange="0", EndingRange="Inf", Unit="Hrs", Currency="USD")
            types.append((itype, vcpu, per_vcpu, row))
    # ...and from its combination of term, system, tenancy, software and capacity.
    combos = [(t, o, te, sw, cap) for t in TERMS for o in OSES for te in TENANCIES for sw in SOFTWARE
              for cap in CAPACITY]
    # The kept combination first, so that every type has its one kept row.
    combos.sort(key=lambda c: (c[0][0] != "OnDemand", c[1][0] != "Linux", c[2][0] != "Shared", c[3] != "NA",
                               c[4] != "Used"))
    i_sku, i_code, i_rate, i_desc, i_price, i_usage, i_isku = (index[k] for k in (
        "SKU", "OfferTermCode", "RateCode", "PriceDescription", "PricePerUnit", "usageType", "instanceSKU"))
    n = 0
    written = 0
    with open(out, "w", newline="") as f:
        meta = ('"FormatVersion","v1.0"\n'
                '"Disclaimer","This pricing list is for informational purposes only. All prices are subject to the '
                'additional terms included in the pricing pages on http://aws.amazon.com. All Free Tier prices are '
                'also subject to the terms included at https://aws.amazon.com/free/"\n'
                '"Publication Date","2025-09-12T22:53:08Z"\n"Version","20250912225308"\n"OfferCode","AmazonEC2"\n')
        head = meta + ",".join('"%s"' % h for h in HEADER) + "\n"
        f.write(head)
        written += len(head)
        buf = []
        for ci, (term, (os_name, opcode), (tenancy, usage), sw, cap) in enumerate(combos):
            code = "JRTCKXETXF" if term[0] == "OnDemand" else hashlib.md5(repr(term).encode()).hexdigest()[:10].upper()
            combo = [""] * len(HEADER)
            fill(combo, TermType=term[0], Tenancy=tenancy, Operating_System=os_name, operation="RunInstances" + opcode,
                 CapacityStatus=cap, Pre_Installed_S_W=sw)
            if term[0] == "Reserved":
                fill(combo, LeaseContractLength=term[1], PurchaseOption=term[2], OfferingClass=term[3])
            for itype, vcpu, per_vcpu, base in types:
                n += 1
                sku = hashlib.md5(b"%d" % n).hexdigest()[:16].upper()
                price = decimal_times(per_vcpu, vcpu * (1 + ci % 7))
                row = [a or b for a, b in zip(combo, base)]
                row[i_sku] = '"' + sku + '"'
                row[i_code] = '"' + code + '"'
                row[i_rate] = '"' + sku + "." + code + '.6YS6EN2CT7"'
                row[i_desc] = '"$%s per %s %s %s Instance Hour"' % (price.rstrip("0"), term[0], os_name, itype)
                row[i_price] = '"' + price + '"'
                row[i_usage] = '"' + usage + ":" + itype + '"'
                row[i_isku] = '"' + sku[:12] + 'INST"'
                line = ",".join(row) + "\n"
                buf.append(line)
                written += len(line)
                if len(buf) >= 4096:
                    f.write("".join(buf))
                    buf = []
                if written >= target and ci > 0:
                    break
            if written >= target and ci > 0:
                break
        f.write("".join(buf))
    print(len(types))


if __name__ == "__main__":
    main()
