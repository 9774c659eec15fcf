// Shahrak's own page script: attach the Jalali date picker to every [data-jdp] input,
// including those htmx swaps in later.
(function () {
  function start() {
    if (window.jalaliDatepicker) {
      window.jalaliDatepicker.startWatch({ persianDigits: true, autoShow: true, time: false });
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
