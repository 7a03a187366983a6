// Draws a customer's monthly net revenue (bars) and contribution margin I (line) with
// ECharts, in the page's language; where the latest analysis forecast the coming months,
// their revenue continues as a dashed line inside a shaded 80 % band.
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
  var forecast = data.forecast;
  var bandName = labels.band;
  if (forecast) {
    // the band is drawn as an invisible "low" line with "high - low" stacked on top of it
    var width = forecast.high.map(function (high, i) {
      var low = forecast.low[i];
      return high === null || low === null ? null : Math.max(high - low, 0);
    });
    series.push({ name: "band-low", type: "line", data: forecast.low, stack: "band", symbol: "none", silent: true, lineStyle: { opacity: 0 }, tooltip: { show: false } });
    series.push({ name: bandName, type: "line", data: width, stack: "band", symbol: "none", silent: true, lineStyle: { opacity: 0 }, areaStyle: { color: "rgba(31, 78, 121, 0.18)" }, itemStyle: { color: "rgba(31, 78, 121, 0.35)" } });
    series.push({ name: labels.forecast, type: "line", data: forecast.revenue, symbol: "circle", symbolSize: 5, lineStyle: { width: 2, type: "dashed" }, itemStyle: { color: "#1f4e79" } });
  }

  function tooltip(params) {
    if (!params.length) { return ""; }
    var index = params[0].dataIndex;
    var rows = [];
    params.forEach(function (p) {
      if (p.seriesName === "band-low" || p.value === null || p.value === undefined || p.value === "-") { return; }
      var text = p.seriesName === bandName
        ? money.format(forecast.low[index]) + " – " + money.format(forecast.high[index])
        : money.format(p.value);
      rows.push(p.marker + " " + echarts.format.encodeHTML(p.seriesName) + ": <b>" + text + "</b>");
    });
    return [echarts.format.encodeHTML(params[0].axisValueLabel)].concat(rows).join("<br>");
  }

  // on a narrow screen the legend takes two lines; the plot starts below them
  function legendSpace() { return element.clientWidth < 560 ? 60 : 36; }

  var chart = echarts.init(element, null, { renderer: "svg" });
  chart.setOption({
    grid: { left: 70, right: 20, top: legendSpace(), bottom: 40 },
    legend: {
      top: 0,
      data: series.filter(function (s) { return s.name !== "band-low"; }).map(function (s) {
        return s.name === bandName ? { name: s.name, icon: "roundRect" } : s.name;
      })
    },
    tooltip: { trigger: "axis", formatter: tooltip },
    xAxis: { type: "category", data: data.months },
    yAxis: { type: "value", axisLabel: { formatter: function (v) { return money.format(v); } } },
    series: series
  });
  window.addEventListener("resize", function () {
    chart.setOption({ grid: { top: legendSpace() } });
    chart.resize();
  });
})();
