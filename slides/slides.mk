# SPDX-License-Identifier: GPL-2.0
# make slides: every deck in slides/decks/ as a self-contained offline
# reveal.js page (slides/out/html/) and a beamer PDF (slides/out/pdf/), with
# figures drawn from real diotrace recordings and bench results
# (slides/tools/figures).  Included by the top-level Makefile.

# SLIDES_SRC and SLIDES_OUT may be set on the command line (the host test
# builds a deliberately bad deck that way).
SLIDES_SRC   ?= slides/decks
SLIDES_OUT   ?= slides/out
SLIDES_DECKS := $(basename $(notdir $(wildcard $(SLIDES_SRC)/*.md)))
SLIDES_HTML  := $(SLIDES_DECKS:%=$(SLIDES_OUT)/html/%.html)
SLIDES_PDF   := $(SLIDES_DECKS:%=$(SLIDES_OUT)/pdf/%.pdf)
SLIDES_FIGS  := $(SLIDES_OUT)/fig/.stamp
SLIDES_NODE  := slides/node_modules/.diolab-lock
SLIDES_CACHE := $(or $(DIOLAB_CACHE),$(or $(XDG_CACHE_HOME),$(HOME)/.cache)/diolab)/slides
# what a deck may pull code from, and what the figures are drawn from
SLIDES_SRCS  := $(wildcard module/*.c module/*.h bpf/*.c bpf/*.h bpf/steps.def bpf/bpftrace/*.bt \
		workloads/*.c bench/*.bench bench/*.sh) slides/filters/include-code.lua \
		slides/filters/ascii-tree.lua slides/style/beamer.tex slides/style/reveal.css
SLIDES_RECS  := $(wildcard tests/unit/data/*.dtr labs/*/*.dtr labs/*/*/*.dtr $(SLIDES_CACHE)/*.dtr)
SLIDES_PANDOC = DIOLAB_ROOT=$(CURDIR) pandoc --from markdown-implicit_figures-smart --slide-level=2 \
		--lua-filter=slides/filters/include-code.lua --lua-filter=slides/filters/ascii-tree.lua \
		--resource-path=$(SLIDES_OUT) --highlight-style=pygments

.PHONY: slides slides-refresh slides-clean

slides: $(SLIDES_HTML) $(SLIDES_PDF)

$(SLIDES_NODE): slides/package-lock.json scripts/node-deps
	@scripts/node-deps

$(SLIDES_FIGS): slides/figures.def slides/tools/figures slides/tools/dot-fit.awk $(BIN)/diotrace \
		$(SLIDES_RECS) $(wildcard bench/results/*.json)
	@echo "  FIGURES $(SLIDES_OUT)/fig (from $(words $(SLIDES_RECS)) recordings)"
	@slides/tools/figures $(SLIDES_OUT)/fig
	@touch $@

# pandoc 2.17: --self-contained inlines reveal.js, the CSS and every SVG, so
# the page loads nothing at view time.
$(SLIDES_OUT)/html/%.html: $(SLIDES_SRC)/%.md $(SLIDES_FIGS) $(SLIDES_NODE) $(SLIDES_SRCS)
	@mkdir -p $(@D)
	@echo "  REVEAL  $@"
	@$(SLIDES_PANDOC) --to revealjs --standalone --self-contained \
		-V revealjs-url=slides/node_modules/reveal.js -V theme=white \
		-V width=1280 -V height=720 -V margin=0.04 -V slideNumber=true -V hash=true \
		--css=slides/style/reveal.css --default-image-extension=svg -o $@ $<

# pandoc writes the .tex; pdflatex runs here, twice (beamer's navigation),
# so its log stays for the overfull-box check in tests/host/slides.t.
$(SLIDES_OUT)/pdf/%.pdf: $(SLIDES_SRC)/%.md $(SLIDES_FIGS) $(SLIDES_SRCS)
	@mkdir -p $(@D)
	@echo "  BEAMER  $@"
	@$(SLIDES_PANDOC) --to beamer --standalone -V aspectratio=169 -V fontsize=10pt \
		-V colorlinks=true -H slides/style/beamer.tex --default-image-extension=pdf \
		-o $(SLIDES_OUT)/pdf/$*.tex $<
	@cd $(SLIDES_OUT) && for pass in 1 2; do \
		pdflatex -interaction=nonstopmode -halt-on-error -output-directory=pdf pdf/$*.tex >/dev/null || \
		{ grep -A5 '^!' pdf/$*.log >&2; echo "slides: pdflatex failed on $*.tex (log: $(SLIDES_OUT)/pdf/$*.log)" >&2; exit 1; }; \
	done

# Record the traces again in the lab VM, on every lab kernel, into the
# slides cache; the next make slides draws from them.
slides-refresh: $(BIN)/diotrace $(BIN)/dioload
	@mkdir -p $(SLIDES_CACHE) $(BUILD)/slides-rec
	@set -e; for k in $(KERNELS); do \
		case $$k in 6.1.*|6.1-*) s=6.1 ;; 6.12.*) s=6.12 ;; *) s=$$k ;; esac; \
		echo "  RECORD  vfat-$$s.dtr on $$k"; \
		vm/labvm --kernel $$k --timeout 600 -- slides/tools/record-guest $(CURDIR)/$(BUILD)/slides-rec/vfat-$$s.dtr; \
		cp $(BUILD)/slides-rec/vfat-$$s.dtr $(SLIDES_CACHE)/vfat-$$s.dtr; \
	done
	@$(MAKE) --no-print-directory slides

slides-clean:
	rm -rf $(SLIDES_OUT)
