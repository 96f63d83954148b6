/*
 * The grid map: grids drawn from their GeoJSON boundaries with ECharts (offline: no tiles), coloured by a figure.
 *
 * Contract (reused by the big screen):
 *   window.GrassrootsGridMap.render(element, url, {dark: false, labels: "auto", navigate: true}) -> Promise<chart|null>
 *     element: a sized block element (give it a height); url: the cockpit:grid_geojson endpoint, e.g.
 *       /cockpit/geo/grids.json?region=<id>&metric=<key>&period=this_month (or &from=&to=)
 *     The endpoint answers a GeoJSON FeatureCollection; each feature's properties are
 *       {id, name, community, value (number or null), url (the dashboard of that grid)}
 *     and the collection carries {region: {id, name}, metric: {key, label, unit, rule}}.
 *   Needs echarts (static/vendor/echarts/6.1.0/echarts.min.js) loaded first.
 *   After rendering it sets on the element: data-features="<count>", data-rendered="1" (or data-error="…").
 *   Clicking a grid goes to its dashboard (navigate: false to turn it off; the element also receives a
 *   "gridmap:click" CustomEvent with detail = the feature's properties).
 *   window.GrassrootsGridMap.refresh(element) re-fetches the same URL (the big screen's auto-refresh).
 */
(function () {
  "use strict";

  var charts = new WeakMap();

  function text(element, name, fallback) {
    return element.getAttribute("data-" + name) || fallback;
  }

  function option(geo, mapName, opts) {
    var dark = !!opts.dark;
    var metric = geo.metric || {};
    var rate = metric.rule === "rate";
    var values = [];
    var data = geo.features.map(function (f) {
      var p = f.properties;
      if (p.value !== null && p.value !== undefined) values.push(Number(p.value));
      return { name: p.key, value: p.value === null ? NaN : Number(p.value), props: p };
    });
    var max = values.length ? Math.max.apply(null, values) : 0;
    if (rate) max = Math.max(max, 100);
    var showLabels = opts.labels === "auto" ? geo.features.length <= 30 : !!opts.labels;
    var fg = dark ? "#e5eefc" : "#1f2937";
    return {
      backgroundColor: "transparent",
      tooltip: {
        trigger: "item",
        formatter: function (item) {
          var p = item.data && item.data.props;
          if (!p) return "";
          var v = p.value === null || p.value === undefined ? "—" : p.value + (rate ? "%" : "");
          return escapeHtml(p.name) + (p.community ? " · " + escapeHtml(p.community) : "") +
            "<br>" + escapeHtml(metric.label || "") + ": <b>" + escapeHtml(String(v)) + "</b>";
        }
      },
      visualMap: {
        type: "continuous",
        min: 0,
        max: max || 1,
        calculable: true,
        left: 8,
        bottom: 8,
        textStyle: { color: fg },
        inRange: { color: dark ? ["#16325c", "#2f6fd6", "#ffd166", "#ef476f"] : ["#fef2f2", "#fca5a5", "#dc2626", "#7f1d1d"] }
      },
      series: [{
        type: "map",
        map: mapName,
        nameProperty: "key",
        roam: true,
        selectedMode: false,
        label: { show: showLabels, color: fg, fontSize: dark ? 14 : 11, textBorderColor: dark ? "#0b1a33" : "#fff", textBorderWidth: 2,
                 formatter: function (item) { return item.data && item.data.props ? item.data.props.name : ""; } },
        itemStyle: { borderColor: dark ? "#7fb3ff" : "#6b7280", borderWidth: 1, areaColor: dark ? "#0e2244" : "#f3f4f6" },
        emphasis: { label: { show: true, color: fg }, itemStyle: { areaColor: dark ? "#4cc9f0" : "#fde68a" } },
        data: data
      }]
    };
  }

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function render(element, url, opts) {
    opts = Object.assign({ dark: false, labels: "auto", navigate: true }, opts || {});
    element.setAttribute("data-gridmap-url", url);
    element._gridmapOpts = opts;
    element.removeAttribute("data-error");
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json, application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (geo) {
        geo.features = (geo.features || []).filter(function (f) { return f && f.geometry; });
        geo.features.forEach(function (f) { f.properties.key = "g" + f.properties.id; });
        element.setAttribute("data-features", String(geo.features.length));
        if (!geo.features.length) {
          var old = charts.get(element);
          if (old) { old.dispose(); charts.delete(element); }
          element.innerHTML = "";
          var p = document.createElement("p");
          p.className = "empty gridmap-empty";
          p.textContent = text(element, "empty", "No grid has a boundary here.");
          element.appendChild(p);
          element.setAttribute("data-rendered", "1");
          return null;
        }
        var mapName = "grids-" + ((geo.region && geo.region.id) || "all");
        window.echarts.registerMap(mapName, { type: "FeatureCollection", features: geo.features });
        var chart = charts.get(element);
        if (!chart) {
          element.innerHTML = "";
          chart = window.echarts.init(element, opts.dark ? "dark" : null, { renderer: "canvas" });
          charts.set(element, chart);
          chart.on("click", function (event) {
            var p = event.data && event.data.props;
            if (!p) return;
            element.dispatchEvent(new CustomEvent("gridmap:click", { detail: p, bubbles: true }));
            if (element._gridmapOpts.navigate && p.url) window.location.assign(p.url);
          });
          window.addEventListener("resize", function () { chart.resize(); });
        }
        chart.setOption(option(geo, mapName, opts), true);
        element.setAttribute("data-rendered", "1");
        return chart;
      })
      .catch(function (error) {
        element.setAttribute("data-error", String(error && error.message || error));
        element.setAttribute("data-rendered", "1");
        element.textContent = text(element, "failed", "The map could not be loaded.");
        return null;
      });
  }

  function refresh(element) {
    var url = element.getAttribute("data-gridmap-url");
    return url ? render(element, url, element._gridmapOpts) : Promise.resolve(null);
  }

  window.GrassrootsGridMap = { render: render, refresh: refresh, chartOf: function (el) { return charts.get(el) || null; } };
})();
