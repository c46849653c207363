/* Behaviour templates ask for with data-* attributes, so that no page needs an inline script or event
   handler (the Content-Security-Policy allows none):
   data-confirm="text"   on a form or a submit button: ask before submitting;
   data-autosubmit       on a select: submit its form when the choice changes;
   data-print            on a button: print the page;
   data-tab-template="id" data-tab-target="id"   on a tab button: show the template's content in the target.
   The menu: one drop-down open at a time, closed by a click elsewhere or Escape; the entry of the current page
   and its group are marked (aria-current). A table.stack's cells are labelled with their column's name. */
(function () {
  "use strict";
  document.addEventListener("submit", function (e) {
    var text = (e.submitter && e.submitter.dataset.confirm) || e.target.dataset.confirm;
    if (text && !window.confirm(text)) {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
  }, true);
  document.addEventListener("change", function (e) {
    var el = e.target;
    if (el.matches && el.matches("select[data-autosubmit]") && el.form) el.form.submit();
  });
  function closeMenus(except) {
    document.querySelectorAll(".mainnav details[open]").forEach(function (d) {
      if (d !== except) d.removeAttribute("open");
    });
  }
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") closeMenus(null);
  });
  // A table that becomes cards on a phone (table.stack, bole.css) shows each value after its column's name:
  // every body and footer cell gets its header's text as data-label (a cell spanning columns, or one already
  // labelled, keeps its own). Run on load, after htmx swaps in rows and after a tab fills in.
  function headerText(el) { return el.textContent.replace(/[▲▼]/g, "").replace(/\s+/g, " ").trim(); }
  function labelCells() {
    document.querySelectorAll("table.stack").forEach(function (table) {
      var head = table.tHead && table.tHead.rows[0];
      if (!head) return;
      var labels = [];
      Array.prototype.forEach.call(head.cells, function (th) {
        for (var i = 0; i < th.colSpan; i++) labels.push(headerText(th));
      });
      table.querySelectorAll(":scope > tbody > tr, :scope > tfoot > tr").forEach(function (tr) {
        var col = 0;
        Array.prototype.forEach.call(tr.cells, function (td) {
          if (td.colSpan === 1 && !td.hasAttribute("data-label")) td.setAttribute("data-label", labels[col] || "");
          col += td.colSpan;
        });
      });
    });
  }
  document.addEventListener("DOMContentLoaded", labelCells);
  document.addEventListener("htmx:load", labelCells);
  document.addEventListener("DOMContentLoaded", function () {
    var best = null, bestLength = 0, here = window.location.pathname;
    document.querySelectorAll(".mainnav a[href]").forEach(function (a) {
      var path = new URL(a.href, window.location.href).pathname;
      if (here.indexOf(path) === 0 && path.length > bestLength) { best = a; bestLength = path.length; }
    });
    if (!best) return;
    best.setAttribute("aria-current", "page");
    var group = best.closest(".navgroup");
    if (group) group.classList.add("current");
  });
  document.addEventListener("click", function (e) {
    if (!e.target.closest) return;
    closeMenus(e.target.closest(".mainnav details"));
    if (e.target.closest("[data-print]")) {
      e.preventDefault();
      window.print();
      return;
    }
    var tab = e.target.closest("[data-tab-template]");
    if (tab) {
      var source = document.getElementById(tab.dataset.tabTemplate);
      var target = document.getElementById(tab.dataset.tabTarget);
      if (source && target) { target.innerHTML = source.innerHTML; labelCells(); }
    }
  });
})();
