// Enhances the ranking question. Without JavaScript residents choose a number for each item;
// with it they reorder a list with "Move up" / "Move down" buttons (or drag with a pointer),
// and this script keeps the same number selects up to date, so the form posts the same fields.

function enhance(list) {
  const places = Number(list.dataset.places);
  const rankAll = list.dataset.rankAll === "true";
  const items = Array.from(list.querySelectorAll(".portal-ranking__item"));
  const selectOf = (item) => item.querySelector("select");
  const labelOf = (item) => item.dataset.itemLabel;

  // Start from the numbers already chosen (a resumed or corrected answer).
  const ranked = items
    .filter((item) => selectOf(item).value !== "")
    .sort((a, b) => Number(selectOf(a).value) - Number(selectOf(b).value));
  const unranked = items.filter((item) => selectOf(item).value === "");
  let touched = ranked.length > 0;
  [...ranked, ...unranked].forEach((item) => list.appendChild(item));

  const status = document.createElement("div");
  status.className = "govuk-visually-hidden";
  status.setAttribute("aria-live", "polite");
  status.setAttribute("role", "status");
  list.after(status);

  const instructions = list.closest("fieldset").querySelector("[data-ranking-instructions]");
  if (instructions) {
    instructions.textContent = rankAll
      ? "Put these in order, most important first. Use the Move up and Move down buttons, or drag an item."
      : `Put your top ${places} at the top of the list, most important first. Use the Move up and Move down buttons, or drag an item.`;
  }

  const keep = document.createElement("button");
  keep.type = "button";
  keep.className = "govuk-button govuk-button--secondary portal-ranking__keep";
  keep.textContent = "Keep this order";
  keep.addEventListener("click", () => {
    touched = true;
    refresh();
    status.textContent = "Order saved. " + describeOrder();
  });
  status.after(keep);

  function currentItems() {
    return Array.from(list.querySelectorAll(".portal-ranking__item"));
  }

  function positionText(index) {
    return index < places ? `${index + 1}` : "Not ranked";
  }

  function describeOrder() {
    return currentItems()
      .slice(0, places)
      .map((item, index) => `${index + 1}: ${labelOf(item)}`)
      .join(", ");
  }

  function refresh() {
    const all = currentItems();
    all.forEach((item, index) => {
      const badge = item.querySelector(".portal-ranking__position");
      badge.textContent = touched ? positionText(index) : "";
      badge.hidden = !touched;
      selectOf(item).value = touched && index < places ? String(index + 1) : "";
      item.querySelector("[data-move='up']").disabled = index === 0;
      item.querySelector("[data-move='down']").disabled = index === all.length - 1;
      item.classList.toggle("portal-ranking__item--unranked", touched && index >= places);
    });
  }

  function move(item, direction, focusButton) {
    const all = currentItems();
    const index = all.indexOf(item);
    const target = index + direction;
    if (target < 0 || target >= all.length) return;
    if (direction < 0) list.insertBefore(item, all[target]);
    else list.insertBefore(all[target], item);
    touched = true;
    refresh();
    const newIndex = currentItems().indexOf(item);
    status.textContent = `${labelOf(item)}, position ${newIndex + 1} of ${all.length}`;
    const button = item.querySelector(`[data-move='${focusButton}']`);
    (button.disabled ? item.querySelector("button:not([disabled])") : button).focus();
  }

  items.forEach((item) => {
    const field = item.querySelector(".portal-ranking__field");
    field.hidden = true;
    const row = document.createElement("div");
    row.className = "portal-ranking__row";
    const badge = document.createElement("span");
    badge.className = "portal-ranking__position";
    const name = document.createElement("span");
    name.className = "portal-ranking__label govuk-body govuk-!-font-weight-bold";
    name.textContent = labelOf(item);
    const buttons = document.createElement("span");
    buttons.className = "portal-ranking__buttons";
    for (const [direction, text] of [["up", "Move up"], ["down", "Move down"]]) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "govuk-button govuk-button--secondary portal-ranking__move";
      button.dataset.move = direction;
      // Labels are editors' text: always inserted as text, never parsed as HTML.
      const hidden = document.createElement("span");
      hidden.className = "govuk-visually-hidden";
      hidden.textContent = `: ${labelOf(item)}`;
      button.append(text, hidden);
      button.addEventListener("click", () => move(item, direction === "up" ? -1 : 1, direction));
      buttons.appendChild(button);
    }
    row.append(badge, name, buttons);
    item.prepend(row);

    // Drag and drop for pointer users; the buttons above are the single-pointer alternative.
    item.draggable = true;
    item.addEventListener("dragstart", (event) => {
      item.classList.add("portal-ranking__item--dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", labelOf(item));
    });
    item.addEventListener("dragend", () => {
      item.classList.remove("portal-ranking__item--dragging");
      touched = true;
      refresh();
      const all = currentItems();
      status.textContent = `${labelOf(item)}, position ${all.indexOf(item) + 1} of ${all.length}`;
    });
  });

  list.addEventListener("dragover", (event) => {
    const dragging = list.querySelector(".portal-ranking__item--dragging");
    if (!dragging) return;
    event.preventDefault();
    const after = currentItems().find((item) => {
      if (item === dragging) return false;
      const box = item.getBoundingClientRect();
      return event.clientY < box.top + box.height / 2;
    });
    if (after) list.insertBefore(dragging, after);
    else list.appendChild(dragging);
  });

  list.classList.add("portal-ranking--enhanced");
  refresh();
}

document.querySelectorAll("[data-module='portal-ranking']").forEach(enhance);
