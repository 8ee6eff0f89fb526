// Results' file import: the progress page follows its run. It polls the status URL (JSON) about once a second,
// moves the <progress> bar and its text, and reloads the page when the run reaches a state with more to show
// (the review of bad rows, the counts, a failure). Without this file the page has a "Refresh" link.
(function () {
  "use strict";
  const RUNNING = ["queued", "checking", "importing"];

  function follow(box) {
    const url = box.dataset.importStatus;
    const bar = box.querySelector("progress");
    const text = box.querySelector("[data-text]");
    const pass = box.querySelector("[data-pass]");
    const hint = box.querySelector("[data-reload-hint]");
    let status = box.dataset.status;
    let delay = 1000;
    if (!RUNNING.includes(status)) return;
    if (hint) hint.querySelector("[data-reload]")?.remove();

    function show(state) {
      if (bar) {
        if (state.percent === null || state.percent === undefined) {
          bar.removeAttribute("value");
          bar.textContent = "";
        } else {
          bar.value = state.percent;
          bar.textContent = `${state.percent}%`;
        }
      }
      if (text) text.textContent = state.text;
      if (pass && state.pass) pass.textContent = state.pass;
    }

    function poll() {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
        .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
        .then((state) => {
          delay = 1000;
          show(state);
          if (state.status !== status) {
            status = state.status;
            if (!RUNNING.includes(status) || !pass !== !state.pass) {
              window.location.reload();
              return;
            }
          }
          window.setTimeout(poll, delay);
        })
        .catch(() => {
          // A busy server or a dropped connection: try again, less often.
          delay = Math.min(delay * 2, 10000);
          window.setTimeout(poll, delay);
        });
    }
    window.setTimeout(poll, delay);
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-import-status]").forEach(follow);
  });
})();
