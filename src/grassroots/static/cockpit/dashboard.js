/*
 * The cockpit dashboard's charts (ECharts, vendored) from the JSON the page embeds with json_script, the region
 * switcher, the grid map (gridmap.js) and a note when the rankings (loaded by htmx) fail. No data is interpolated
 * into scripts: CSP-friendly.
 */
(function () {
  "use strict";

  var PALETTE = ["#b3261e", "#1a56b5", "#d97706", "#15803d", "#7c3aed", "#0891b2", "#be185d", "#4b5563", "#65a30d", "#ea580c"];

  function data(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function chart(element) {
    var c = window.echarts.init(element, null, { renderer: "canvas" });
    window.addEventListener("resize", function () { c.resize(); });
    return c;
  }

  function trends(trend) {
    if (!trend || !trend.series.length) return;
    var main = document.querySelector('[data-chart="trend-main"]');
    var first = trend.series[0];
    var rate = first.rule === "rate";
    if (main) {
      chart(main).setOption({
        color: PALETTE,
        tooltip: { trigger: "axis" },
        grid: { left: 48, right: 16, top: 36, bottom: 28 },
        title: { text: first.label, textStyle: { fontSize: 13 } },
        xAxis: { type: "category", data: trend.months },
        yAxis: { type: "value", max: rate ? 100 : null, axisLabel: { formatter: rate ? "{value}%" : "{value}" } },
        series: [{ type: rate ? "line" : "bar", name: first.label, data: first.values, connectNulls: true }]
      });
    }
    var key = document.querySelector('[data-chart="trend-key"]');
    var others = trend.series.slice(1);
    if (key && others.length) {
      chart(key).setOption({
        color: PALETTE.slice(1),
        tooltip: { trigger: "axis" },
        legend: { top: 0, type: "scroll" },
        grid: { left: 48, right: 48, top: 36, bottom: 28 },
        xAxis: { type: "category", data: trend.months },
        yAxis: [{ type: "value" }, { type: "value", max: 100, axisLabel: { formatter: "{value}%" }, splitLine: { show: false } }],
        series: others.map(function (s) {
          return { type: "line", name: s.label, data: s.values, yAxisIndex: s.rule === "rate" ? 1 : 0, connectNulls: true, smooth: true };
        })
      });
    } else if (key) {
      key.hidden = true;
    }
  }

  function distributions(list) {
    if (!list) return;
    document.querySelectorAll('[data-chart="distribution"]').forEach(function (element) {
      var d = list[Number(element.getAttribute("data-index"))];
      if (!d || !d.items.length) return;
      var pie = d.items.length <= 8;
      var c = chart(element);
      c.setOption(pie ? {
        color: PALETTE,
        tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
        series: [{ type: "pie", radius: ["35%", "70%"], data: d.items, label: { formatter: "{b}" } }]
      } : {
        color: PALETTE,
        tooltip: { trigger: "axis" },
        grid: { left: 100, right: 16, top: 8, bottom: 24 },
        xAxis: { type: "value" },
        yAxis: { type: "category", inverse: true, data: d.items.map(function (i) { return i.name; }) },
        series: [{ type: "bar", data: d.items }]
      });
      c.on("click", function (event) {
        if (event.data && event.data.url) window.location.assign(event.data.url);
      });
    });
  }

  function switcher() {
    document.querySelectorAll("select[data-navigate]").forEach(function (select) {
      select.addEventListener("change", function () {
        if (select.value) window.location.assign(select.value);
      });
    });
    document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  }

  function map() {
    var element = document.querySelector("[data-gridmap]");
    if (element && window.GrassrootsGridMap) {
      window.GrassrootsGridMap.render(element, element.getAttribute("data-gridmap"), { dark: false });
    }
  }

  function rankings() {
    // The rankings load after the page (htmx); if that fails, say so and leave the link to their own page.
    var section = document.getElementById("cockpit-rankings");
    if (!section || !section.hasAttribute("hx-get")) return;
    function failed(event) {
      if (event.detail && event.detail.elt !== section) return;
      var note = section.querySelector("[data-loading]");
      if (note && note.firstChild) note.firstChild.textContent = section.getAttribute("data-failed") + " ";
      section.setAttribute("aria-busy", "false");
    }
    document.body.addEventListener("htmx:responseError", failed);
    document.body.addEventListener("htmx:sendError", failed);
  }

  function start() {
    switcher();
    rankings();
    if (!window.echarts) return;
    trends(data("cockpit-trends"));
    distributions(data("cockpit-distributions"));
    map();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
