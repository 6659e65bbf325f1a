// storydiff web app: vanilla JS, no dependencies, no inline handlers (the CSP forbids them).
(function () {
  "use strict";

  function clearHighlights() {
    document.querySelectorAll(".hl").forEach(function (el) { el.classList.remove("hl"); });
  }

  // Highlight every statement of a claim group and scroll each article column to its counterpart.
  function selectClaim(claimId, origin) {
    if (!claimId) { return; }
    clearHighlights();
    var selector = '[data-claim="' + (window.CSS && CSS.escape ? CSS.escape(claimId) : claimId) + '"]';
    document.querySelectorAll(".stmt" + selector).forEach(function (el) { el.classList.add("hl"); });
    document.querySelectorAll(".dispute" + selector).forEach(function (el) { el.classList.add("hl"); });
    document.querySelectorAll(".column-body").forEach(function (body) {
      var target = body.querySelector(".stmt" + selector);
      if (!target || (origin && body.contains(origin))) { return; }
      body.scrollTop = Math.max(0, target.offsetTop - body.offsetTop - 24);
    });
    var columns = document.querySelector(".columns");
    if (columns && origin && !columns.contains(origin)) {
      columns.scrollIntoView({ block: "start" });
    }
    if (history.replaceState) { history.replaceState(null, "", "#claim-" + claimId); }
  }

  document.addEventListener("click", function (event) {
    var el = event.target.closest("[data-claim]");
    if (!el || !el.dataset.claim) { return; }
    if (el.tagName === "A") { event.preventDefault(); }
    selectClaim(el.dataset.claim, el);
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") { return; }
    var el = event.target.closest && event.target.closest(".stmt[data-claim]");
    if (el) { selectClaim(el.dataset.claim, el); }
  });

  // Compare now: add another article slot.
  document.addEventListener("DOMContentLoaded", function () {
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
    var match = /^#claim-(.+)$/.exec(location.hash);
    if (match) { selectClaim(decodeURIComponent(match[1]), null); }
  });
})();
