// Projects and investment by kind, from JSON embedded by the server (no inline script).
// Tooltips render as richText (drawn on the canvas): an HTML tooltip carries inline styles, which the
// Content-Security-Policy forbids.
(function () {
  function draw() {
    var el = document.getElementById("kind-chart"), src = document.getElementById("kind-chart-data");
    if (!window.echarts || !el || !src) return;
    var d = JSON.parse(src.textContent), n = d.names;
    echarts.init(el).setOption({
      tooltip: { trigger: "axis", renderMode: "richText" }, legend: { top: 0, data: [n.count, n.investment] },
      grid: { left: 50, right: 60, top: 50, bottom: 30 },
      xAxis: { type: "category", data: d.kinds },
      yAxis: [{ type: "value", name: n.count, minInterval: 1 }, { type: "value", name: n.unit }],
      series: [{ name: n.count, type: "bar", data: d.counts, itemStyle: { color: "#8b1a1a" } },
               { name: n.investment, type: "line", yAxisIndex: 1, data: d.investment, itemStyle: { color: "#1565c0" } }]
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
