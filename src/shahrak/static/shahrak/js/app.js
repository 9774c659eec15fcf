// Shahrak's own page script: the main menu's button on narrow screens, and the Jalali date
// picker on every [data-jdp] input, including those htmx swaps in later.
(function () {
  var PERSIAN = "۰۱۲۳۴۵۶۷۸۹";
  var ARABIC = "٠١٢٣٤٥٦٧٨٩";

  function toAscii(text) {
    return text.replace(/[۰-۹٠-٩]/g, function (d) {
      var i = PERSIAN.indexOf(d);
      return String(i >= 0 ? i : ARABIC.indexOf(d));
    });
  }

  function toPersian(text) {
    return text.replace(/[0-9]/g, function (d) { return PERSIAN[d]; });
  }

  function isDateField(element) {
    return element && element.matches && element.matches("input[data-jdp]");
  }

  // The picker reads the field's value with parseInt, which knows only ASCII digits: a field
  // showing ۱۴۰۱/۰۶/۳۱ made it open with no year and no days. While it opens (one
  // synchronous focus event, nothing is painted in between) the field holds ASCII digits;
  // right after, and after every date it writes, the field shows Persian digits again.
  function datePicker() {
    if (!window.jalaliDatepicker) return;
    document.addEventListener("focusin", function (event) {
      if (isDateField(event.target)) event.target.value = toAscii(event.target.value);
    }, true);  // capture: before the picker's own listener on <body>
    document.addEventListener("focusin", function (event) {
      if (isDateField(event.target)) event.target.value = toPersian(event.target.value);
    });  // bubble: after it
    document.addEventListener("jdp:change", function (event) {
      if (isDateField(event.target)) event.target.value = toPersian(event.target.value);
    });  // dispatched before the picker's "change" and "input" events
    window.jalaliDatepicker.startWatch({
      persianDigits: true,
      autoShow: true,
      time: false,
      // Redrawn after a change of month or year, the picker reads the field again: mark the
      // field's day itself.
      dayRendering: function (day, input) {
        var parts = toAscii(input.value).split("/").map(Number);
        var own = parts[0] === day.year && parts[1] === day.month && parts[2] === day.day;
        if (own && !/\.selected\b/.test(day.className)) return { className: day.className + ".selected" };
        return {};
      },
    });
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
