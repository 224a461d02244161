// "Alle" / "Geen" on the party choice tick every box or none in place. Without JavaScript the
// buttons post the form, which comes back with every box or none ticked.
(function () {
  "use strict";
  document.querySelectorAll("button[name=select]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var all = button.value === "all";
      button.form.querySelectorAll("input[name=parties]").forEach(function (box) {
        box.checked = all;
      });
    });
  });
})();
