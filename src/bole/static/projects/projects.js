// Projects and investment by kind, from JSON embedded by the server (no inline script).
// Tooltips render as richText (drawn on the canvas): an HTML tooltip carries inline styles, which the
// Content-Security-Policy forbids.
(function () {
  function draw() {
    var el = document.getElementById("kind-chart"), src = document.getElementById("kind-chart-data");
    if (!window.echarts || !el || !src) return;
    var d = JSON.parse(src.textContent);
    echarts.init(el).setOption({
      tooltip: { trigger: "axis", renderMode: "richText" }, legend: { data: ["项目数", "总投资（亿元）"] }, grid: { left: 50, right: 60, bottom: 30 },
      xAxis: { type: "category", data: d.kinds },
      yAxis: [{ type: "value", name: "项目数", minInterval: 1 }, { type: "value", name: "亿元" }],
      series: [{ name: "项目数", type: "bar", data: d.counts, itemStyle: { color: "#8b1a1a" } },
               { name: "总投资（亿元）", type: "line", yAxisIndex: 1, data: d.investment, itemStyle: { color: "#1565c0" } }]
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
