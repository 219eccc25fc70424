// Enhances the budget simulator question. Without JavaScript residents choose a change for each
// service from a select (or type one) and press "Update totals" to have the server add them up;
// with it each becomes a slider, the totals follow every move, and this script keeps the original
// fields (hidden) up to date, so the form posts exactly what it would without JavaScript.
//
// An update touches only the moved lever's elements and the totals, so it stays fast with fifty
// service lines (see bench/bench_simulator_widget.py).

import {
  calculate,
  consequenceAt,
  describeLineChoice,
  describeRevenueChoice,
  formatPercent,
  levels,
  totalsText,
} from "./calculation.js";

// Screen readers hear the totals once a resident pauses, not after every step of a slider.
const ANNOUNCE_AFTER_MS = 800;

// The value the form posts for a choice, as blocks.percent_value: -1000 -> "-10", 299 -> "2.99".
function percentValue(bp) {
  return (bp < 0 ? "-" : "") + formatPercent(bp).slice(0, -1);
}

function signedPercent(bp) {
  return (bp < 0 ? "\u2212" : bp > 0 ? "+" : "") + formatPercent(bp);
}

function basisPoints(text) {
  const percent = Number(String(text).replace("\u2212", "-").replace(/[%+]/g, "").trim());
  return Number.isFinite(percent) ? Math.round(percent * 100) : 0;
}

// Changes an element's text in its existing text node: adding or removing nodes would make the
// browser recheck every :has() rule on the page, which costs more than the rest of an update.
function setText(target, text) {
  const node = target.firstChild;
  if (node && node === target.lastChild && node.nodeType === Node.TEXT_NODE) {
    if (node.data !== text) node.data = text;
  } else {
    target.textContent = text;
  }
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}

function button(className, text, hiddenText) {
  const node = element("button", className, text);
  node.type = "button";
  if (hiddenText) node.append(element("span", "govuk-visually-hidden", hiddenText));
  return node;
}

