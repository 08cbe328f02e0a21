// Relance: keyboard shortcuts on list pages.
//   "/"  focuses the search field
//   j/k  move the highlighted row down/up
//   Enter opens the highlighted row (its data-href)
(function () {
  "use strict";
  let active = -1;

  function rows() {
    return Array.from(document.querySelectorAll(".list-table tbody tr[data-href]"));
  }

  function typing(target) {
    return target.closest("input, textarea, select, [contenteditable=true]") !== null;
  }

  function highlight(index) {
    const all = rows();
    if (!all.length) return;
    active = Math.max(0, Math.min(index, all.length - 1));
    all.forEach((row, i) => row.classList.toggle("row-active", i === active));
    all[active].scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) {
      if (event.key === "Escape") event.target.blur();
      // Enter in a customer chooser's search (Unassigned emails) searches; it does not
      // submit the form before a customer is chosen.
      if (event.key === "Enter" && event.target.matches(".assign-form input[type=search], .allocate-form input[type=search]")) {
        event.preventDefault();
      }
      return;
    }
    const search = document.querySelector(".list-filters input[type=search]");
    if (event.key === "/" && search) {
      event.preventDefault();
      search.focus();
      search.select();
    } else if (event.key === "j") {
      highlight(active + 1);
    } else if (event.key === "k") {
      highlight(active - 1);
    } else if (event.key === "Enter" && active >= 0) {
      const row = rows()[active];
      if (row) window.location.href = row.dataset.href;
    }
  });

  // A click anywhere on a row opens it, except on its own links, buttons and forms (the
  // Unassigned emails' "Attach…" folds out a form in the row).
  document.addEventListener("click", (event) => {
    const row = event.target.closest(".list-table tbody tr[data-href]");
    if (!row || event.target.closest("a, button, input, select, label, summary, form")) return;
    window.location.href = row.dataset.href;
  });

  // New rows after an htmx swap (filter, sort, page): start again from the top.
  document.addEventListener("htmx:afterSwap", () => { active = -1; });
})();

// The scenario page's side panel: once a step is loaded into it, bring it into view and put
// the cursor in its first field.
document.addEventListener("htmx:afterSettle", (event) => {
  const panel = event.detail.target;
  if (!panel || panel.id !== "step-panel" || !panel.firstElementChild) return;
  panel.scrollIntoView({ block: "nearest" });
  const current = panel.querySelector("[data-step-row]")?.dataset.stepRow;
  document.querySelectorAll(".step-table tbody tr").forEach((row) => {
    row.classList.toggle("step-current", row.id === current);
  });
  const field = panel.querySelector("input:not([type=hidden]), select, textarea");
  if (field) field.focus({ preventScroll: true });
});

// Forms that ask before they go (data-confirm="Delete this segment?"): the question is in
// the page, never in an onsubmit attribute, which the Content-Security-Policy refuses.
document.addEventListener("submit", (event) => {
  const question = event.target.dataset?.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);

// A "select all" box checks every `actions` box of its form (the agenda's bulk operations).
document.addEventListener("change", (event) => {
  if (!event.target.classList.contains("select-all")) return;
  const form = event.target.closest("form");
  if (!form) return;
  form.querySelectorAll("input[name=actions]").forEach((box) => { box.checked = event.target.checked; });
});

// The SMS length counters post the text of the field their data-sms-text-from names (htmx's
// js: values would need eval, which is off).
document.addEventListener("htmx:configRequest", (event) => {
  const source = event.detail.elt.dataset?.smsTextFrom;
  if (!source) return;
  const field = document.getElementById(source);
  event.detail.parameters.text = field ? field.value : "";
});

// Long lists of people (a step's responsibles and copies): searchable multi-selects
// (tom-select), on the page and in what htmx brings in.
function searchableSelects(root) {
  if (typeof TomSelect === "undefined") return;
  root.querySelectorAll("select[data-searchable]").forEach((select) => {
    if (select.tomselect) return;
    new TomSelect(select, { plugins: ["remove_button"], maxOptions: null, hidePlaceholder: true });
  });
}
document.addEventListener("DOMContentLoaded", () => searchableSelects(document));
document.addEventListener("htmx:load", (event) => searchableSelects(event.detail.elt));

// A step's template list shows the templates of the step's channel only: each option names
// its channel (data-channel), the channel field says which one each step channel takes.
function templatesOfChannel(form) {
  const channel = form.querySelector("select[name=channel]");
  const template = form.querySelector("select[name=template]");
  if (!channel || !template || !channel.dataset.templateChannels) return;
  const wanted = JSON.parse(channel.dataset.templateChannels)[channel.value];
  Array.from(template.options).forEach((option) => {
    const fits = !option.value || option.dataset.channel === wanted;
    option.hidden = !fits;
    option.disabled = !fits;
    if (!fits && option.selected) template.value = "";
  });
}
document.addEventListener("change", (event) => {
  if (event.target.matches("select[name=channel][data-template-channels]")) {
    templatesOfChannel(event.target.form);
  }
});
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".step-form").forEach(templatesOfChannel);
});
document.addEventListener("htmx:load", (event) => {
  event.detail.elt.querySelectorAll?.(".step-form").forEach(templatesOfChannel);
  if (event.detail.elt.matches?.(".step-form")) templatesOfChannel(event.detail.elt);
});

// Tracking numbers typed or scanned one after the other: a barcode scanner types the number
// and presses Enter, which moves to the next letter's field instead of sending the form
// (from the last field, to the button that sends it).
document.addEventListener("keydown", (event) => {
  const field = event.target;
  if (event.key !== "Enter" || !field.matches || !field.matches("input[data-scan-next]")) return;
  event.preventDefault();
  const fields = [...field.form.querySelectorAll("input[data-scan-next]")];
  const next = fields[fields.indexOf(field) + 1] || field.form.querySelector("[type=submit]");
  if (next) next.focus();
});

// The bank reconciliation screen: once a line's card is swapped after an allocation, the
// keyboard goes on from the next line still to reconcile (its first button), else from the
// account of what was allocated; a refused allocation brings the reason into focus.
document.addEventListener("htmx:load", (event) => {
  const card = event.detail.elt;
  if (!card.matches?.(".bank-line-done, .bank-line")) return;
  const error = card.querySelector(".allocation-error");
  if (card.matches(".bank-line") && !error) return;
  let next = error;
  if (!next) {
    let sibling = card.nextElementSibling;
    while (sibling && !sibling.matches(".bank-line")) sibling = sibling.nextElementSibling;
    next = sibling?.querySelector("button, summary") || card;
  }
  next.focus();
});
