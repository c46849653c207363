// 大屏: renders the figures' tree and the town comparisons embedded in the page, then refreshes them from
// /api/v1/stats/ and /api/v1/stats/towns/ every `data-refresh` seconds. Each tile opens the records behind it and
// says when its figure was read; a tile not refreshed for two periods is marked stale. The centre shows one town
// column at a time (a carousel of ECharts bar charts, dark theme); the ranking scrolls when it overflows.
(function () {
  "use strict";
  var cfg = document.getElementById("screen-config").dataset;
  var refreshS = parseInt(cfg.refresh, 10) || 60;
  var period = cfg.period || "";
  var tz = cfg.tz || undefined;  // the county's time, whatever the screen's computer is set to
  var state = JSON.parse(document.getElementById("screen-data").textContent);
  var lastOk = Date.now();
  var chart = null, slide = 0, slides = [];

  function fmt(v) {
    if (v === null || v === undefined) return "—";
    var n = Number(v);
    return n.toLocaleString("zh-CN", { maximumFractionDigits: 2 });
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function renderTiles() {
    document.querySelectorAll("[data-team]").forEach(function (panel) {
      var box = panel.querySelector(".tiles");
      box.textContent = "";
      var team = state.tree.teams.filter(function (t) { return t.key === panel.dataset.team; })[0];
      if (!team) { box.appendChild(el("p", "empty", cfg.none)); return; }
      team.mechanisms.forEach(function (m) {
        m.figures.forEach(function (f) {
          var a = el("a", "tile");
          a.href = f.url || "#";
          a.title = f.source;
          a.dataset.stale = cfg.stale;
          a.appendChild(el("span", "mech", m.label));
          var v = el("span", "value", fmt(f.value));
          v.appendChild(el("small", "", f.unit));
          a.appendChild(v);
          a.appendChild(el("span", "label", f.label));
          a.appendChild(el("span", "when", f.period));
          box.appendChild(a);
        });
      });
    });
    markStale();
  }

  function markStale() {
    var stale = Date.now() - lastOk > 2 * refreshS * 1000;
    document.querySelectorAll(".tile").forEach(function (t) { t.classList.toggle("stale", stale); });
    var badge = document.getElementById("screen-asof");
    var asOf = new Date(state.tree.as_of);
    badge.textContent = (stale ? cfg.stale + " · " : cfg.fresh + " ") + asOf.toLocaleTimeString("zh-CN", { hour12: false, timeZone: tz });
    badge.classList.toggle("stale", stale);
  }

  function buildSlides() {
    slides = [];
    state.boards.forEach(function (b) {
      b.columns.forEach(function (c, i) {
        var rows = b.rows.filter(function (r) { return r.cells[i].value !== null; });
        rows.sort(function (x, y) { return (x.cells[i].rank || 99) - (y.cells[i].rank || 99); });
        slides.push({ title: b.county + " · " + c.label + (c.unit ? "（" + c.unit + "）" : ""),
                      names: rows.map(function (r) { return r.name; }),
                      values: rows.map(function (r) { return r.cells[i].value; }) });
      });
    });
    var dots = document.getElementById("carousel-dots");
    dots.textContent = "";
    slides.forEach(function () { dots.appendChild(el("li")); });
  }

  function showSlide() {
    var box = document.getElementById("carousel-chart");
    if (!window.echarts) return;
    if (!chart) chart = echarts.init(box, "dark", { renderer: "canvas" });
    if (!slides.length) {
      document.getElementById("carousel-title").textContent = cfg.none;
      chart.clear();
      return;
    }
    slide = slide % slides.length;
    var s = slides[slide];
    document.getElementById("carousel-title").textContent = s.title;
    document.querySelectorAll("#carousel-dots li").forEach(function (d, i) { d.classList.toggle("on", i === slide); });
    chart.setOption({
      backgroundColor: "transparent",
      grid: { left: 110, right: 60, top: 10, bottom: 20 },
      xAxis: { type: "value", splitLine: { lineStyle: { color: "#1d2c4f" } } },
      yAxis: { type: "category", inverse: true, data: s.names, axisLabel: { fontSize: 14, color: "#dbe4f3" } },
      series: [{ type: "bar", data: s.values, barMaxWidth: 22, itemStyle: { color: "#4fd1ff" },
                 label: { show: true, position: "right", color: "#ffd54f", fontSize: 13 } }],
      animationDuration: 600
    }, true);
  }

  function renderRanking() {
    var list = document.getElementById("ranking");
    list.textContent = "";
    list.classList.remove("scrolling");
    var rows = [];
    state.boards.forEach(function (b) { b.rows.forEach(function (r) { rows.push([b, r]); }); });
    if (!rows.length) { list.appendChild(el("li", "empty", cfg.none)); return; }
    function add(pair) {
      var li = el("li");
      li.appendChild(el("span", "no", pair[1].rank ? String(pair[1].rank) : "—"));
      li.appendChild(el("span", "", pair[1].name));
      li.appendChild(el("span", "sub", state.boards.length > 1 ? pair[0].county : ""));
      list.appendChild(li);
    }
    rows.forEach(add);
    var box = list.parentElement;
    if (list.scrollHeight > box.clientHeight) {  // scroll forever: the list twice over, moved by half its height
      rows.forEach(add);
      list.style.setProperty("--ticker-seconds", Math.max(20, rows.length * 2.5) + "s");
      list.classList.add("scrolling");
    }
  }

  function render() {
    renderTiles();
    buildSlides();
    showSlide();
    renderRanking();
  }

  function refresh() {
    var q = period ? "?period=" + encodeURIComponent(period) : "";
    Promise.all([fetch("/api/v1/stats/" + q, { credentials: "same-origin" }),
                 fetch("/api/v1/stats/towns/" + q, { credentials: "same-origin" })])
      .then(function (rs) {
        if (!rs[0].ok || !rs[1].ok) throw new Error("refresh");
        return Promise.all([rs[0].json(), rs[1].json()]);
      })
      .then(function (d) { state = { tree: d[0], boards: d[1].boards }; lastOk = Date.now(); render(); })
      .catch(function () { markStale(); });
  }

  function tick() {
    var now = new Date();
    document.getElementById("screen-clock").textContent = now.toLocaleString("zh-CN", { hour12: false, timeZone: tz });
  }

  render();
  tick();
  setInterval(tick, 1000);
  setInterval(function () { slide += 1; showSlide(); }, 10000);
  setInterval(refresh, refreshS * 1000);
  setInterval(markStale, 15000);
  window.addEventListener("resize", function () { if (chart) chart.resize(); });
  document.addEventListener("change", function (e) {
    if (e.target.matches("select[data-autosubmit]")) e.target.form.submit();
  });
})();
