// Relance: the segment rule builder adds and removes rule rows and groups from the page's
// <template> elements (a file, not an inline script, for the Content-Security-Policy).
(function () {
  "use strict";
  const groups = document.getElementById("rule-groups");
  let next = groups.querySelectorAll(".rule-group").length;
  function fromTemplate(id, group) {
    const html = document.getElementById(id).innerHTML.replaceAll("__G__", group);
    const holder = document.createElement("div");
    holder.innerHTML = html.trim();
    return holder.firstElementChild;
  }
  function changed() { document.body.dispatchEvent(new Event("rules-changed")); }
  function addRow(group) {
    group.querySelector(".rule-rows").appendChild(fromTemplate("rule-row-template", group.dataset.group));
  }
  document.getElementById("group-add")?.addEventListener("click", () => {
    const group = fromTemplate("rule-group-template", String(next++));
    groups.appendChild(group);
    addRow(group);
  });
  groups.addEventListener("click", (event) => {
    if (event.target.closest(".rule-add")) {
      addRow(event.target.closest(".rule-group"));
    } else if (event.target.closest(".rule-remove")) {
      event.target.closest(".rule-row").remove();
      changed();
    }
  });
  groups.querySelectorAll(".rule-group").forEach((group) => {
    if (!group.querySelector(".rule-row")) addRow(group);
  });
})();
