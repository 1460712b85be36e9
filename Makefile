# hpcc — a compiler from HPC cluster specs to AWS ParallelCluster artifacts.
#
#   make            build ./hpcc
#   make demo       install what is missing, build, run hpcc on examples/bb5-poc.hpc
#   make check      install what is missing, build with -Werror, run every test
#   make asan       the same test suite under AddressSanitizer + UBSan
#   make bench      benchmarks (medians, peak RSS); never part of check
#   make fuzz       run the front-end fuzzer (clang, libFuzzer) for FUZZ_SECONDS
#   make golden-update   regenerate the golden files from the current compiler
#   make install PREFIX=/usr/local
#
# Dependencies come from Debian packages found through pkg-config; `make deps`
# (run by demo and check) installs the missing ones (tools/deps.sh).

PREFIX ?= /usr/local
CC ?= cc
BUILD ?= build
OPT ?= -O2 -g
WERROR ?=
SAN ?=

PKGS := jansson libpcre2-8 yaml-0.1
WARN := -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wformat=2
CPPFLAGS += -D_POSIX_C_SOURCE=200809L -Icompiler -Ibackends -I$(BUILD)
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS_ALL = $(WARN) $(WERROR) $(OPT) $(SAN) $(PKG_CFLAGS) $(CFLAGS)
LDFLAGS_ALL = $(SAN) $(LDFLAGS)

