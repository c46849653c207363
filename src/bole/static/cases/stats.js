// Stats chart: counts as bars, on-time and satisfaction rates as lines (ECharts, served locally).
// Tooltips render as richText (drawn on the canvas): an HTML tooltip carries inline styles, which the
// Content-Security-Policy forbids.
(function () {
  var el = document.getElementById("chart");
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  if (!el || !window.echarts) return;
  var chart = echarts.init(el);
  // One big desk (thousands of project difficulties) would flatten the others to nothing: when the counts span
  // more than twenty times, the count axis is logarithmic (zero counts then show no bar) and says so.
  var counts = data.total.filter(function (v) { return v > 0; });
  var wide = counts.length > 1 && Math.max.apply(null, counts) > 20 * Math.min.apply(null, counts);
  function positive(values) { return values.map(function (v) { return wide && !(v > 0) ? null : v; }); }
  chart.setOption({
    tooltip: { trigger: "axis", renderMode: "richText" },
    legend: { top: 0, data: data.names },
    grid: { left: 50, right: 50, top: 50, bottom: 80 },
    xAxis: { type: "category", data: data.labels, axisLabel: { rotate: data.labels.length > 6 ? 30 : 0 } },
    yAxis: [wide ? { type: "log", logBase: 10, name: data.log_note } : { type: "value" },
            { type: "value", name: "%", max: 100 }],
    series: [
      { name: data.names[0], type: "bar", data: positive(data.total), itemStyle: { color: "#b0bec5" } },
      { name: data.names[1], type: "bar", data: positive(data.resolved), itemStyle: { color: "#8b1a1a" } },
      { name: data.names[2], type: "line", yAxisIndex: 1, data: data.on_time_rate, itemStyle: { color: "#2e7d32" } },
      { name: data.names[3], type: "line", yAxisIndex: 1, data: data.satisfaction, itemStyle: { color: "#f9a825" } }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
