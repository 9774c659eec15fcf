// Shahrak's own page script: the main menu's button on narrow screens, and the Jalali date
// picker on every [data-jdp] input, including those htmx swaps in later.
(function () {
  function datePicker() {
    if (window.jalaliDatepicker) {
      window.jalaliDatepicker.startWatch({ persianDigits: true, autoShow: true, time: false });
    }
  }

  // The main menu collapses behind its button on narrow screens (app.css).
  function menu() {
    var button = document.querySelector(".menu-toggle");
    var nav = document.getElementById(button ? button.getAttribute("aria-controls") : "");
    if (!button || !nav) return;
    function set(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("open", open);
    }
    button.addEventListener("click", function () {
      set(button.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        set(false);
        button.focus();
      }
    });
  }

  function start() {
    menu();
    datePicker();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
