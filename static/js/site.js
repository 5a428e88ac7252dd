/* Small behaviours every page may use, kept out of the templates so the Content-Security-Policy
   can refuse inline scripts: print buttons, "select all" boxes, the overview's meters and anchors below the sticky bar. */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (el) {
    el.addEventListener("click", function (event) { event.preventDefault(); window.print(); });
  });
  document.querySelectorAll("input[data-select-all]").forEach(function (box) {
    box.addEventListener("change", function () {
      document.querySelectorAll('input[name="' + box.dataset.selectAll + '"]').forEach(function (c) { if (!c.disabled) { c.checked = box.checked; } });
    });
  });
  /* Widths through the CSSOM: a style attribute in the markup would need 'unsafe-inline'. */
  document.querySelectorAll("[data-width]").forEach(function (el) {
    el.style.width = Math.max(0, Math.min(100, parseFloat(el.dataset.width) || 0)) + "%";
  });
  /* Anchors land below the sticky context bar: its real height (it wraps on narrow screens)
     feeds app.css's scroll-margin-top, and a page opened on an anchor is scrolled again. */
  var bar = document.querySelector(".context-bar");
  function measureBar() {
    var height = bar ? bar.getBoundingClientRect().height : 0;
    document.documentElement.style.setProperty("--sticky-offset", Math.ceil(height) + "px");
  }
  measureBar();
  window.addEventListener("resize", measureBar);
  if (bar && window.location.hash.length > 1) {
    var target = document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
    if (target) { target.scrollIntoView(); }
  }

  /* A table wider than the screen scrolls in its .table-scroll box; the box takes the keyboard
     focus then, so it can be scrolled without a mouse (WCAG 2.1.1). */
  function focusableScrollers() {
    document.querySelectorAll(".table-scroll").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth) { box.tabIndex = 0; } else { box.removeAttribute("tabindex"); }
    });
  }
  focusableScrollers();
  window.addEventListener("resize", focusableScrollers);
})();
