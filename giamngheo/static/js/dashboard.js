/* Charts of the dashboard and the progress report page (Chart.js, vendored).
 * Each <canvas data-chart="ID" data-kind="KIND"> reads the figures from <script id="ID" type="application/json">
 * (Django's json_script) and draws the chart of its kind. No data leaves the page; nothing loads from elsewhere. */
(function () {
  "use strict";
  var RED = "#b3261e", AMBER = "#f2a93b", GREEN = "#1e7b34", INK = "#1f2328", GREY = "#8c959f";

  function data(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  // Numbers the way the page's language writes them: Vietnamese 4,5% and 1.545; English 4.5% and 1,545.
  // Written out by hand (not Intl) so a browser without Vietnamese locale data still shows 4,5.
  var english = (document.documentElement.lang || "vi").indexOf("en") === 0;
  var DECIMAL = english ? "." : ",", GROUP = english ? "," : ".";

  function number(value) {
    if (value === null || value === undefined || isNaN(value)) { return ""; }
    var negative = value < 0;
    var fixed = Math.abs(Number(value)).toFixed(2).replace(/\.?0+$/, "");
    var parts = fixed.split(".");
    var whole = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, GROUP);
    return (negative ? "-" : "") + whole + (parts[1] ? DECIMAL + parts[1] : "");
  }

  function percent(value) { return number(value) + "%"; }

  function percentAxis() {
    return { beginAtZero: true, ticks: { callback: function (v) { return percent(v); } } };
  }

  function countAxis() {
    return { beginAtZero: true, ticks: { callback: function (v) { return number(v); } } };
  }

  // Tooltips: "Hộ nghèo: 4,5%" on the rate charts, "Đã chi: 1.500.000" elsewhere.
  function tooltip(format) {
    return { callbacks: { label: function (context) {
      var value = context.parsed && typeof context.parsed === "object"
        ? (context.chart.options.indexAxis === "y" ? context.parsed.x : context.parsed.y) : context.parsed;
      return (context.dataset.label ? context.dataset.label + ": " : "") + format(value);
    } } };
  }

  var builders = {
    rates: function (d) {
      var datasets = [
        { type: "bar", label: d.label_poor || "Poor", data: d.poor, backgroundColor: RED },
        { type: "bar", label: d.label_near_poor || "Near-poor", data: d.near_poor, backgroundColor: AMBER }
      ];
      if (d.poor_target && d.poor_target.some(function (v) { return v !== null; })) {
        datasets.push({ type: "line", label: d.label_target || "Target (poor)", data: d.poor_target, borderColor: INK,
          borderDash: [4, 3], pointStyle: "line", pointRadius: 8, showLine: false, fill: false });
      }
      return { type: "bar", data: { labels: d.labels, datasets: datasets },
        options: { scales: { y: percentAxis() }, plugins: { tooltip: tooltip(percent) } } };
    },
    indicators: function (d) {
      var datasets = [{ type: "bar", label: d.label_actual || "Actual", data: d.indicator_actual, backgroundColor: GREEN }];
      if (d.indicator_target && d.indicator_target.some(function (v) { return v !== null; })) {
        datasets.push({ type: "line", label: d.label_target || "Target", data: d.indicator_target, borderColor: INK,
          borderDash: [4, 3], pointStyle: "line", pointRadius: 8, showLine: false, fill: false });
      }
      return { type: "bar", data: { labels: d.indicator_labels, datasets: datasets },
        options: { indexAxis: "y", scales: { x: Object.assign(percentAxis(), { max: 100 }) },
          plugins: { tooltip: tooltip(percent) } } };
    },
    trend: function (d) {
      return { type: "line", data: { labels: d.years, datasets: [
        { label: d.label_poor || "Poor", data: d.trend_poor || d.poor, borderColor: RED, backgroundColor: RED, tension: 0.2 },
        { label: d.label_near_poor || "Near-poor", data: d.trend_near_poor || d.near_poor, borderColor: AMBER, backgroundColor: AMBER, tension: 0.2 }
      ] }, options: { scales: { y: percentAxis() }, plugins: { tooltip: tooltip(percent) } } };
    },
    spending: function (d) {
      return { type: "bar", data: { labels: d.source_labels, datasets: [
        { label: d.label_received || "Received", data: d.received, backgroundColor: GREY },
        { label: d.label_spent || "Spent", data: d.spent, backgroundColor: RED }
      ] }, options: { scales: { y: countAxis() }, plugins: { tooltip: tooltip(number) } } };
    },
    supports: function (d) {
      return { type: "bar", data: { labels: d.kind_labels, datasets: [
        { label: d.label_count || "Supports", data: d.kind_counts, backgroundColor: GREEN }
      ] }, options: { indexAxis: "y", scales: { x: countAxis() }, plugins: { tooltip: tooltip(number) } } };
    }
  };

  function draw() {
    if (typeof window.Chart === "undefined") { return; }
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var d = data(canvas.getAttribute("data-chart"));
      var build = builders[canvas.getAttribute("data-kind")];
      if (!d || !build) { return; }
      var config = build(d);
      var own = config.options || {};
      config.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false,
        locale: english ? "en" : "vi-VN" }, own);
      config.options.plugins = Object.assign({ legend: { position: "bottom" } }, own.plugins || {});
      new window.Chart(canvas, config);
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
