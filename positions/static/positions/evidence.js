// Stance forms in the admin: "Gebruik deze passage" copies the passage's verbatim quote, its
// document and its lines into the quote, document and location fields of the same stance.
"use strict";
(function () {
  function fieldIn(container, suffix) {
    return container.querySelector('[name$="' + suffix + '"]:not([type="hidden"])');
  }

  function stanceOf(button) {
    let node = button.parentElement;
    while (node && !fieldIn(node, "quote")) {
      node = node.parentElement;
    }
    return node;
  }

  function chooseDocument(select, id, title) {
    let option = Array.from(select.options).find((o) => o.value === id);
    if (!option) {
      option = new Option(title, id);
      select.append(option);
    }
    select.value = id;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    if (window.django && window.django.jQuery) {
      window.django.jQuery(select).trigger("change"); // lets the autocomplete widget redraw
    }
  }

  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-evidence-fill]");
    const stance = button && stanceOf(button);
    if (!stance) {
      return;
    }
    const data = button.dataset;
    fieldIn(stance, "quote").value = data.quote;
    const where = fieldIn(stance, "location");
    if (where) {
      where.value = data.location;
    }
    const select = stance.querySelector('select[name$="document"]');
    if (select) {
      chooseDocument(select, data.document, data.documentTitle);
    }
    fieldIn(stance, "quote").focus();
  });
})();
