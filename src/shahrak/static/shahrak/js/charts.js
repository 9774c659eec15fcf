// Shahrak's charts: data come from <script type="application/json"> blocks the page renders.
// Digits and numbers as the page's language reads them: Persian digits and separators
// (۱۲٬۵۰۰٫۵) in Persian, whatever locale data the browser has.
function shahrakNumbers() {
  var persian = (document.documentElement.lang || "fa").indexOf("fa") === 0;
  var digits = "۰۱۲۳۴۵۶۷۸۹";
  var grouped = new Intl.NumberFormat("en", { maximumFractionDigits: 1 });
  function fa(text) {
    return persian ? String(text).replace(/[0-9]/g, function (d) { return digits[d]; }) : String(text);
  }
  function num(value) {
    var text = grouped.format(value);
    return persian ? fa(text.replace(/,/g, "٬").replace(/\./g, "٫")) : text;
  }
  // Tooltips read like the axes: the label's digits, the value grouped.
  var tooltip = {
    rtl: persian,
    callbacks: {
      title: function (items) { return items.length ? fa(items[0].label) : ""; },
      label: function (item) { return (item.dataset.label ? item.dataset.label + ": " : "") + num(item.parsed.y); },
    },
  };
  return { persian: persian, fa: fa, num: num, tooltip: tooltip };
}

// An axis's title (what it counts, in what unit), given by the page in its language.
function axisTitle(text, font) {
  return { display: Boolean(text), text: text || "", font: Object.assign({ weight: "bold" }, font) };
}

(function () {
  var numbers = shahrakNumbers();
  var persian = numbers.persian;
  var fa = numbers.fa;
  var font = { family: "Vazirmatn" };
  var progress = document.getElementById("progress-data");
  if (progress && window.Chart) {
    var data = JSON.parse(progress.textContent);
    var canvas = document.getElementById("progress-chart");
    new window.Chart(canvas, {
      type: "line",
      data: {
        labels: data.jalali,
        datasets: [{ data: data.values, borderColor: "#0f5c4d", backgroundColor: "#0f5c4d", stepped: false }],
      },
      options: {
        locale: persian ? "fa-IR" : "en",
        animation: false,
        plugins: { legend: { display: false }, tooltip: Object.assign({ bodyFont: font, titleFont: font }, numbers.tooltip) },
        scales: {
          // offset: the first and last dates sit inside the chart, not cut at its edges
          x: { reverse: persian, offset: true, title: axisTitle(canvas.dataset.xTitle, font),
               ticks: { font: font, maxRotation: 0, callback: function (v) { return fa(this.getLabelForValue(v)); } } },
          y: { min: 0, max: 100, position: persian ? "right" : "left", title: axisTitle(canvas.dataset.yTitle, font),
               ticks: { font: font, callback: function (v) { return numbers.num(v) + "٪"; } } },
        },
      },
    });
  }
})();

// The dashboard's trend: units in operation (bars) and exports in million USD (line). The
// dashboard loads it after its figures (htmx), so it is drawn whenever its data arrive. A
// year (or half) not over is drawn as partial — a hatched bar, a dashed line, "(to date)"
// under it — so that a stretch counted to date never reads as a fall.
function hatched(color) {
  var tile = document.createElement("canvas");
  tile.width = tile.height = 8;
  var pen = tile.getContext("2d");
  pen.fillStyle = "rgba(15, 92, 77, 0.25)";
  pen.fillRect(0, 0, 8, 8);
  pen.strokeStyle = color;
  pen.lineWidth = 2;
  pen.beginPath();
  pen.moveTo(0, 8); pen.lineTo(8, 0);
  pen.moveTo(-2, 2); pen.lineTo(2, -2);
  pen.moveTo(6, 10); pen.lineTo(10, 6);
  pen.stroke();
  return pen.createPattern(tile, "repeat");
}

function drawTrend() {
  var block = document.getElementById("trend-data");
  var canvas = document.getElementById("trend-chart");
  if (!block || !canvas || !window.Chart || window.Chart.getChart(canvas)) return;
  var numbers = shahrakNumbers();
  var persian = numbers.persian;
  var fa = numbers.fa;
  var label = function (l) { return Array.isArray(l) ? l.map(fa) : fa(l); };
  var font = { family: "Vazirmatn" };
  var data = JSON.parse(block.textContent);
  var green = "#0f5c4d", orange = "#d9922e";
  var partial = data.partial || [];
  var stripes = hatched(green);
  new window.Chart(canvas, {
    data: {
      labels: data.labels || data.years,
      datasets: [
        { type: "bar", label: persian ? "واحدهای فعال" : "Units in operation", data: data.units_operational,
          backgroundColor: partial.map(function (p) { return p ? stripes : green; }),
          borderColor: green, borderWidth: partial.map(function (p) { return p ? 1 : 0; }), yAxisID: "units", order: 2 },
        { type: "line", label: persian ? "صادرات (میلیون دلار)" : "Exports (million USD)", data: data.exports_usd.map(function (v) { return v / 1e6; }),
          borderColor: orange, backgroundColor: orange, yAxisID: "usd", order: 1,
          pointBackgroundColor: partial.map(function (p) { return p ? "#fff" : orange; }),
          segment: { borderDash: function (ctx) { return partial[ctx.p1DataIndex] ? [6, 4] : undefined; } } },
      ],
    },
    options: {
      locale: persian ? "fa-IR" : "en",
      animation: false,
      maintainAspectRatio: false,  // the frame's height (app.css), so that a phone's chart is not flat
      plugins: { legend: { rtl: persian, labels: { font: font } },
                 tooltip: Object.assign({ bodyFont: font, titleFont: font }, numbers.tooltip, {
                   callbacks: Object.assign({}, numbers.tooltip.callbacks, { title: function (items) { return items.length ? label(items[0].label) : ""; } }) }) },
      scales: {
        x: { reverse: persian, title: axisTitle(canvas.dataset.xTitle, font), ticks: { font: font, autoSkip: false, callback: function (v) { return label(this.getLabelForValue(v)); } } },
        units: { position: persian ? "right" : "left", beginAtZero: true, title: axisTitle(canvas.dataset.unitsTitle, font), ticks: { font: font, callback: function (v) { return numbers.num(v); } } },
        usd: { position: persian ? "left" : "right", beginAtZero: true, grid: { drawOnChartArea: false }, title: axisTitle(canvas.dataset.usdTitle, font), ticks: { font: font, callback: function (v) { return numbers.num(v); } } },
      },
    },
  });
}
drawTrend();
document.addEventListener("htmx:afterSettle", drawTrend);
