// The relationship map of a buying center: people coloured by attitude, sized by
// influence, relations as directed edges, our staff linked to the people they know.
(function () {
  "use strict";
  var element = document.getElementById("relationship-map");
  var source = document.getElementById("relationship-map-data");
  if (!element || !source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var chart = echarts.init(element, null, { renderer: "svg" });
  chart.setOption({
    tooltip: {
      formatter: function (p) {
        if (p.dataType === "edge") { return echarts.format.encodeHTML(p.data.label); }
        var detail = p.data.detail ? "<br>" + echarts.format.encodeHTML(p.data.detail) : "";
        return "<strong>" + echarts.format.encodeHTML(p.data.name) + "</strong>" + detail;
      }
    },
    legend: [{ data: data.categories.map(function (c) { return c.name; }), bottom: 0 }],
    series: [{
      type: "graph",
      layout: "force",
      roam: true,
      draggable: true,
      force: { repulsion: 650, edgeLength: [100, 190], gravity: 0.12 },
      zoom: 0.9,
      categories: data.categories,
      data: data.nodes,
      links: data.links,
      edgeSymbol: ["none", "arrow"],
      edgeSymbolSize: 9,
      label: { show: true, position: "bottom", fontSize: 12 },
      emphasis: { focus: "adjacency", lineStyle: { width: 4 } },
      lineStyle: { curveness: 0.15 }
    }]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
