// Click a statement (or a claim in a section): highlight its counterparts and scroll each column to them.
(function () {
  "use strict";
  var dataEl = document.getElementById("sd-data");
  var data = dataEl ? JSON.parse(dataEl.textContent) : { claims: {} };
  function show(claim) {
    document.querySelectorAll(".sd-st.sd-active").forEach(function (el) { el.classList.remove("sd-active"); });
    if (!claim || !data.claims[claim]) { return; }
    document.querySelectorAll(".sd-col").forEach(function (col) {
      var first = null;
      col.querySelectorAll(".sd-st").forEach(function (el) {
        if (el.getAttribute("data-claim") === claim) {
          el.classList.add("sd-active");
          if (!first) { first = el; }
        }
      });
      if (first) {
        var box = col.querySelector(".sd-text");
        box.scrollTop = first.offsetTop - box.offsetTop - 40;
      }
    });
  }
  document.addEventListener("click", function (ev) {
    var el = ev.target.closest ? ev.target.closest("[data-claim]") : null;
    if (el && el.getAttribute("data-claim")) {
      show(el.getAttribute("data-claim"));
      if (!el.classList.contains("sd-st")) {
        document.getElementById("sd-articles-anchor").scrollIntoView({ behavior: "smooth" });
      }
    }
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && ev.target.classList && ev.target.classList.contains("sd-st")) {
      show(ev.target.getAttribute("data-claim"));
    }
  });
})();
