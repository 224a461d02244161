// Copy buttons on the result page. Without JavaScript or a clipboard they stay hidden and the
// read-only fields can still be selected and copied by hand.
(function () {
  "use strict";
  var status = document.getElementById("copy-status");
  if (!navigator.clipboard || !status) return;
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var field = document.getElementById(button.getAttribute("data-copy"));
      navigator.clipboard.writeText(field.value).then(
        function () { status.textContent = status.getAttribute("data-done"); },
        function () { field.select(); }
      );
    });
  });
})();
