// The problem-solving chain: stages left to right, actors sized by importance and
// coloured by our relationship, flows as arrows. A click on an actor loads its
// description and people into the panel beside the diagram; PNG saves the picture.
(function () {
  "use strict";
  var element = document.getElementById("chain-diagram");
  var source = document.getElementById("chain-diagram-data");
  if (!element || !source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  // as tall as the chain needs at the width it gets, so it is neither squeezed nor lost
  var scale = Math.min(1, element.clientWidth / Math.max(data.width, 1));
  element.style.height = Math.max(260, Math.min(760, data.height * scale + 30)) + "px";
  // names no wider than a column at this scale, so neighbours never overlap (the tooltip
  // and the panel give the whole name)
  var labelWidth = Math.max(60, Math.floor((data.column_width || 220) * scale) - 10);
  var chart = echarts.init(element, null, { renderer: "canvas" });
  var encode = echarts.format.encodeHTML;
  var hidden = {};
  function visibleLinks() {
    return data.links.filter(function (l) { return !hidden[l.kind]; });
  }
  var nodes = data.nodes.map(function (n) {
    if (!n.header) { return n; }
    return Object.assign({}, n, {
      symbol: "rect",
      itemStyle: { color: "transparent" },
      label: {
        show: true, position: "inside", fontWeight: "bold", fontSize: 12, color: "#495057",
        width: labelWidth, overflow: "truncate"
      },
      tooltip: { show: false },
      silent: true
    });
  });
  chart.setOption({
    animation: false,
    tooltip: {
      formatter: function (p) {
        if (p.dataType === "edge") { return encode(p.data.label); }
        if (p.data.header) { return ""; }
        return "<strong>" + encode(p.data.name) + "</strong><br>" + encode(p.data.detail || "");
      },
      extraCssText: "max-width: 22rem; white-space: normal;"
    },
    series: [{
      type: "graph",
      layout: "none",
      roam: true,
      data: nodes,
      links: visibleLinks(),
      edgeSymbol: ["none", "arrow"],
      edgeSymbolSize: 10,
      label: { show: true, position: "bottom", fontSize: 11, width: labelWidth, overflow: "truncate" },
      emphasis: { focus: "adjacency", lineStyle: { width: 4 } },
      lineStyle: { opacity: 0.9 }
    }]
  });
  chart.on("click", function (p) {
    if (p.dataType !== "node" || !p.data.url) { return; }
    // beside the diagram on the chain's page; elsewhere (the customer page) open the chain
    if (document.getElementById("actor-panel") && typeof htmx !== "undefined") {
      htmx.ajax("GET", p.data.url, { target: "#actor-panel", swap: "innerHTML" });
    } else {
      window.location.href = p.data.url;
    }
  });
  // the legend's check boxes show and hide each kind of flow
  document.querySelectorAll("[data-flow-kind]").forEach(function (box) {
    box.addEventListener("change", function () {
      hidden[box.getAttribute("data-flow-kind")] = !box.checked;
      chart.setOption({ series: [{ links: visibleLinks() }] });
    });
  });
  var png = document.getElementById("chain-png");
  if (png) {
    png.addEventListener("click", function () {
      var link = document.createElement("a");
      link.href = chart.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#fff" });
      link.download = png.getAttribute("data-filename") || "chain.png";
      document.body.appendChild(link);
      link.click();
      link.remove();
    });
  }
  window.addEventListener("resize", function () { chart.resize(); });
})();
