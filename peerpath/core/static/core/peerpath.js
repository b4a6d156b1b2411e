/* Peerpath's small page helpers. Served from our own origin (the Content-Security-Policy allows
   no inline script). Everything here is progressive: pages work without it. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var wide = window.matchMedia("(min-width: 64rem)");

  // The menu is a <details>: closed on phones (one button), open on wide screens.
  function syncMenu() {
    var menu = document.getElementById("site-menu");
    if (!menu) return;
    if (wide.matches) menu.setAttribute("open", "");
    else if (!menu.dataset.touched) menu.removeAttribute("open");
  }

  // Wide tables scroll inside a region a keyboard user can focus, named after the table.
  function labelTables(root) {
    root.querySelectorAll("table").forEach(function (table) {
      var wrap = table.parentElement;
      if (!wrap.classList.contains("table-wrap")) {
        wrap = document.createElement("div");
        wrap.className = "table-wrap";
        table.parentNode.insertBefore(wrap, table);
        wrap.appendChild(table);
      }
      if (!wrap.hasAttribute("tabindex")) wrap.setAttribute("tabindex", "0");
      if (!wrap.hasAttribute("role")) wrap.setAttribute("role", "region");
      if (!wrap.hasAttribute("aria-label") && !wrap.hasAttribute("aria-labelledby")) {
        var caption = table.querySelector("caption");
        var heading = caption ? null : previousHeading(wrap);
        var name = (caption || heading || {}).textContent || document.title;
        wrap.setAttribute("aria-label", name.trim().replace(/\s+/g, " "));
      }
    });
  }

  function previousHeading(node) {
    for (var el = node; el && el !== document.body; el = el.parentElement) {
      for (var sib = el.previousElementSibling; sib; sib = sib.previousElementSibling) {
        if (/^H[1-6]$/.test(sib.tagName)) return sib;
        var inner = sib.querySelectorAll ? sib.querySelectorAll("h1,h2,h3,h4,h5,h6") : [];
        if (inner.length) return inner[inner.length - 1];
      }
    }
    return null;
  }

  // A filter box narrows a long list of choices (e.g. seventy strategies) as the leader types.
  function wireFilters(root) {
    root.querySelectorAll("[data-filter-target]").forEach(function (input) {
      if (input.dataset.wired) return;
      input.dataset.wired = "1";
      input.addEventListener("input", function () {
        var needle = input.value.trim().toLowerCase();
        document.querySelectorAll(input.dataset.filterTarget).forEach(function (item) {
          var keep = !needle || item.textContent.toLowerCase().indexOf(needle) !== -1 || item.querySelector("input:checked");
          item.hidden = !keep;
        });
      });
    });
  }

  function ready(root) {
    labelTables(root);
    wireFilters(root);
  }

  document.addEventListener("DOMContentLoaded", function () {
    syncMenu();
    var menu = document.getElementById("site-menu");
    if (menu) menu.querySelector("summary").addEventListener("click", function () { menu.dataset.touched = "1"; });
    if (wide.addEventListener) wide.addEventListener("change", syncMenu);
    ready(document);
  });
  // "Keep" in a confirm step closes it and puts focus back on the button that opened it.
  document.addEventListener("click", function (event) {
    var keep = event.target.closest && event.target.closest("[data-close-details]");
    if (!keep) return;
    var details = keep.closest("details");
    if (!details) return;
    details.removeAttribute("open");
    details.querySelector("summary").focus();
  });
  document.addEventListener("htmx:afterSettle", function (event) { ready(event.target); });
})();

// One-tap copy: <button data-copy="#input-id" data-copied="Copied">. Falls back to selecting the text.
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("button[data-copy]");
  if (!button) return;
  var field = document.querySelector(button.getAttribute("data-copy"));
  if (!field) return;
  var done = function () { button.textContent = button.getAttribute("data-copied") || button.textContent; };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(field.value).then(done, function () { field.select(); });
  } else {
    field.select();
    try { if (document.execCommand("copy")) done(); } catch (e) { /* the text stays selected */ }
  }
});

// A long upload that reports progress: <form data-progress="#target">. The form submits natively (an htmx
// "submit" trigger would cancel the submission); its target hears "peerpath:submitted" and starts polling.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var selector = form.getAttribute && form.getAttribute("data-progress");
  if (!selector || event.defaultPrevented) return;
  var target = document.querySelector(selector);
  if (target) target.dispatchEvent(new CustomEvent("peerpath:submitted", { bubbles: false }));
});
