// 数据大屏 (dashboard/screen.html): scale the 1920×1080 stage to the window without cropping, fetch the figures
// from the stage's data-src (yiti/dashboard/screen.py) and draw them, again every data-refresh-seconds.
(function () {
  "use strict";
  var WIDTH = 1920, HEIGHT = 1080;
  var charts = {};

  function fit(stage) {
    var scale = Math.min(window.innerWidth / WIDTH, window.innerHeight / HEIGHT);
    var left = (window.innerWidth - WIDTH * scale) / 2, top = (window.innerHeight - HEIGHT * scale) / 2;
    stage.style.transform = "translate(" + left + "px," + top + "px) scale(" + scale + ")";
  }

  function chart(id, data) {
    var el = document.getElementById(id);
    if (!el) { return; }
    document.getElementById(id + "-title").textContent = data.title;
    charts[id] = window.yitiCharts.draw(el, data, true);
  }

  function counters(box, items) {
    box.replaceChildren.apply(box, items.map(function (c) {
      var div = document.createElement("div");
      div.className = "yiti-counter";
      div.dataset.indicator = c.code;
      var name = document.createElement("div");
      name.className = "yiti-counter-name";
      name.textContent = c.name;
      var value = document.createElement("div");
      value.className = "yiti-counter-value";
      value.textContent = Number(c.value).toLocaleString("zh-CN");
      var unit = document.createElement("span");
      unit.className = "yiti-counter-unit";
      unit.textContent = c.unit;
      value.appendChild(unit);
      div.append(name, value);
      return div;
    }));
  }

  function map(data) {
    var panel = document.getElementById("map-panel");
    if (!data.map) { panel.hidden = true; return; }
    var m = data.map;
    // the map takes the centre: the two comparisons that sat there step aside
    document.getElementById("cmp-2-panel").hidden = true;
    document.getElementById("cmp-3-panel").hidden = true;
    panel.hidden = false;
    document.getElementById("map-title").textContent = m.title;
    document.getElementById("map-approval").textContent = "审图号：" + m.approval;
    var draw = function () {
      var el = document.getElementById("map");
      var values = m.data.map(function (d) { return d.value || 0; });
      var instance = window.echarts.getInstanceByDom(el) || window.echarts.init(el);
      instance.setOption({
        backgroundColor: "transparent",
        tooltip: { trigger: "item", formatter: function (p) { return p.name + "：" + (p.value || 0) + " " + m.unit; } },
        visualMap: { min: 0, max: Math.max.apply(null, values.concat([1])), calculable: true, left: 10, bottom: 10,
          textStyle: { color: "#cfe3ff" }, inRange: { color: ["#0b3a75", "#1890ff", "#36cfc9"] } },
        series: [{ type: "map", map: "yiti-county", roam: false, label: { show: true, color: "#e6f4ff", fontSize: 15 },
          itemStyle: { borderColor: "#7fb2ff", areaColor: "#0b3a75" }, data: m.data }]
      }, true);
      charts.map = instance;
    };
    if (window.echarts.getMap("yiti-county")) { draw(); return; }
    fetch(m.url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (geo) {
      if (m.name_property === "adcode") {  // official files carry the division code: name each feature after its county
        var names = {};
        m.data.forEach(function (d) { names[d.code] = d.name; });
        geo.features.forEach(function (f) {
          var code = f.properties && String(f.properties.adcode);
          if (names[code]) { f.properties.name = names[code]; }
        });
      }
      window.echarts.registerMap("yiti-county", geo);
      draw();
    });
  }

  function render(data) {
    document.getElementById("screen-year").textContent = data.year;
    document.getElementById("screen-updated").textContent = data.updated;
    counters(document.getElementById("counters"), data.counters);
    data.comparisons.forEach(function (c, i) { chart("cmp-" + i, c); });
    // fewer indicators than panels: an empty panel is left out rather than shown blank
    for (var i = data.comparisons.length; i < 4; i += 1) {
      document.getElementById("cmp-" + i).closest(".yiti-panel").hidden = true;
    }
    chart("agreements", data.agreements);
    chart("matching", data.matching);
    map(data);
  }

  function load(stage) {
    var error = document.getElementById("screen-error");
    fetch(stage.dataset.src, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) { error.hidden = true; render(data); })
      .catch(function () { error.hidden = false; });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var stage = document.getElementById("stage");
    if (!stage || !window.echarts) { return; }
    fit(stage);
    window.addEventListener("resize", function () { fit(stage); });
    load(stage);
    window.setInterval(function () { load(stage); }, Number(stage.dataset.refreshSeconds || 300) * 1000);
  });
})();