COMPILER_SRCS := $(sort $(wildcard compiler/*.c) $(wildcard backends/*.c))
LIB_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(filter-out compiler/main.c,$(COMPILER_SRCS))) $(BUILD)/stdlib_data.o $(BUILD)/data_tables.o
# hpcc-prices (`hpcc prices update`) is a program of its own: it alone links
# libcurl (and libcrypto, for SHA-256), which hpcc must not load at start-up.
PRICES_PKGS := libcurl libcrypto
PRICES_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(sort $(wildcard prices/*.c)))
PRICES_CFLAGS := $(shell pkg-config --cflags $(PRICES_PKGS) 2>/dev/null)
PRICES_LIBS := $(shell pkg-config --libs $(PRICES_PKGS) 2>/dev/null)
STDLIB_FILES := $(shell cd stdlib && find . \( -name '*.hpc' -o -name '*.json' \) | LC_ALL=C sort | sed 's|^\./||')

.PHONY: all deps demo check check-nodeps asan bench fuzz golden-update install clean unit golden errors hostile stdlib-check hpcc hpcc-prices

all: hpcc hpcc-prices

hpcc: $(BUILD)/hpcc
	@if [ "$(BUILD)" = build ]; then cp $(BUILD)/hpcc hpcc.tmp && mv -f hpcc.tmp hpcc; fi

hpcc-prices: $(BUILD)/hpcc-prices
	@if [ "$(BUILD)" = build ]; then cp $(BUILD)/hpcc-prices hpcc-prices.tmp && mv -f hpcc-prices.tmp hpcc-prices; fi

$(BUILD)/hpcc: $(BUILD)/compiler/main.o $(BUILD)/libhpcc.a
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(PKG_LIBS)

$(BUILD)/hpcc-prices: $(PRICES_OBJS) $(BUILD)/libhpcc.a
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(PKG_LIBS) $(PRICES_LIBS)

$(PRICES_OBJS): CPPFLAGS += $(PRICES_CFLAGS)

$(BUILD)/libhpcc.a: $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

# Objects depend on the flags they were built with: changing WERROR, OPT or SAN rebuilds.
FLAGS_STAMP := $(BUILD)/flags.$(shell echo '$(CC) $(CPPFLAGS) $(CFLAGS_ALL)' | cksum | cut -d' ' -f1)
$(FLAGS_STAMP):
	@mkdir -p $(BUILD)
	@rm -f $(BUILD)/flags.*
	@touch $@

$(BUILD)/%.o: %.c $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

# The stdlib is compiled into the binary.
$(BUILD)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -O1 -o $@ $<

$(BUILD)/stdlib_data.c: $(BUILD)/tools/embed $(addprefix stdlib/,$(STDLIB_FILES))
	$(BUILD)/tools/embed stdlib $@ $(STDLIB_FILES)

$(BUILD)/stdlib_data.o: $(BUILD)/stdlib_data.c $(FLAGS_STAMP)
	$(CC) $(CPPFLAGS) $(CFLAGS_ALL) -c $< -o $@

# ... and its data files as C tables (no JSON parsing at start-up).
$(BUILD)/tools/gen-tables: tools/gen-tables.c compiler/sha256.c compiler/sha256.h
	@mkdir -p $(dir $@)
	$(CC) -O1 -Icompiler $(PKG_CFLAGS) -o $@ tools/gen-tables.c compiler/sha256.c $(PKG_LIBS)

$(BUILD)/data_tables.c: $(BUILD)/tools/gen-tables $(wildcard stdlib/data/*.json)
	$(BUILD)/tools/gen-tables stdlib $@

$(BUILD)/data_tables.o: $(BUILD)/data_tables.c compiler/catalog.h $(FLAGS_STAMP)
	$(CC) $(CPPFLAGS) $(CFLAGS_ALL) -c $< -o $@

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# ---- set-up ---------------------------------------------------------------

deps:
	@bash tools/deps.sh

demo: deps
	@$(MAKE) --no-print-directory hpcc
	@bash tools/demo.sh ./hpcc

# ---- tests ------------------------------------------------------------------

UNIT_SRCS := $(sort $(wildcard tests/unit/*.c))

# hpcc-prices' parts that need neither libcurl nor OpenSSL are unit-tested too.
PRICES_UNIT_OBJS := $(addprefix $(BUILD)/prices/,csv.o decimal.o url.o progress.o)

$(BUILD)/unit-tests: $(patsubst %.c,$(BUILD)/%.o,$(UNIT_SRCS)) $(PRICES_UNIT_OBJS) $(BUILD)/libhpcc.a
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(PKG_LIBS) -lcriterion

$(BUILD)/tests/unit/test_prices.o: CPPFLAGS += -Iprices

check: deps
	@$(MAKE) --no-print-directory check-nodeps WERROR=-Werror

check-nodeps: $(BUILD)/hpcc $(BUILD)/hpcc-prices $(BUILD)/unit-tests
	@if [ "$(BUILD)" = build ]; then cp $(BUILD)/hpcc hpcc.tmp && mv -f hpcc.tmp hpcc; fi
	@if [ "$(BUILD)" = build ]; then cp $(BUILD)/hpcc-prices hpcc-prices.tmp && mv -f hpcc-prices.tmp hpcc-prices; fi
	@echo "== unit tests"
	@$(BUILD)/unit-tests --jobs 2
	@echo "== golden tests"
	@bash tests/run-golden.sh $(BUILD)/hpcc
	@echo "== error corpus"
	@bash tests/run-errors.sh $(BUILD)/hpcc
	@echo "== compile: fidelity and the output directory"
	@bash tests/run-compile.sh $(BUILD)/hpcc
	@echo "== real tools: AWSTOE rules, shellcheck, slurmctld, YAML and Slurm round trips"
	@bash tests/run-tools.sh $(BUILD)/hpcc
	@echo "== deploy.sh with fake aws and pcluster; the stacks' ClusterConfiguration"
	@bash tests/run-deploy.sh $(BUILD)/hpcc
	@echo "== prices update: downloads from a local server, CSV, filters, failures, atomic snapshot"
	@bash tests/run-prices.sh $(BUILD)
	@echo "== cost: instance choices, storage sizing, the report"
	@bash tests/run-cost.sh $(BUILD)/hpcc
	@echo "== optimality: instance selection and FSx sizing against brute force"
	@bash tests/run-optimality.sh $(BUILD)/hpcc
	@echo "== hostile input"
	@bash tests/run-hostile.sh $(BUILD)/hpcc
	@echo "== examples and stdlib modules"
	@bash tests/run-stdlib.sh $(BUILD)/hpcc
	@echo "== all tests passed"

asan: deps
	@$(MAKE) --no-print-directory check-nodeps BUILD=build/asan WERROR=-Werror OPT="-O1 -g" \
		SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"

golden-update: $(BUILD)/hpcc
	@bash tests/run-golden.sh $(BUILD)/hpcc --update

# ---- benchmarks and fuzzing ---------------------------------------------------

bench: deps
	@$(MAKE) --no-print-directory $(BUILD)/hpcc $(BUILD)/tools/bench
	@bash bench/run.sh $(BUILD)/hpcc $(BUILD)/tools/bench
	@$(MAKE) --no-print-directory $(BUILD)/hpcc-prices
	@bash bench/prices.sh $(BUILD)/hpcc-prices

$(BUILD)/tools/bench: tools/bench.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) -O2 -D_GNU_SOURCE -o $@ $<

# Undefined behaviour stops the fuzzer (and is saved as a reproducer under
# build/fuzz/); FUZZ_FLAGS passes more, e.g. "-fork=1 -ignore_crashes=1".
FUZZ_SECONDS ?= 60
FUZZ_FLAGS ?=
fuzz: deps
	@$(MAKE) --no-print-directory BUILD=build/fuzz CC=clang OPT="-O1 -g" \
		SAN="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all" build/fuzz/libhpcc.a
	clang -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Icompiler -Ibackends -Ibuild/fuzz $(PKG_CFLAGS) \
		-o build/fuzz/fuzz_frontend tests/fuzz/fuzz_frontend.c build/fuzz/libhpcc.a $(PKG_LIBS)
	@mkdir -p build/fuzz/corpus
	@cp examples/*.hpc tests/errors/*.hpc build/fuzz/corpus/ 2>/dev/null || true
	build/fuzz/fuzz_frontend -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 \
		-artifact_prefix=build/fuzz/ -dict=tests/fuzz/hpc.dict $(FUZZ_FLAGS) build/fuzz/corpus

# ---- install --------------------------------------------------------------------

install: $(BUILD)/hpcc $(BUILD)/hpcc-prices
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BUILD)/hpcc $(DESTDIR)$(PREFIX)/bin/hpcc
	install -m 755 $(BUILD)/hpcc-prices $(DESTDIR)$(PREFIX)/bin/hpcc-prices

clean:
	rm -rf build hpcc hpcc-prices out
