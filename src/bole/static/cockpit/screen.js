// 大屏: renders the figures' tree and the town comparisons embedded in the page, then refreshes them from
// /api/v1/stats/ and /api/v1/stats/towns/ every `data-refresh` seconds. Each tile opens the records behind it and
// says when its figure was read; a tile not refreshed for two periods is marked stale. The centre shows one town
// column at a time (a carousel of ECharts bar charts, dark theme); the ranking scrolls when it overflows.
// The map starts at the user's region (a city's counties, a county's towns, a town's villages) from the schematic
// outlines under static/cockpit/maps/ (same origin; a region without one is laid out as a grid of cells), colours
// a county's towns by the carousel's current column when it is that county's (else by their overall rank) and a
// town's villages by the columns' village values; a click drills down, the back button goes up.
(function () {
  "use strict";
  var cfg = document.getElementById("screen-config").dataset;
  var refreshS = parseInt(cfg.refresh, 10) || 60;
  var period = cfg.period || "";
  var tz = cfg.tz || undefined;  // the county's time, whatever the screen's computer is set to
  var state = JSON.parse(document.getElementById("screen-data").textContent);
  var lastOk = Date.now();
  var chart = null, slide = 0, slides = [];
  var mapCfg = JSON.parse(document.getElementById("map-data").textContent);

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
        if (m.empty) return;  // nothing on record in this scope and period: no row of zeros
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
                      label: c.label + (c.unit ? "（" + c.unit + "）" : ""), key: c.key, better: c.higher_is_better,
                      county: b.rows.length ? b.rows[0].code.slice(0, 6) : "",
                      codes: rows.map(function (r) { return r.code; }),
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
      grid: { left: 100, right: 50, top: 6, bottom: 20 },
      xAxis: { type: "value", splitLine: { lineStyle: { color: "#1d2c4f" } } },
      yAxis: { type: "category", inverse: true, data: s.names, axisLabel: { fontSize: s.names.length > 10 ? 12 : 14, color: "#dbe4f3", interval: 0 } },
      series: [{ type: "bar", data: s.values, barMaxWidth: 22, itemStyle: { color: "#4fd1ff" },
                 label: { show: true, position: "right", color: "#ffd54f", fontSize: s.names.length > 10 ? 11 : 13 } }],
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

  // ---- the map ----
  var mapChart = null, mapPath = [], geo = {}, byCode = {}, kidsOf = {}, shown = null;
  if (mapCfg) {
    mapCfg.regions.forEach(function (r) {
      byCode[r[0]] = { code: r[0], name: r[1], level: r[2], parent: r[3] };
      (kidsOf[r[3]] = kidsOf[r[3]] || []).push(r[0]);
    });
    byCode[mapCfg.root.code] = { code: mapCfg.root.code, name: mapCfg.root.name, level: mapCfg.root.level };
    mapPath = [mapCfg.root.code];
  }

  function loadGeo(file) {  // one schematic file, fetched once; null when it cannot be read
    if (!(file in geo)) {
      geo[file] = fetch(mapCfg.files[file], { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; }).catch(function () { return null; });
    }
    return geo[file];
  }

  function gridGeo(codes) {  // no outline shipped: the regions as a grid of cells, in code order
    var cols = Math.ceil(Math.sqrt(codes.length * 1.6)), size = 0.1;
    return { type: "FeatureCollection", grid: true, features: codes.map(function (code, i) {
      var x = (i % cols) * size, y = -Math.floor(i / cols) * size, d = size * 0.94;
      return { type: "Feature", properties: { code: code, name: byCode[code].name },
               geometry: { type: "Polygon", coordinates: [[[x, y], [x + d, y], [x + d, y - d], [x, y - d], [x, y]]] } };
    }) };
  }

  function outlineFor(code, kids) {  // the features of `code`'s sub-regions: shipped ones if they cover them all
    var node = byCode[code];
    var file = node.level === "town" ? code.slice(0, 6) : code;
    var want = node.level === "city" ? "county" : node.level === "county" ? "town" : "village";
    var p = mapCfg.files[file] ? loadGeo(file) : Promise.resolve(null);
    return p.then(function (fc) {
      var feats = fc ? fc.features.filter(function (f) {
        return f.properties.level === want && (want !== "village" || f.properties.parent === code);
      }) : [];
      var have = {};
      feats.forEach(function (f) { have[f.properties.code] = true; });
      var covered = kids.every(function (k) { return have[k]; });
      if (!covered) return gridGeo(kids);
      // a city shows its other counties too (unclickable); a county or town only its own sub-regions
      if (want !== "county") feats = feats.filter(function (f) { return kids.indexOf(f.properties.code) >= 0; });
      return { type: "FeatureCollection", features: feats };
    });
  }

  function mapValues(code) {  // {values: {code: value}, label, better} for the sub-regions of `code`
    var node = byCode[code], s = slides[slide % (slides.length || 1)];
    if (node.level === "county") {
      if (s && s.county === code) {
        var v = {};
        s.codes.forEach(function (c, i) { v[c] = s.values[i]; });
        return { values: v, label: s.label, better: s.better };
      }
      var b = state.boards.filter(function (x) { return x.rows.length && x.rows[0].code.slice(0, 6) === code; })[0];
      if (!b) return null;
      var r = {};
      b.rows.forEach(function (x) { if (x.rank) r[x.code] = x.rank; });
      return { values: r, label: cfg.mapRank, better: false };
    }
    if (node.level === "town") {
      var keys = Object.keys(mapCfg.villages);
      if (s && keys.indexOf(s.key) > 0) { keys.splice(keys.indexOf(s.key), 1); keys.unshift(s.key); }
      for (var k = 0; k < keys.length; k++) {
        var vals = {}, any = false;
        (kidsOf[code] || []).forEach(function (c) {
          if (mapCfg.villages[keys[k]][c] !== undefined) { vals[c] = mapCfg.villages[keys[k]][c]; any = true; }
        });
        if (any) {
          var col = null;
          state.boards.forEach(function (x) { x.columns.forEach(function (c) { if (c.key === keys[k]) col = c; }); });
          return { values: vals, label: col ? col.label + (col.unit ? "（" + col.unit + "）" : "") : "",
                   better: col ? col.higher_is_better : true };
        }
      }
    }
    return null;
  }

  var ASPECT = 0.87;  // cos 30°: a degree of longitude is this much shorter than one of latitude here
  function fitBox(b, scale) {  // the largest map that keeps its shape, beside the legend: ECharts' centre and size
    var w = mapChart.getWidth() - 80, h = mapChart.getHeight() - 12;
    var aspect = (b[2] - b[0]) / Math.max(b[3] - b[1], 1e-9) * scale;
    var size = aspect > 1 ? Math.min(w, h * aspect) : Math.min(h, w / aspect);
    return { center: [80 + w / 2, 6 + h / 2], size: size };
  }

  function paintMap() {  // (re)colour the shown level
    if (!mapChart || !shown) return;
    var code = shown.code, vals = mapValues(code), names = shown.names, slideCounty = (slides[slide % (slides.length || 1)] || {}).county;
    var data = shown.codes.map(function (c) {
      var item = { name: c, value: vals && vals.values[c] !== undefined ? vals.values[c] : null };
      if (!byCode[c]) item.itemStyle = { areaColor: "#121a2e", borderColor: "#2a3a5e" };  // no data in Bole
      else if (byCode[code].level === "city" && c === slideCounty) item.itemStyle = { areaColor: "#7a5b12" };
      return item;
    });
    var nums = data.map(function (d) { return d.value; }).filter(function (v) { return v !== null; });
    var min = nums.length ? Math.min.apply(null, nums) : 0, max = nums.length ? Math.max.apply(null, nums) : 1;
    if (max === min) { if (vals && !vals.better) max = min + 1; else min = max - 1; }  // one value: at the good end
    document.getElementById("map-title").textContent = byCode[code].name + (vals && vals.label ? " · " + vals.label : "");
    var back = document.getElementById("map-back");
    back.hidden = mapPath.length < 2;
    var fit = fitBox(shown.bbox, shown.scale);
    mapChart.setOption({
      backgroundColor: "transparent",
      tooltip: { renderMode: "richText", formatter: function (p) { return (names[p.name] || p.name) + (p.value === p.value && p.value !== null ? "：" + fmt(p.value) : ""); } },
      visualMap: { show: nums.length > 0, type: "continuous", min: min, max: max, left: 8, bottom: 8, itemHeight: 90,
                   text: [fmt(max), fmt(min)],
                   calculable: false, textStyle: { color: "#dbe4f3" }, seriesIndex: 0,
                   inRange: { color: vals && !vals.better ? ["#ffd54f", "#3aa6e8", "#1d4f9a"] : ["#1d4f9a", "#3aa6e8", "#ffd54f"] } },
      series: [{ type: "map", map: "bole-" + code, nameProperty: "code", roam: false, selectedMode: false, aspectScale: shown.scale,
                 layoutCenter: fit.center, layoutSize: fit.size,
                 label: { show: true, color: "#f2f6ff", fontSize: shown.codes.length > 12 ? 11 : 13, textBorderColor: "#0b1220", textBorderWidth: 2,
                          formatter: function (p) { return names[p.name] || p.name; } },
                 itemStyle: { areaColor: "#2a3348", borderColor: "#6fb6ff", borderWidth: 1 },  // no value: grey
                 emphasis: { label: { color: "#fff" }, itemStyle: { areaColor: "#c0392b" } },
                 data: data }]
    }, true);
  }

  function showMap(code) {
    var box = document.getElementById("map-chart");
    if (!window.echarts) return;
    if (!mapChart) {
      mapChart = echarts.init(box, "dark", { renderer: "canvas" });
      mapChart.on("click", function (p) {
        if (p.name && kidsOf[p.name] && kidsOf[p.name].length) { mapPath.push(p.name); showMap(p.name); }
      });
    }
    var kids = kidsOf[code] || [];
    if (!kids.length) {
      mapChart.clear();
      document.getElementById("map-title").textContent = byCode[code].name + " · " + cfg.mapNone;
      return;
    }
    outlineFor(code, kids).then(function (fc) {
      echarts.registerMap("bole-" + code, fc);
      var names = {};
      fc.features.forEach(function (f) { names[f.properties.code] = byCode[f.properties.code] ? byCode[f.properties.code].name : f.properties.name; });
      var bbox = [Infinity, Infinity, -Infinity, -Infinity];
      fc.features.forEach(function (f) {
        f.geometry.coordinates[0].forEach(function (p) {
          bbox = [Math.min(bbox[0], p[0]), Math.min(bbox[1], p[1]), Math.max(bbox[2], p[0]), Math.max(bbox[3], p[1])];
        });
      });
      shown = { code: code, codes: fc.features.map(function (f) { return f.properties.code; }), names: names, bbox: bbox,
                scale: fc.grid ? 1 : ASPECT };  // the grid's cells are square
      paintMap();
    });
  }

  function render() {
    renderTiles();
    buildSlides();
    showSlide();
    renderRanking();
    paintMap();
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
  if (mapCfg) showMap(mapPath[0]);
  else document.getElementById("map-chart").appendChild(el("p", "empty", cfg.none));  // no region to draw
  document.getElementById("map-back").addEventListener("click", function () {
    if (mapPath.length > 1) { mapPath.pop(); showMap(mapPath[mapPath.length - 1]); }
  });
  tick();
  setInterval(tick, 1000);
  setInterval(function () { slide += 1; showSlide(); paintMap(); }, 10000);
  setInterval(refresh, refreshS * 1000);
  setInterval(markStale, 15000);
  window.addEventListener("resize", function () { if (chart) chart.resize(); if (mapChart) { mapChart.resize(); paintMap(); } });
  document.addEventListener("change", function (e) {
    if (e.target.matches("select[data-autosubmit]")) e.target.form.submit();
  });
})();
