// The portfolio over time: one stacked bar per analysis run, its parts the value types
// (or lifecycle phases) of the shown customers in that run; the switches above the chart
// choose the grouping and the value (revenue, contribution margin I, forecast).
(function () {
  "use strict";
  var element = document.getElementById("portfolio-timeline-chart");
  var source = document.getElementById("portfolio-timeline-data");
  if (!element || !source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var lang = document.documentElement.lang || "de";
  var money = new Intl.NumberFormat(lang === "en" ? "en-GB" : "de-DE", { style: "currency", currency: "EUR", maximumFractionDigits: 0 });
  var count = new Intl.NumberFormat(lang === "en" ? "en-GB" : "de-DE");
  // the value types in the matrix's colours (portfolio_chart.js), the phases from
  // coming (green) through mature (blue) to going (orange) and gone (grey)
  var colours = {
    steady: "#1f4e79", cyclical: "#7b5ea7", bell: "#e07b00", growth: "#1b8a5a", shrinking: "#c0392b", burr: "#8c8c8c", insufficient_history: "#b0b7c3",
    ramp_up: "#1b8a5a", mature: "#1f4e79", phase_out: "#e07b00", lost: "#8c8c8c"
  };

  function checked(name) {
    var input = document.querySelector("input[name='" + name + "']:checked");
    return input ? input.value : null;
  }

  function option(grouping, measure) {
    var groups = data.groupings[grouping] || [];
    var series = groups.map(function (group) {
      return {
        name: group.label, type: "bar", stack: "value", barMaxWidth: 56,
        itemStyle: { color: colours[group.key] || "#333" },
        emphasis: { focus: "series" },
        data: group[measure].map(function (value, i) { return { value: value, customers: group.customers[i] }; })
      };
    });
    return {
      grid: { left: 90, right: 24, top: 48, bottom: 40 },
      legend: { top: 0, type: "scroll" },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, formatter: function (items) {
        if (!items.length) { return ""; }
        var encode = echarts.format.encodeHTML;
        var total = 0;
        var rows = items.filter(function (item) { return item.data.customers; }).map(function (item) {
          total += item.data.value;
          return item.marker + " " + encode(item.seriesName) + ": <b>" + money.format(item.data.value) + "</b> (" + count.format(item.data.customers) + " " + encode(data.customers_label) + ")";
        });
        return [encode(items[0].axisValueLabel) + ": <b>" + money.format(total) + "</b>"].concat(rows).join("<br>");
      } },
      xAxis: { type: "category", data: data.dates },
      yAxis: { type: "value", name: data.measures[measure], axisLabel: { formatter: function (v) { return money.format(v); } } },
      series: series
    };
  }

  var chart = echarts.init(element, null, { renderer: "svg" });
  function draw() { chart.setOption(option(checked("timeline-grouping") || "type", checked("timeline-measure") || "revenue"), true); }
  draw();
  document.querySelectorAll("input[name='timeline-grouping'], input[name='timeline-measure']").forEach(function (input) {
    input.addEventListener("change", draw);
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
