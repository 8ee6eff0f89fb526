// helloITA Brand Hub: moving content items on the planning calendar (month and week views), for staff.
// An item is dragged with the mouse onto another day (month) or day and hour (week), or moved with the keyboard:
// focus it, press M, choose the day (and hour) with the arrow keys, Enter. A dialog confirms (and says when the move
// sends an approved item back to review), then the move is POSTed to the item's move endpoint, which answers JSON.
// The server decides everything (workflow, stale versions); this file only carries the choice there.
(function () {
  "use strict";

  function init(root) {
    const dialog = document.getElementById("move-dialog");
    const form = dialog.querySelector("[data-move-form]");
    const text = dialog.querySelector("[data-move-text]");
    const review = dialog.querySelector("[data-move-review]");
    const error = dialog.querySelector("[data-move-error]");
    const confirmButton = dialog.querySelector("[data-move-confirm]");
    const status = document.getElementById("move-status");
    const week = root.dataset.planner === "week";
    let dragged = null;
    let keyboard = null; // {item, cell} while an item is moved with the arrow keys
    let pending = null; // {item, cell} while the dialog is open

    const slots = () => Array.from(root.querySelectorAll("[data-slot]"));
    const slotOf = (node) => (node && node.closest ? node.closest("[data-slot]") : null);
    const itemOf = (node) => (node && node.closest ? node.closest("[data-id]") : null);

    function mark(cell) {
      root.querySelectorAll(".drop-target").forEach((c) => c.classList.remove("drop-target"));
      if (cell) cell.classList.add("drop-target");
    }

    const labelOf = (cell) => cell.dataset.label || cell.querySelector(".agenda-date").textContent.trim();

    function newTime(item, cell) {
      if (!week) return item.dataset.time;
      const minutes = item.dataset.time.split(":")[1];
      return `${cell.dataset.hour.padStart(2, "0")}:${minutes}`;
    }

    function ask(item, cell) {
      mark(null);
      if (!cell || cell === slotOf(item)) return;
      pending = { item, cell };
      const when = `${labelOf(cell)} ${newTime(item, cell)} (${dialog.dataset.zoneLabel})`;
      const title = item.querySelector(".item-title").textContent;
      text.textContent = text.dataset.template.replace("{title}", title).replace("{when}", when);
      review.hidden = !item.hasAttribute("data-review");
      error.hidden = true;
      confirmButton.disabled = false;
      form.elements.version.value = item.dataset.version;
      form.elements.date.value = cell.dataset.date;
      form.elements.time.value = newTime(item, cell);
      dialog.showModal();
      confirmButton.focus();
    }

    function close() {
      dialog.close();
      if (pending) pending.item.focus();
      pending = null;
    }

    function place(item, cell, data) {
      item.className = `item status-${data.status}`;
      item.dataset.version = String(data.version);
      item.dataset.time = data.time;
      item.toggleAttribute("data-review", data.needs_new_review);
      item.querySelector(".item-status").textContent = data.status_label;
      const time = item.querySelector("time");
      time.textContent = data.time;
      time.setAttribute("datetime", data.datetime);
      // In time order among the items of the new cell, before its "+N more" links.
      const after = Array.from(cell.querySelectorAll("[data-id]")).find(
        (other) => other !== item && other.querySelector("time").getAttribute("datetime") > data.datetime
      );
      if (after) after.before(item);
      else {
        const more = cell.querySelector(".more");
        if (more) more.before(item);
        else cell.append(item);
      }
      cell.classList.remove("empty");
    }

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!pending) return;
      const { item, cell } = pending;
      confirmButton.disabled = true;
      let data;
      try {
        const url = root.dataset.moveUrl.replace("/0/", `/${item.dataset.id}/`);
        const response = await fetch(url, {
          method: "POST",
          body: new FormData(form),
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        });
        const json = (response.headers.get("Content-Type") || "").includes("json");
        data = json ? await response.json() : { error: dialog.dataset.failed };
        if (!response.ok) throw new Error(data.error || dialog.dataset.failed);
      } catch (failure) {
        error.textContent = failure instanceof TypeError ? dialog.dataset.failed : failure.message;
        error.hidden = false;
        // A stale page cannot be retried as it is: the dialog says to reload.
        confirmButton.disabled = Boolean(data && data.code === "stale");
        return;
      }
      place(item, cell, data);
      status.textContent = data.message;
      close();
    });
    dialog.querySelector("[data-move-cancel]").addEventListener("click", close);
    dialog.addEventListener("cancel", (event) => {
      event.preventDefault();
      close();
    });

    // The mouse: HTML drag and drop onto a slot.
    root.addEventListener("dragstart", (event) => {
      dragged = itemOf(event.target);
      if (!dragged) return;
      event.dataTransfer.setData("text/plain", dragged.dataset.id);
      event.dataTransfer.effectAllowed = "move";
    });
    root.addEventListener("dragover", (event) => {
      const cell = slotOf(event.target);
      if (!dragged || !cell) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      mark(cell);
    });
    root.addEventListener("drop", (event) => {
      const cell = slotOf(event.target);
      if (!dragged || !cell) return;
      event.preventDefault();
      const item = dragged;
      dragged = null;
      ask(item, cell);
    });
    root.addEventListener("dragend", () => {
      dragged = null;
      if (!pending) mark(null);
    });

    // The keyboard: M picks the focused item up, arrows choose the slot, Enter asks, Escape puts it back.
    root.addEventListener("keydown", (event) => {
      if (keyboard) {
        const all = slots();
        const index = all.indexOf(keyboard.cell);
        const step = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 }[event.key];
        if (step) {
          event.preventDefault();
          const next = all[index + step];
          if (next) {
            keyboard.cell = next;
            mark(next);
            status.textContent = `${labelOf(next)}${week ? ` ${newTime(keyboard.item, next)}` : ""}`;
          }
        } else if (event.key === "Enter") {
          event.preventDefault();
          const { item, cell } = keyboard;
          keyboard = null;
          ask(item, cell);
        } else if (event.key === "Escape") {
          event.preventDefault();
          keyboard = null;
          mark(null);
          status.textContent = dialog.dataset.cancelled;
        }
        return;
      }
      const item = itemOf(event.target);
      if (item && (event.key === "m" || event.key === "M") && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        keyboard = { item, cell: slotOf(item) };
        mark(keyboard.cell);
        status.textContent = dialog.dataset.picked;
      }
    });
    root.addEventListener("focusout", (event) => {
      if (keyboard && event.target === keyboard.item) {
        keyboard = null;
        mark(null);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-planner]").forEach(init);
  });
})();
