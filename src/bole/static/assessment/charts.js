// Charts of the assessment pages, drawn from JSON embedded by the server (no inline script).
// Tooltips render as richText (drawn on the canvas): an HTML tooltip carries inline styles, which the
// Content-Security-Policy forbids.
(function () {
  function data(id) { var el = document.getElementById(id); return el ? JSON.parse(el.textContent) : null; }
  function draw() {
    if (!window.echarts) return;
    var chart = data("chart-data");
    if (chart && document.getElementById("hist")) {
      echarts.init(document.getElementById("hist")).setOption({
        title: { text: chart.labels.hist, left: "center", textStyle: { fontSize: 14 } },
        tooltip: { renderMode: "richText" }, grid: { left: 40, right: 10, bottom: 40 },
        xAxis: { type: "category", data: chart.bins, axisLabel: { rotate: 45 } },
        yAxis: { type: "value", minInterval: 1 },
        series: [{ type: "bar", data: chart.counts, itemStyle: { color: "#8b1a1a" } }]
      });
      echarts.init(document.getElementById("grades")).setOption({
        title: { text: chart.labels.grades, left: "center", textStyle: { fontSize: 14 } },
        tooltip: { trigger: "item", renderMode: "richText" },
        series: [{ type: "pie", radius: ["35%", "65%"], data: chart.grades, label: { formatter: "{b} {c}" } }]
      });
    }
    var trend = data("trend-data");
    if (trend && document.getElementById("trend")) {
      echarts.init(document.getElementById("trend")).setOption({
        tooltip: { trigger: "axis", renderMode: "richText" }, legend: { top: 0, data: [trend.labels.total, trend.labels.rank] },
        grid: { left: 50, right: 50, top: 50, bottom: 30 },
        xAxis: { type: "category", data: trend.periods },
        yAxis: [{ type: "value", name: trend.labels.total, min: function (v) { return Math.floor(v.min - 5); } },
                { type: "value", name: trend.labels.rank, inverse: true, minInterval: 1 }],
        series: [{ name: trend.labels.total, type: "line", data: trend.totals, itemStyle: { color: "#8b1a1a" } },
                 { name: trend.labels.rank, type: "line", yAxisIndex: 1, data: trend.ranks, itemStyle: { color: "#1565c0" } }]
      });
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
