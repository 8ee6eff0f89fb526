// Searchable pickers: select2 (from Django's admin static files) on <select data-picker>, and one button per
// group ("Add all Food & beverage brands") that selects every option of that group.
(function () {
  "use strict";
  function init(select) {
    const $ = window.jQuery;
    if (!$ || !$.fn.select2) return;
    const language = select.dataset.language;
    $(select).select2({ width: "100%", language: language && $.fn.select2.amd ? language : undefined });
    // select2's type-to-search box has no label of its own: give it the field's.
    const label = select.id && document.querySelector(`label[for="${select.id}"]`);
    const search = document.body.dataset.searchLabel || "search";
    const name = `${label ? label.textContent.trim() : select.name} (${search})`;
    const nameSearch = () => {
      select.nextElementSibling?.querySelectorAll(".select2-search__field").forEach((field) => {
        field.setAttribute("aria-label", name);
      });
    };
    nameSearch();
    $(select).on("change select2:open select2:close", nameSearch);
    const groups = (select.dataset.groups || "").split("|").filter(Boolean);
    if (!groups.length) return;
    const bar = document.createElement("div");
    bar.className = "picker-groups";
    const template = document.body.dataset.addAll || "+ {group}";
    groups.forEach((entry) => {
      const [value, ...rest] = entry.split(":");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button small";
      button.textContent = template.replace("{group}", rest.join(":"));
      button.addEventListener("click", () => {
        select.querySelectorAll(`option[data-group="${value}"]`).forEach((option) => { option.selected = true; });
        $(select).trigger("change");
      });
      bar.appendChild(button);
    });
    select.parentElement.appendChild(bar);
  }
  document.addEventListener("DOMContentLoaded", () => document.querySelectorAll("select[data-picker]").forEach(init));
})();
