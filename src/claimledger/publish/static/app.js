// claimledger: the little script the pages use. No inline script anywhere (the
// Content-Security-Policy forbids it); everything works without this file too.
(function () {
  "use strict";
  // Filter forms apply as soon as a select changes.
  document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  // Filters start open on wide screens, folded on phones (unless some are active).
  if (window.matchMedia("(min-width: 641px)").matches) {
    document.querySelectorAll("details[data-open-wide]").forEach(function (d) { d.open = true; });
  }
  // Ask before a decision that changes grades is recorded.
  document.querySelectorAll("form#merge-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm("Merge this group into the chosen one? The decision is audited and can be replaced later.")) {
        event.preventDefault();
      }
    });
  });
  // On a document page, a claim chosen in the side list is briefly outlined.
  function flash() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id) return;
    var anchor = document.getElementById(id);
    if (!anchor) return;
    var mark = anchor.nextElementSibling;
    if (mark && mark.classList.contains("claim")) {
      mark.classList.add("flash");
      setTimeout(function () { mark.classList.remove("flash"); }, 1600);
    }
  }
  window.addEventListener("hashchange", flash);
  flash();
})();
// Full names and figures on tap: a touch shows the element's data-tip in a tooltip (the
// SVG title shows it on hover); a second tap on a node follows its link.
(function () {
  "use strict";
  var tip = null, shownFor = null;
  function hide() { if (tip) { tip.remove(); tip = null; shownFor = null; } }
  function show(el, x, y) {
    hide();
    tip = document.createElement("div");
    tip.className = "tip";
    tip.setAttribute("role", "tooltip");
    tip.textContent = el.getAttribute("data-tip");
    document.body.appendChild(tip);
    var left = Math.min(x + window.scrollX + 10, window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 8);
    tip.style.left = Math.max(window.scrollX + 8, left) + "px";
    tip.style.top = (y + window.scrollY + 14) + "px";
    shownFor = el;
  }
  document.addEventListener("click", function (event) {
    var el = event.target.closest && event.target.closest("svg [data-tip]");
    if (!el) { hide(); return; }
    if (!window.matchMedia("(hover: none)").matches) return;  // a mouse: the title shows on hover
    if (shownFor === el) return;  // the second tap: a node's link is followed
    event.preventDefault();
    show(el, event.clientX, event.clientY);
  }, true);
  window.addEventListener("scroll", hide, { passive: true });
})();
