// The portfolio matrix: every shown customer by revenue of the last 12 months (x) and
// forecast of the next 12 (y), coloured by value type, sized by contribution margin;
// a click opens the customer. The diagonal marks "future = now".
(function () {
  "use strict";
  var element = document.getElementById("portfolio-chart");
  var source = document.getElementById("portfolio-chart-data");
  if (!element || !source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var lang = document.documentElement.lang || "de";
  var money = new Intl.NumberFormat(lang === "en" ? "en-GB" : "de-DE", { style: "currency", currency: "EUR", maximumFractionDigits: 0 });
  var colours = { steady: "#1f4e79", cyclical: "#7b5ea7", bell: "#e07b00", growth: "#1b8a5a", shrinking: "#c0392b", burr: "#8c8c8c", insufficient_history: "#b0b7c3" };
  var maxMargin = 1;
  data.points.forEach(function (p) { maxMargin = Math.max(maxMargin, Math.abs(p.margin)); });
  var top = 1;
  data.points.forEach(function (p) { top = Math.max(top, p.now, p.future); });
  var logToggle = document.getElementById("portfolio-log");
  // on logarithmic axes a customer without revenue sits at 1 EUR, the axis' floor
  function position(v, log) { return log ? Math.max(v, 1) : v; }
  function option(log) {
    var series = data.types.map(function (type) {
      return {
        name: type.label, type: "scatter",
        itemStyle: { color: colours[type.key] || "#333", opacity: 0.75 },
        symbolSize: function (value) { return 5 + 20 * Math.sqrt(Math.abs(value[2]) / maxMargin); },
        data: data.points.filter(function (p) { return p.type === type.key; })
          .map(function (p) { return { value: [position(p.now, log), position(p.future, log), p.margin], raw: [p.now, p.future], id: p.id, name: p.name }; })
      };
    });
    var low = log ? 1 : 0;
    if (data.diagonal) series.push({ type: "line", silent: true, symbol: "none", data: [[low, low], [top, top]], lineStyle: { type: "dashed", color: "#999", width: 1 }, tooltip: { show: false } });
    var axisType = log ? "log" : "value";
    return {
      grid: { left: 80, right: 24, top: 48, bottom: 56 },
      legend: { top: 0, type: "scroll" },
      tooltip: { trigger: "item", formatter: function (item) {
        if (!item.data || !item.data.name) { return ""; }
        // the customer's name is user-entered: the tooltip is HTML, so it is encoded
        var encode = echarts.format.encodeHTML;
        var v = item.data.raw;
        return encode(item.data.name) + "<br>" + encode(data.axis.now) + ": " + money.format(v[0]) + "<br>" + encode(data.axis.future) + ": " + money.format(v[1]);
      } },
      xAxis: { type: axisType, min: log ? 1 : null, name: data.axis.now, nameLocation: "middle", nameGap: 32, axisLabel: { formatter: function (v) { return money.format(v); } } },
      yAxis: { type: axisType, min: log ? 1 : null, name: data.axis.future, axisLabel: { formatter: function (v) { return money.format(v); } } },
      series: series
    };
  }
  var chart = echarts.init(element, null, { renderer: "svg" });
  chart.setOption(option(logToggle && logToggle.checked));
  if (logToggle) {
    logToggle.addEventListener("change", function () { chart.setOption(option(logToggle.checked), true); });
  }
  chart.on("click", function (item) {
    if (item.data && item.data.id) { window.location.href = data.customer_url.replace("/0/", "/" + item.data.id + "/"); }
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
