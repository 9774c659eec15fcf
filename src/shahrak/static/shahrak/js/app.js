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
    watchPickerSheet();
    document.addEventListener("focusin", function (event) {
      if (isDateField(event.target)) event.target.value = toAscii(event.target.value);
    }, true);  // capture: before the picker's own listener on <body>
    document.addEventListener("focusin", function (event) {
      if (!isDateField(event.target)) return;
      var field = event.target;
      field.value = toPersian(field.value);
      // What is typed replaces the date shown rather than being appended to it (a tap
      // puts the caret after the date; selecting again once the tap is over keeps it so).
      field.select();
      setTimeout(function () { if (document.activeElement === field) field.select(); }, 0);
      keepFormInSight(field);
    });  // bubble: after it
    // Typing: digits become Persian as they are typed (ASCII or Arabic-Indic alike, the
    // caret kept), and once the field holds a whole date the picker moves to it (it read the
    // field only when it opened: 15 typed over 10 left 10 chosen). Only the user's typing
    // (an InputEvent with an inputType), not the picker's own "input" after it writes.
    document.addEventListener("input", function (event) {
      var field = event.target;
      if (!isDateField(field) || !event.inputType) return;
      var start = field.selectionStart, end = field.selectionEnd;
      var ascii = toAscii(field.value);
      field.value = toPersian(ascii);
      var parts = ascii.trim().split("/").map(Number);
      var whole = /^\d{4}\/\d{1,2}\/\d{1,2}$/.test(ascii.trim()) &&
        parts[1] >= 1 && parts[1] <= 12 && parts[2] >= 1 && parts[2] <= 31;
      if (whole) {
        field.value = ascii;  // the picker reads ASCII digits only (see above)
        window.jalaliDatepicker.show(field);
        field.value = toPersian(ascii);
      }
      if (start !== null) field.setSelectionRange(start, end);
    });
    document.addEventListener("focusout", function (event) {
      if (isDateField(event.target)) event.target.value = toPersian(toAscii(event.target.value));
    });
    document.addEventListener("jdp:change", function (event) {
      if (isDateField(event.target)) event.target.value = toPersian(event.target.value);
    });  // dispatched before the picker's "change" and "input" events
    window.jalaliDatepicker.startWatch({
      persianDigits: true,
      // On phones the picker would make the field read-only: typing a date is allowed.
      autoReadOnlyInput: false,
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

  // On a phone the picker is a sheet over the bottom of the screen (its dimming overlay is
  // hidden in app.css, so a tap outside reaches the page and closes it). While it is open the
  // page is scrolled so that the field's form, up to its submit button, is above the sheet;
  // the user scrolling the page closes it.
  var programmaticScroll = 0;
  function pickerSheet() {
    var sheet = document.querySelector("jdp-container");
    if (!sheet || sheet.style.display === "none") return null;
    return window.matchMedia("(max-width: 481px)").matches ? sheet : null;
  }

  function keepFormInSight(field) {
    var sheet = pickerSheet();
    if (!sheet) return;
    var height = sheet.getBoundingClientRect().height;
    document.documentElement.style.setProperty("--picker-room", height + "px");
    document.documentElement.classList.add("date-picking");
    forgetRoomWhenClosed(sheet);
    var submit = field.form && field.form.querySelector("[type=submit]");
    var bottom = (submit || field).getBoundingClientRect().bottom;
    var free = window.innerHeight - height - 8;  // the part of the screen above the sheet
    var by = bottom - free;
    var top = field.getBoundingClientRect().top - by;
    if (top < 8) by -= 8 - top;  // never scroll the field itself out of sight
    if (by > 0) {
      programmaticScroll = Date.now();
      window.scrollBy({ top: by, behavior: "instant" });
    }
  }

  var observed = null;
  function watchPickerSheet() {
    window.addEventListener("scroll", function () {
      if (Date.now() - programmaticScroll < 400 || !pickerSheet()) return;
      window.jalaliDatepicker.hide();
    }, { passive: true });
  }

  function forgetRoomWhenClosed(sheet) {
    if (observed === sheet || !window.MutationObserver) return;
    observed = sheet;
    new MutationObserver(function () {
      if (sheet.style.display === "none") document.documentElement.classList.remove("date-picking");
    }).observe(sheet, { attributes: true, attributeFilter: ["style"] });
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

  // A table wider than the screen scrolls in its own box: say so above it (an arrow towards
  // the hidden columns) and fade the edge behind which columns are hidden, until the reader
  // has scrolled to the table's end.
  function scrollHint(box) {
    var hint = box.previousElementSibling;
    if (!hint || !hint.classList.contains("scroll-hint")) {
      hint = document.createElement("p");
      hint.className = "scroll-hint";
      var rtl = getComputedStyle(box).direction === "rtl";
      hint.textContent = (rtl ? "← " : "→ ") + (document.body.dataset.scrollHint || "");
      box.parentNode.insertBefore(hint, box);
      box.addEventListener("scroll", function () { scrollHint(box); }, { passive: true });
    }
    var hidden = box.scrollWidth - box.clientWidth;
    box.classList.toggle("scrolls", hidden > 1);
    box.classList.toggle("at-end", Math.abs(box.scrollLeft) >= hidden - 1);
    hint.hidden = hidden <= 1;
  }

  function scrollHints(root) {
    (root || document).querySelectorAll(".table-scroll").forEach(scrollHint);
  }

  // A form that came back refused (the record's page shown again, its errors marked): bring
  // the first marked field into sight, which on a phone is often far below the banner.
  function showFirstError() {
    var marked = document.querySelector(".has-error");
    if (marked) marked.scrollIntoView({ block: "center" });
  }

  function start() {
    showFirstError();
    menu();
    datePicker();
    scrollHints();
    window.addEventListener("resize", function () { scrollHints(); });
    document.body.addEventListener("htmx:afterSettle", function () { scrollHints(); });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
