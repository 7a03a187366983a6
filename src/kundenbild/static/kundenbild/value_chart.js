// Draws the monthly net revenue of a customer with ECharts, in the page's language.
(function () {
  "use strict";
  var element = document.getElementById("value-chart");
  var source = document.getElementById("value-chart-data");
  if (!element || !source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var lang = document.documentElement.lang || "de";
  var money = new Intl.NumberFormat(lang === "en" ? "en-GB" : "de-DE", { style: "currency", currency: "EUR", maximumFractionDigits: 0 });
  var chart = echarts.init(element, null, { renderer: "svg" });
  chart.setOption({
    grid: { left: 70, right: 20, top: 20, bottom: 40 },
    tooltip: { trigger: "axis", valueFormatter: function (v) { return money.format(v); } },
    xAxis: { type: "category", data: data.months },
    yAxis: { type: "value", axisLabel: { formatter: function (v) { return money.format(v); } } },
    series: [{ type: "bar", data: data.revenue, itemStyle: { color: "#1f4e79" } }]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
