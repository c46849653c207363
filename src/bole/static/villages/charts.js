// Charts of the 强村 pages, from JSON the server embeds (no inline script; richText tooltips for the CSP).
(function () {
  function data(id) { var el = document.getElementById(id); return el ? JSON.parse(el.textContent) : null; }
  function draw() {
    if (!window.echarts) return;
    var s = data("sens-data");
    if (s && document.getElementById("sobol")) {
      echarts.init(document.getElementById("sobol")).setOption({
        tooltip: { trigger: "axis", renderMode: "richText" }, legend: { bottom: 0 },
        grid: { left: 90, right: 20, top: 10, bottom: 50 },
        xAxis: { type: "value", min: 0, max: 1 }, yAxis: { type: "category", data: s.factors },
        series: [{ name: s.labels.first, type: "bar", data: s.first, itemStyle: { color: "#1565c0" } },
                 { name: s.labels.total, type: "bar", data: s.total, itemStyle: { color: "#8b1a1a" } }]
      });
      var loo = s.loo.slice().reverse();
      echarts.init(document.getElementById("loo")).setOption({
        tooltip: { trigger: "axis", renderMode: "richText" }, legend: { bottom: 0 },
        grid: { left: 110, right: 20, top: 10, bottom: 50 }, xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", data: loo.map(function (r) { return s.names[r[0]] || r[0]; }) },
        series: [{ name: s.labels.loo, type: "bar", data: loo.map(function (r) { return r[1]; }), itemStyle: { color: "#6d4c41" } }]
      });
    }
    var t = data("trend-data");
    if (t && document.getElementById("trend")) {
      echarts.init(document.getElementById("trend")).setOption({
        tooltip: { trigger: "axis", renderMode: "richText" }, legend: { bottom: 0 },
        grid: { left: 50, right: 50, top: 20, bottom: 50 },
        xAxis: { type: "category", data: t.income.map(function (r) { return r[0]; }) },
        yAxis: [{ type: "value", name: t.labels.income }],
        series: [{ name: t.labels.income, type: "bar", data: t.income.map(function (r) { return r[1]; }), itemStyle: { color: "#8b1a1a" },
                   markLine: { symbol: "none", data: [{ yAxis: 70 }], lineStyle: { color: "#c62828" } } }]
      });
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
