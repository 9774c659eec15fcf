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

// The dashboard's trend: units in operation (bars) and exports in million USD (line). The
// dashboard loads it after its figures (htmx), so it is drawn whenever its data arrive.
function drawTrend() {
  var block = document.getElementById("trend-data");
  var canvas = document.getElementById("trend-chart");
  if (!block || !canvas || !window.Chart || window.Chart.getChart(canvas)) return;
  var persian = (document.documentElement.lang || "fa").indexOf("fa") === 0;
  var digits = "۰۱۲۳۴۵۶۷۸۹";
  var fa = function (t) { return persian ? String(t).replace(/[0-9]/g, function (d) { return digits[d]; }) : String(t); };
  var font = { family: "Vazirmatn" };
  var data = JSON.parse(block.textContent);
  new window.Chart(canvas, {
    data: {
      labels: data.years,
      datasets: [
        { type: "bar", label: persian ? "واحدهای فعال" : "Units in operation", data: data.units_operational, backgroundColor: "#0f5c4d", yAxisID: "units" },
        { type: "line", label: persian ? "صادرات (میلیون دلار)" : "Exports (million USD)", data: data.exports_usd.map(function (v) { return v / 1e6; }), borderColor: "#d9922e", backgroundColor: "#d9922e", yAxisID: "usd" },
      ],
    },
    options: {
      animation: false,
      plugins: { legend: { rtl: persian, labels: { font: font } }, tooltip: { rtl: persian, bodyFont: font, titleFont: font } },
      scales: {
        x: { reverse: persian, ticks: { font: font, callback: function (v) { return fa(this.getLabelForValue(v)); } } },
        units: { beginAtZero: true, position: persian ? "right" : "left", ticks: { font: font, callback: function (v) { return fa(v); } } },
        usd: { beginAtZero: true, position: persian ? "left" : "right", grid: { drawOnChartArea: false }, ticks: { font: font, callback: function (v) { return fa(v); } } },
      },
    },
  });
}
drawTrend();
document.addEventListener("htmx:afterSettle", drawTrend);
