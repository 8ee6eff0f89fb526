// helloITA Brand Hub: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  // Tabs: [data-tabs] with role=tab buttons and role=tabpanel panels. The first tab holding an
  // error opens first, so a failed save shows what to fix.
  function initTabs(root) {
    const tabs = Array.from(root.querySelectorAll(":scope > [role=tablist] > [role=tab]"));
    const panels = tabs.map((tab) => document.getElementById(tab.getAttribute("aria-controls")));
    function select(index) {
      tabs.forEach((tab, i) => {
        const on = i === index;
        tab.setAttribute("aria-selected", on ? "true" : "false");
        tab.tabIndex = on ? 0 : -1;
        panels[i].hidden = !on;
      });
    }
    tabs.forEach((tab, i) => {
      tab.addEventListener("click", () => select(i));
      tab.addEventListener("keydown", (event) => {
        const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
        if (step) {
          const next = (i + step + tabs.length) % tabs.length;
          select(next);
          tabs[next].focus();
        }
      });
    });
    // Otherwise the tab in the page's own language opens first (a Chinese page opens on 中文).
    const pageLanguage = document.documentElement.lang.slice(0, 2).toLowerCase();
    const languageOf = (panel) => (panel.lang || (panel.querySelector("[lang]") || {}).lang || "").slice(0, 2).toLowerCase();
    const withError = panels.findIndex((panel) => panel.querySelector(".has-error, .error"));
    const inPageLanguage = panels.findIndex((panel) => languageOf(panel) === pageLanguage);
    select(withError >= 0 ? withError : Math.max(inPageLanguage, 0));
  }

  // Formsets: "Add a row" clones the <template> holding Django's empty form.
  function initFormset(fieldset) {
    const total = fieldset.querySelector("input[name$='-TOTAL_FORMS']");
    const template = fieldset.querySelector("template");
    const rows = fieldset.querySelector(".formset-rows");
    fieldset.querySelector("[data-add-row]").addEventListener("click", () => {
      const index = parseInt(total.value, 10);
      const html = template.innerHTML.replace(/__prefix__/g, String(index));
      rows.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      const first = rows.lastElementChild.querySelector("input, select, textarea");
      if (first) first.focus();
    });
  }

  // Fields with a limit: a counter under the field, and nothing cut silently. The browser's maxlength would
  // drop the end of a pasted text without a word; instead the whole text stays, the counter turns red and
  // the server refuses the form with its message.
  function initCounter(field) {
    const max = Number(field.getAttribute("maxlength"));
    if (!max || field.type === "hidden" || field.type === "password") return;
    const template = document.body.dataset.counter || "{n} / {max}";
    field.removeAttribute("maxlength");
    field.dataset.maxlength = String(max);
    const counter = document.createElement("small");
    counter.className = "counter";
    counter.id = `${field.id || field.name}-counter`;
    field.setAttribute("aria-describedby", [field.getAttribute("aria-describedby"), counter.id].filter(Boolean).join(" "));
    field.insertAdjacentElement("afterend", counter);
    const update = () => {
      const n = [...field.value].length;
      counter.textContent = template.replace("{n}", n).replace("{max}", max);
      const over = n > max;
      counter.classList.toggle("over", over);
      counter.setAttribute("aria-live", over ? "assertive" : "off");
      if (over) field.setAttribute("aria-invalid", "true");
      else if (!field.closest(".has-error")) field.removeAttribute("aria-invalid");
    };
    field.addEventListener("input", update);
    update();
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("input[maxlength], textarea[maxlength]").forEach(initCounter);
    document.querySelectorAll("[data-tabs]").forEach(initTabs);
    document.querySelectorAll("[data-formset]").forEach(initFormset);

    document.querySelectorAll("form[data-confirm]").forEach((form) => {
      form.addEventListener("submit", (event) => {
        if (!window.confirm(form.dataset.confirm)) event.preventDefault();
      });
    });
  });
})();
