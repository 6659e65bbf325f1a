// storydiff web app: page behaviour beyond the report's own script (report.js, served at /assets).
// Vanilla JS, no inline handlers: the Content-Security-Policy forbids them.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // Compare now: add another article slot.
    var add = document.getElementById("add-slot");
    var slots = document.getElementById("slots");
    if (add && slots) {
      add.addEventListener("click", function () {
        var all = slots.querySelectorAll(".slot");
        var copy = all[all.length - 1].cloneNode(true);
        copy.querySelectorAll("input, textarea").forEach(function (field) { field.value = ""; });
        copy.querySelector("legend").textContent = "Article " + (all.length + 1);
        slots.appendChild(copy);
      });
    }
  });
})();
