/* The big screen (数据驾驶舱): draws the figures embedded in the page, then fetches them again every minute
 * (``?refresh=<seconds>``, 10 to 3600) and updates numbers and charts in place. On a failed fetch it keeps the
 * last figures and says so discreetly. ECharts comes from the project's static files; nothing from the internet. */
(function () {
  "use strict";

  var body = document.body;
  var lang = document.documentElement.lang || "zh-hans";
  var strings = JSON.parse(document.getElementById("screen-strings").textContent);
  var data = JSON.parse(document.getElementById("screen-data").textContent);
  var charts = {};
  var COLORS = ["#35e0ff", "#ffd34d", "#3e8bff", "#3ee6a0", "#ff8a5c", "#b28dff", "#ff6b9a", "#7f9cc8"];
  var TEXT = "#d8e8ff";
  var MUTED = "#7f9cc8";
  var LINE = "rgba(70, 160, 255, 0.25)";

  function numberFormat(digits) {
    try {
      return new Intl.NumberFormat(lang, { maximumFractionDigits: digits, minimumFractionDigits: 0 });
    } catch (e) {
      return new Intl.NumberFormat("zh-CN", { maximumFractionDigits: digits });
    }
  }
  var plain = numberFormat(1);

  function fmt(value, rate) {
    if (value === null || value === undefined) return "—";
    if (rate) return Number(value).toFixed(1) + "%";
    return plain.format(value);
  }

  function interpolate(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_, name) { return values[name]; });
  }

  function refreshSeconds() {
    var asked = parseInt(new URLSearchParams(window.location.search).get("refresh") || body.dataset.refresh, 10);
    return Math.min(3600, Math.max(10, isNaN(asked) ? 60 : asked));
  }

  /* The clock ---------------------------------------------------------------------------------------------- */

  /* The server's time zone (Asia/Shanghai), whatever the display computer's own setting. */
  var zone = body.dataset.timeZone || undefined;

  function formatter(options) {
    try {
      return new Intl.DateTimeFormat(lang, Object.assign({ timeZone: zone }, options));
    } catch (e) {
      return new Intl.DateTimeFormat(undefined, options);
    }
  }
  var clockFormat = formatter({ hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
  var dateFormat = formatter({ year: "numeric", month: "long", day: "numeric", weekday: "long" });

  function tick() {
    var now = new Date();
    document.getElementById("screen-clock").textContent = clockFormat.format(now);
    var day = dateFormat.format(now);
    var el = document.getElementById("screen-date");
    if (el.textContent !== day) el.textContent = day;
  }

  /* Headline figures --------------------------------------------------------------------------------------- */

  function fit(el) {
    el.style.fontSize = "";
    var size = parseFloat(window.getComputedStyle(el).fontSize);
    while (el.scrollWidth > el.clientWidth && size > 36) {
      size -= 2;
      el.style.fontSize = size + "px";
    }
  }

  function setText(el, text) {
    if (!el || el.textContent === text) return;
    el.textContent = text;
    el.classList.add("changed");
    window.setTimeout(function () { el.classList.remove("changed"); }, 1200);
  }

  function drawCards(cards) {
    cards.forEach(function (card) {
      var box = document.querySelector('.kpi[data-key="' + card.key + '"]');
      if (!box) return;
      var main = box.querySelector('[data-figure="main"]');
      setText(main, fmt(card.stock ? card.total : card.year, card.rate));
      setText(box.querySelector('[data-figure="total"]'), fmt(card.total, card.rate));
      if (card.rate && card.denominator) {
        box.title = card.definition + " (" + fmt(card.numerator) + " / " + fmt(card.denominator) + ")";
      }
      fit(main);
    });
  }

  /* Charts ------------------------------------------------------------------------------------------------- */

  function chart(id) {
    if (!charts[id]) {
      var el = document.getElementById(id);
      if (!el || !window.echarts) return null;
      charts[id] = window.echarts.init(el, null, { renderer: "canvas" });
    }
    return charts[id];
  }

  var AXIS = {
    axisLine: { lineStyle: { color: LINE } },
    axisLabel: { color: MUTED, fontSize: 14 },
    splitLine: { lineStyle: { color: LINE, type: "dashed" } },
  };

  function drawTrend(trend) {
    var c = chart("chart-trend");
    if (!c) return;
    var series = trend.series.map(function (s, i) {
      var bar = s.key === "cases_submitted";
      return {
        name: s.label,
        type: bar ? "bar" : "line",
        data: s.values,
        smooth: true,
        symbolSize: 7,
        barMaxWidth: 16,
        itemStyle: { color: bar ? "rgba(62, 139, 255, 0.75)" : COLORS[i === 0 ? 0 : 1], borderRadius: bar ? [3, 3, 0, 0] : 0 },
        lineStyle: { width: 3 },
        areaStyle: bar || i !== 0 ? undefined : { color: "rgba(53, 224, 255, 0.12)" },
      };
    });
    c.setOption({
      backgroundColor: "transparent",
      animationDuration: 600,
      textStyle: { color: TEXT },
      grid: { left: 52, right: 16, top: 44, bottom: 30 },
      legend: { top: 0, textStyle: { color: TEXT, fontSize: 16 }, itemWidth: 18, itemHeight: 10 },
      tooltip: {
        trigger: "axis",
        formatter: function (params) {
          var lines = [trend.titles[params[0].dataIndex]];
          params.forEach(function (p) { lines.push(p.marker + p.seriesName + "  " + fmt(p.value)); });
          return lines.join("<br>");
        },
      },
      xAxis: Object.assign({ type: "category", data: trend.labels, axisTick: { show: false } }, AXIS, {
        splitLine: { show: false },
        axisLabel: { color: MUTED, fontSize: 14, interval: 0 },
      }),
      yAxis: Object.assign({ type: "value", minInterval: 1 }, AXIS),
      series: series,
    });
  }

  function drawPie(distribution) {
    var c = chart("chart-categories");
    if (!c) return;
    var total = distribution.slices.reduce(function (sum, s) { return sum + s.value; }, 0);
    var values = {};
    distribution.slices.forEach(function (s) { values[s.name] = s.value; });
    c.setOption({
      backgroundColor: "transparent",
      color: COLORS,
      textStyle: { color: TEXT },
      title: total ? {
        show: true, text: fmt(total), subtext: strings.this_year, left: "26%", top: "42%", textAlign: "center",
        textStyle: { color: TEXT, fontSize: 30, fontWeight: "bold" }, subtextStyle: { color: MUTED, fontSize: 15 },
      } : {
        show: true, text: strings.nothing, left: "center", top: "middle",
        textStyle: { color: MUTED, fontSize: 20, fontWeight: "normal" },
      },
      tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
      legend: {
        orient: "vertical", right: 0, top: "middle", itemGap: 10, itemWidth: 14, itemHeight: 14,
        textStyle: { color: TEXT, fontSize: 17 },
        formatter: function (name) {
          var v = values[name] || 0;
          var share = total ? Math.round((1000 * v) / total) / 10 : 0;
          var short = name.length > 7 ? name.slice(0, 7) + "…" : name;
          return short + "  " + fmt(v) + " · " + share + "%";
        },
      },
      series: [{
        name: distribution.label,
        type: "pie",
        radius: ["40%", "70%"],
        center: ["26%", "52%"],
        avoidLabelOverlap: true,
        label: { show: false },
        itemStyle: { borderColor: "#061434", borderWidth: 2 },
        data: distribution.slices,
      }],
    }, { notMerge: true });
  }

  /* Rankings ----------------------------------------------------------------------------------------------- */

  function row(no, name, url, value, share, title) {
    var li = document.createElement("li");
    var n = document.createElement("span");
    n.className = "no";
    n.textContent = String(no);
    var label = document.createElement(url ? "a" : "span");
    label.className = "name";
    label.textContent = name;
    if (url) label.href = url;
    var bar = document.createElement("span");
    bar.className = "bar";
    var fill = document.createElement("i");
    fill.style.width = Math.max(0, Math.min(100, share)) + "%";
    bar.appendChild(fill);
    var v = document.createElement("span");
    v.className = "value";
    v.textContent = value;
    if (title) li.title = title;
    li.append(n, label, bar, v);
    return li;
  }

  function fill(list, items) {
    if (!items.length) {
      var empty = document.createElement("li");
      empty.className = "empty";
      empty.textContent = strings.nothing;
      list.replaceChildren(empty);
      return;
    }
    list.replaceChildren.apply(list, items);
  }

  function drawRankings(rankings) {
    rankings.lists.forEach(function (ranking) {
      var list = document.querySelector('[data-list="' + ranking.key + '"] .ranking');
      if (!list) return;
      var top = ranking.rows.reduce(function (m, r) { return Math.max(m, r.value); }, 0);
      fill(list, ranking.rows.map(function (r, i) {
        var share = ranking.rate ? r.value : (top ? (100 * r.value) / top : 0);
        var title = ranking.rate ? fmt(r.numerator) + " / " + fmt(r.denominator) : null;
        return row(i + 1, r.name, r.url, fmt(r.value, ranking.rate), share, title);
      }));
    });
  }

  function drawDepartments(departments) {
    var list = document.getElementById("departments");
    if (!list) return;
    fill(list, departments.map(function (d, i) {
      var title = fmt(d.on_time) + " / " + fmt(d.received) + " " + strings.received;
      return row(i + 1, d.name, null, fmt(d.on_time_rate, true), d.on_time_rate, title);
    }));
  }

  /* The grid map ------------------------------------------------------------------------------------------- */

  /* The map fills its panel (the grid map's own layout leaves room for a page's margins). */
  function fillPanel(map) {
    if (map) map.setOption({ series: [{ layoutCenter: ["54%", "50%"], layoutSize: "96%" }] });
    return map;
  }

  function drawMap(again) {
    var el = document.getElementById("grid-map");
    var url = el && el.dataset.url;
    if (!url || !window.GrassrootsGridMap) return;
    var drawn = again && el.getAttribute("data-gridmap-url")
      ? window.GrassrootsGridMap.refresh(el)
      : window.GrassrootsGridMap.render(el, url, { dark: true });
    return Promise.resolve(drawn).then(fillPanel);
  }

  /* Refresh ------------------------------------------------------------------------------------------------ */

  function draw(payload) {
    drawCards(payload.cards);
    drawTrend(payload.trend);
    drawPie(payload.distribution);
    drawRankings(payload.rankings);
    drawDepartments(payload.departments);
    document.getElementById("screen-updated").textContent =
      interpolate(strings.updated, { time: payload.generated_time });
  }

  function warn(message) {
    var el = document.getElementById("screen-warning");
    el.textContent = message || "";
    el.hidden = !message;
  }

  function update() {
    return fetch(body.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok || response.redirected) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (payload) {
        data = payload;
        draw(payload);
        drawMap(true);
        warn("");
      })
      .catch(function () {
        warn(interpolate(strings.failed, { time: data.generated_time }));
      });
  }

  function start() {
    tick();
    window.setInterval(tick, 1000);
    draw(data);
    drawMap();
    window.setInterval(update, refreshSeconds() * 1000);
    window.GrassrootsScreen = { update: update, data: function () { return data; } };
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