function enhance(root) {
  const spec = JSON.parse(document.getElementById(root.dataset.specId).textContent);
  const symbol = spec.symbol;
  const choices = {}; // lever id -> basis points; the server reads lines and revenue from one map
  const controls = [];
  const totals = Array.from(root.querySelectorAll("[data-simulator-totals]"));
  const wrappers = new Map(
    Array.from(root.querySelectorAll("[data-lever-id]"), (wrapper) => [
      wrapper.dataset.leverId,
      wrapper,
    ]),
  );

  const status = element("div", "govuk-visually-hidden");
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  root.append(status);
  let announceTimer = null;
  let shownTotals = null;

  // Says, once the resident pauses: `prefix`, the moved lever's consequence if it changed since
  // it was last heard, and the totals as they are by then.
  function announce(prefix, control = null, delay = ANNOUNCE_AFTER_MS) {
    clearTimeout(announceTimer);
    announceTimer = setTimeout(() => {
      const parts = [prefix];
      if (control && control.consequenceText !== control.heardConsequence) {
        control.heardConsequence = control.consequenceText;
        parts.push(control.consequenceText);
      }
      parts.push(shownTotals);
      status.textContent = parts
        .filter(Boolean)
        .map((part) => part.replace(/\.$/, ""))
        .join(". ")
        .concat(".");
    }, delay);
  }

  function refreshTotals() {
    const outcome = calculate(spec, choices, choices);
    const text = totalsText(spec, outcome);
    if (text !== shownTotals) {
      for (const paragraph of totals) setText(paragraph, text);
      shownTotals = text;
      root.classList.toggle("portal-simulator--target-met", outcome.targetMet);
    }
    return text;
  }

  function enhanceLever(lever) {
    const wrapper = wrappers.get(lever.id);
    const field = wrapper && wrapper.querySelector("select, input");
    if (!field) return null;
    const allowed = levels(lever, spec.allowIncreases);
    const lowest = allowed[0];
    const highest = allowed[allowed.length - 1];
    const describe = lever.isRevenue ? describeRevenueChoice : describeLineChoice;
    const snap = (bp) => {
      const steps = Math.round((bp - lowest) / lever.stepBp);
      return Math.min(Math.max(lowest + steps * lever.stepBp, lowest), highest);
    };
    const id = field.id;

    const range = element("input", "portal-simulator__range");
    range.type = "range";
    range.min = percentValue(lowest);
    range.max = percentValue(highest);
    range.step = percentValue(lever.stepBp);
    const describedBy = (field.getAttribute("aria-describedby") || "")
      .split(/\s+/)
      .filter((part) => part && part !== `${id}-range`);
    range.setAttribute("aria-describedby", describedBy.join(" "));
    if (wrapper.classList.contains("govuk-form-group--error")) {
      range.classList.add("portal-simulator__range--error");
    }
    // The label now names the slider; the original field stays in the form, hidden, and posts.
    field.id = `${id}-field`;
    range.id = id;
    field.hidden = true;
    const numberBox = field.closest(".govuk-input__wrapper");
    if (numberBox) numberBox.hidden = true;
    const rangeText = wrapper.querySelector(`[id="${id}-range"]`);
    if (rangeText) rangeText.hidden = true;

    const stepText = ` ${lever.name} by ${formatPercent(lever.stepBp)}`;
    const less = button("portal-simulator__step", "", `Decrease${stepText}`);
    const more = button("portal-simulator__step", "", `Increase${stepText}`);
    less.prepend(element("span", "portal-simulator__step-sign", "\u2212"));
    more.prepend(element("span", "portal-simulator__step-sign", "+"));
    for (const sign of [less.firstChild, more.firstChild]) sign.setAttribute("aria-hidden", "true");
    // Pointer helpers (a single tap instead of dragging); keyboards move the slider itself.
    less.tabIndex = -1;
    more.tabIndex = -1;
    const row = element("div", "portal-simulator__control");
    row.append(less, range, more);

    // The slider's limits; the choice itself shows, in words, in the effect paragraph below.
    const scale = element("div", "portal-simulator__scale");
    scale.setAttribute("aria-hidden", "true");
    scale.append(
      element("span", "", signedPercent(lowest)),
      element("span", "", signedPercent(highest)),
    );

    const effect = wrapper.querySelector(`[id="${id}-effect"]`);
    // The slider snaps a value the budget does not offer onto the nearest choice.
    effect.querySelector("[data-not-counted]")?.remove();
    effect.before(row, scale);
    const reset = button("portal-simulator__reset", "Reset", ` ${lever.name}`);
    effect.after(reset);

    const control = {
      lever,
      bp: null,
      field,
      range,
      choice: effect.querySelector("[data-choice]"),
      consequence: effect.querySelector("[data-consequence]"),
      consequenceText: "",
      snap,
    };

    // Show `bp` in this lever's own elements, and nowhere else.
    control.show = (bp) => {
      control.bp = bp;
      choices[lever.id] = bp;
      const posted = percentValue(bp);
      field.value = posted;
      if (basisPoints(range.value) !== bp) range.value = posted;
      const text = describe(lever, bp, symbol);
      range.setAttribute("aria-valuetext", text);
      setText(control.choice, text);
      if (!control.consequence) return;
      const consequence = consequenceAt(lever, bp);
      if (consequence === control.consequenceText) return;
      control.consequenceText = consequence;
      setText(control.consequence, consequence ? `. ${consequence}` : "");
    };

    control.choose = (bp, prefix = "") => {
      const snapped = snap(bp);
      const moved = snapped !== control.bp;
      if (moved) {
        control.show(snapped);
        refreshTotals();
      } else if (basisPoints(range.value) !== snapped) {
        range.value = percentValue(snapped);
      }
      if (moved || prefix) announce(prefix, control);
    };

    range.addEventListener("input", () => control.choose(basisPoints(range.value)));
    less.addEventListener("click", () => control.choose(control.bp - lever.stepBp));
    more.addEventListener("click", () => control.choose(control.bp + lever.stepBp));
    reset.addEventListener("click", () =>
      control.choose(0, `${lever.name}: ${describe(lever, snap(0), symbol)}`),
    );

    control.show(snap(basisPoints(field.value)));
    control.heardConsequence = control.consequenceText;
    return control;
  }

  for (const lever of [...spec.lines, ...spec.revenue]) {
    const control = enhanceLever(lever);
    if (control) controls.push(control);
  }

  const resetAll = button("govuk-button govuk-button--secondary", "Reset all");
  resetAll.addEventListener("click", () => {
    for (const control of controls) {
      control.show(control.snap(0));
      control.heardConsequence = control.consequenceText;
    }
    refreshTotals();
    announce("All choices reset", null, 0);
  });
  const group = element("div", "govuk-button-group portal-simulator__actions");
  group.append(resetAll);

  for (const noScript of root.querySelectorAll("[data-simulator-no-js]")) {
    noScript.hidden = true;
    // Enter in a field must not submit the hidden "Update totals" button.
    for (const control of noScript.querySelectorAll("button")) control.disabled = true;
    noScript.after(group);
  }
  for (const hint of root.querySelectorAll("[data-simulator-no-js-hint]")) hint.hidden = true;
  if (!group.isConnected) root.append(group);

  refreshTotals();
  root.classList.add("portal-simulator--enhanced");
  // Scroll padding keeps focused controls clear of the totals at the foot of the screen.
  document.documentElement.classList.add("portal-simulator-page");
}

document.querySelectorAll("[data-module='portal-simulator']").forEach(enhance);
