// Draws a customer's monthly net revenue (bars) and contribution margin I (line) with
// ECharts, in the page's language.
(function () {
  "use strict";
  var element = document.getElementById("value-chart");
  var source = document.getElementById("value-chart-data");
  if (!element || !source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var lang = document.documentElement.lang || "de";
  var money = new Intl.NumberFormat(lang === "en" ? "en-GB" : "de-DE", { style: "currency", currency: "EUR", maximumFractionDigits: 0 });
  var labels = data.labels || { revenue: "", margin: "" };
  var series = [{ name: labels.revenue, type: "bar", data: data.revenue, itemStyle: { color: "#1f4e79" } }];
  if (data.margin) {
    series.push({ name: labels.margin, type: "line", data: data.margin, symbol: "none", lineStyle: { width: 2 }, itemStyle: { color: "#e07b00" } });
  }
  var chart = echarts.init(element, null, { renderer: "svg" });
  chart.setOption({
    grid: { left: 70, right: 20, top: 36, bottom: 40 },
    legend: { top: 0 },
    tooltip: { trigger: "axis", valueFormatter: function (v) { return money.format(v); } },
    xAxis: { type: "category", data: data.months },
    yAxis: { type: "value", axisLabel: { formatter: function (v) { return money.format(v); } } },
    series: series
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
