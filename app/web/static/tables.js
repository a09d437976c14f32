// Tables on small screens (no inline script): each cell learns its column's name so the style
// sheet can show rows as cards below 600 px, and a table region that still scrolls sideways
// becomes focusable (keyboard scrolling) with a visible hint.
(function () {
  "use strict";
  function label(table) {
    var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    table.querySelectorAll("tbody tr").forEach(function (row) {
      Array.prototype.forEach.call(row.children, function (cell, i) {
        if (heads[i] && !cell.hasAttribute("data-label")) { cell.setAttribute("data-label", heads[i]); }
      });
    });
    table.classList.add("labelled");
  }
  function markScrolling(wrap) {
    var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
    wrap.classList.toggle("scrolls", scrolls);
    if (scrolls) {
      var caption = wrap.querySelector("caption");
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      if (caption) { wrap.setAttribute("aria-label", caption.textContent.trim()); }
    } else {
      wrap.removeAttribute("tabindex");
    }
  }
  function all() {
    document.querySelectorAll(".table-wrap table").forEach(label);
    document.querySelectorAll(".table-wrap").forEach(markScrolling);
  }
  document.addEventListener("DOMContentLoaded", all);
  document.addEventListener("htmx:afterSwap", all);
  window.addEventListener("resize", function () { document.querySelectorAll(".table-wrap").forEach(markScrolling); });
})();
