// Winners and nominations per quarter, from JSON embedded by the server (no inline script).
// Tooltips render as richText (drawn on the canvas): an HTML tooltip carries inline styles, which the
// Content-Security-Policy forbids.
(function () {
  function draw() {
    var el = document.getElementById("award-chart"), src = document.getElementById("award-chart-data");
    if (!window.echarts || !el || !src) return;
    var d = JSON.parse(src.textContent), rows = d.rows, names = d.names;
    echarts.init(el).setOption({
      tooltip: { trigger: "axis", renderMode: "richText" }, legend: { top: 0, data: [names.nominations, names.winners] },
      grid: { left: 40, right: 10, top: 40, bottom: 30 },
      xAxis: { type: "category", data: rows.map(function (r) { return r.period; }) },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ name: names.nominations, type: "bar", data: rows.map(function (r) { return r.nominations; }), itemStyle: { color: "#c9a3a3" } },
               { name: names.winners, type: "bar", data: rows.map(function (r) { return r.winners; }), itemStyle: { color: "#8b1a1a" } }]
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
