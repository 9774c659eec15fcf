// Shahrak's charts: data come from <script type="application/json"> blocks the page renders.
(function () {
  var persian = (document.documentElement.lang || "fa").indexOf("fa") === 0;
  var digits = "۰۱۲۳۴۵۶۷۸۹";
  function fa(text) {
    return persian ? String(text).replace(/[0-9]/g, function (d) { return digits[d]; }) : String(text);
  }
  var font = { family: "Vazirmatn" };
  var progress = document.getElementById("progress-data");
  if (progress && window.Chart) {
    var data = JSON.parse(progress.textContent);
    new window.Chart(document.getElementById("progress-chart"), {
      type: "line",
      data: {
        labels: data.jalali,
        datasets: [{ data: data.values, borderColor: "#0f5c4d", backgroundColor: "#0f5c4d", stepped: false }],
      },
      options: {
        locale: persian ? "fa-IR" : "en",
        animation: false,
        plugins: { legend: { display: false }, tooltip: { rtl: persian, bodyFont: font, titleFont: font } },
        scales: {
          x: { reverse: persian, ticks: { font: font, callback: function (v) { return fa(this.getLabelForValue(v)); } } },
          y: { min: 0, max: 100, position: persian ? "right" : "left", ticks: { font: font, callback: function (v) { return fa(v) + "٪"; } } },
        },
      },
    });
  }
})();
