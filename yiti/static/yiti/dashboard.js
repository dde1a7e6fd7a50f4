// The home page's charts (dashboard/home.html): each .yiti-chart carries its figures in data-chart (built by
// yiti/dashboard/charts.py); the table beside it is what shows without JavaScript. Here: draw the chart, offer
// the chart/table toggle, open the records behind a bar on click, and redraw from the JSON endpoint when
// another indicator or year is chosen. Shared with the data screen (screen.js) through window.yitiCharts.
(function () {
  "use strict";

  function option(data, dark) {
    var text = dark ? "#cfe3ff" : "#1d273b";
    var grid = dark ? "rgba(120,170,255,0.15)" : "#e6e9ef";
    var size = dark ? 15 : 12;  // the data screen is read from across the room
    var base = {
      backgroundColor: "transparent",
      textStyle: { color: text, fontSize: size },
      tooltip: { trigger: data.kind === "funnel" ? "item" : "axis", confine: true },
      color: dark ? ["#36cfc9", "#ffc53d", "#597ef7", "#ff7a45"] : ["#206bc4", "#f59f00", "#2fb344", "#d63939"]
    };
    if (data.kind === "funnel") {
      base.series = [{
        type: "funnel", sort: "none", left: "10%", width: "80%", top: 10, bottom: 10, gap: 2, minSize: "28%",
        cursor: data.links && data.links.length ? "pointer" : "default",
        label: { show: true, position: "inside", color: "#fff", fontSize: size, formatter: "{b}  {c}" },
        data: data.categories.map(function (name, i) { return { name: name, value: data.series[0].data[i] }; })
      }];
      return base;
    }
    base.legend = { show: data.series.length > 1, top: 0, right: 10, textStyle: { color: text, fontSize: size } };
    base.grid = { left: 20, right: 20, top: 36, bottom: 10, containLabel: true };
    base.xAxis = { type: "category", data: data.categories,
      axisLabel: { color: text, fontSize: size, interval: 0, rotate: data.categories.length > 8 ? 30 : 0 } };
    base.yAxis = { type: "value", name: data.unit, nameTextStyle: { color: text, fontSize: size, align: "left" },
      axisLabel: { color: text, fontSize: size },
      splitLine: { lineStyle: { color: grid } } };
    base.series = data.series.map(function (s, i) {
      if (data.kind === "line") {
        return { name: s.name, type: "line", data: s.data, smooth: false, symbolSize: 7, connectNulls: false,
          areaStyle: { opacity: 0.12 } };
      }
      if (i > 0) {  // the target: a marker over each bar
        return { name: s.name, type: "scatter", data: s.data, symbol: "rect", symbolSize: [22, 3] };
      }
      return { name: s.name, type: "bar", data: s.data, barMaxWidth: 36, cursor: "pointer",
        label: { show: data.categories.length <= 12, position: "top", color: text, fontSize: size } };
    });
    return base;
  }

  function draw(el, data, dark) {
    var chart = window.echarts.getInstanceByDom(el) || window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option(data, dark), true);
    chart.off("click");
    chart.on("click", function (params) {
      var link = data.links && data.links[params.dataIndex];
      if (link) { window.location.href = link; }
    });
    return chart;
  }

  function cell(tag, text, className) {
    var node = document.createElement(tag);
    node.textContent = text;
    if (className) { node.className = className; }
    return node;
  }

  // The table view, rebuilt from fresh figures (same layout as dashboard/_chart.html).
  function fillTable(table, data) {
    var unit = data.unit ? "（" + data.unit + "）" : "";
    var head = document.createElement("tr");
    head.appendChild(cell("th", ""));
    data.series.forEach(function (s) { head.appendChild(cell("th", s.name + unit, "text-end text-nowrap")); });
    table.tHead.replaceChildren(head);
    var rows = data.categories.map(function (label, i) {
      var tr = document.createElement("tr");
      var first = cell("td", "", "text-nowrap");
      var link = data.links && data.links[i];
      if (link) {
        var a = cell("a", label);
        a.href = link;
        first.appendChild(a);
      } else {
        first.textContent = label;
      }
      tr.appendChild(first);
      data.series.forEach(function (s) {
        tr.appendChild(cell("td", s.data[i] === null ? "—" : String(s.data[i]), "text-end"));
      });
      return tr;
    });
    table.tBodies[0].replaceChildren.apply(table.tBodies[0], rows);
  }

  function setUp(card) {
    var el = card.querySelector(".yiti-chart");
    var tableBox = card.querySelector(".yiti-chart-table");
    var toggle = card.querySelector(".yiti-chart-toggle");
    var data = JSON.parse(el.getAttribute("data-chart"));
    el.hidden = false;
    tableBox.hidden = true;
    var chart = draw(el, data, false);
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var showTable = tableBox.hidden;
      tableBox.hidden = !showTable;
      el.hidden = showTable;
      toggle.textContent = showTable ? toggle.dataset.labelChart : toggle.dataset.labelTable;
      if (!showTable) { chart.resize(); }
    });
    window.addEventListener("resize", function () { chart.resize(); });
    var chooser = card.querySelector(".yiti-chart-chooser");
    if (chooser) {
      chooser.querySelector("button[type=submit]").hidden = true;  // a choice redraws at once
      chooser.addEventListener("submit", function (event) {
        event.preventDefault();
        var query = new URLSearchParams(new FormData(chooser)).toString();
        fetch(chooser.dataset.json + "?" + query, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
          .then(function (fresh) {
            data = fresh;
            draw(el, fresh, false);
            fillTable(tableBox.querySelector("table"), fresh);
            card.querySelector(".yiti-chart-title").textContent = fresh.title;
            card.querySelector(".yiti-chart-xlsx").href = fresh.xlsx;
          });
      });
      chooser.querySelectorAll("select").forEach(function (select) {
        select.addEventListener("change", function () { chooser.requestSubmit(); });
      });
    }
  }

  window.yitiCharts = { option: option, draw: draw };
  document.addEventListener("DOMContentLoaded", function () {
    if (!window.echarts) { return; }  // no chart library: the tables stay
    document.querySelectorAll(".yiti-chart-card").forEach(setUp);
  });
})();
